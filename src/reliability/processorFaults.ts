import { afterAll } from 'vitest';
import type { FaultedRequest } from '../emulators/shared/faults.js';
import type { ProcessorDriver } from '../payment/paymentProcessor.js';
import { definePaymentProcessor } from '../payment/webhookHandler.js';
import { startTestServer, type TestServer } from '../test/testServer.js';

export interface Fault {
  kind: 'status' | 'reset' | 'slow';
  status?: number;
  ms?: number;
  /** before: the request never runs; after: it runs (the object exists), its answer is lost. */
  when?: 'before' | 'after';
  times?: number;
}

/** The emulator's fault controls (src/emulators/shared/faults.ts), over HTTP. */
export function faultControls(emulatorUrl: string) {
  const control = async (method: string, body?: unknown) => {
    const res = await fetch(`${emulatorUrl}/_emulator/faults`, {
      method,
      ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${method} /_emulator/faults answered ${res.status}: ${await res.text()}`);
    return res.json() as Promise<{ pending: unknown[]; requests: FaultedRequest[] }>;
  };
  return {
    inject: (route: string, fault: Fault) => control('POST', { route, ...fault }),
    /** The API requests the emulator saw (for `route`, e.g. "POST /v1/customers"), oldest first. */
    async requests(route?: string): Promise<FaultedRequest[]> {
      return (await control('GET')).requests.filter((r) => route === undefined || `${r.method} ${r.path}` === route);
    },
    clear: () => control('DELETE'),
  };
}

export type FaultControls = ReturnType<typeof faultControls>;

export interface EmulatedDriver extends ProcessorDriver {
  emulator: { url: string; setWebhookUrl(url: string): void };
}

/**
 * The app over HTTP on a processor's local emulator (`start` starts the emulated driver), its
 * webhooks sent to the app, with the emulator's fault controls. Call it in beforeAll.
 */
export async function startEmulatedApp<D extends EmulatedDriver>(
  start: (env: NodeJS.ProcessEnv, options: { timeoutMs?: number }) => Promise<D>,
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<{ t: TestServer; driver: D; faults: FaultControls }> {
  const driver = await start({}, { timeoutMs: options.timeoutMs });
  afterAll(() => driver.close?.());
  const t = await startTestServer({ processor: definePaymentProcessor(driver), env: options.env });
  driver.emulator.setWebhookUrl(`${t.baseUrl}/payments-webhook`);
  return { t, driver, faults: faultControls(driver.emulator.url) };
}
