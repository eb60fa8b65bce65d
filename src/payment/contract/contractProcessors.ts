/// <reference types="vite/client" />
import { afterAll, beforeAll } from 'vitest';
import { startTestServer, type TestServer } from '../../test/testServer.js';
import type { CreateContractHarness, ProcessorHarness } from './processorHarness.js';

// Every processor folder that ships testing/contractHarness.ts, found by glob: a new processor's harness
// joins every contract suite with no edit here.
const found = import.meta.glob<{ createContractHarness: CreateContractHarness }>('../*/testing/contractHarness.ts', { eager: true });

export const contractProcessors = Object.entries(found).map(([path, module]) => ({ name: path.split('/')[1]!, create: module.createContractHarness }));

/** The app on a fresh database, wired to the processor's emulator, which delivers its webhooks to it. */
export async function startContractApp(create: CreateContractHarness): Promise<{ t: TestServer; h: ProcessorHarness }> {
  const h = await create();
  const t = await startTestServer({ processor: h.processor });
  h.setWebhookUrl(`${t.baseUrl}/payments-webhook`);
  return { t, h };
}

/** A contract suite's app and emulator: started before its tests (handed to `use`), closed after them. */
export function useContractApp(create: CreateContractHarness, use: (app: { t: TestServer; h: ProcessorHarness }) => void): void {
  let harness: ProcessorHarness | undefined;
  beforeAll(async () => {
    const app = await startContractApp(create);
    harness = app.h;
    use(app);
  });
  afterAll(() => harness?.close());
}
