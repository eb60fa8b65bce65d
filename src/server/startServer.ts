import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listenHost, useCoreEnv } from '../config/env.js';
import { useDb } from '../db/client.js';
import { openDatabase } from '../db/openDatabase.js';
import { startOutboxDispatcher } from '../email/dispatcher.js';
import { startSmtpCapture, type SmtpCapture } from '../email/smtpCapture.js';
import { createMailTransport } from '../email/transport.js';
import { startBillingSweep } from '../payment/engine/billingSweep.js';
import { closePaymentProcessors, loadPaymentProcessors, usePaymentProcessors, webhookRouteOf } from '../payment/processors.js';
import type { PaymentProcessor } from '../payment/paymentProcessor.js';
import { logWebhookEndpointCheck } from '../payment/webhookEndpointCheck.js';
import { periodicReconciliation } from '../payment/reconciliation/reconcileScheduler.js';
import { buildClientIfStale } from './clientBuild.js';
import { closeServer } from './closeServer.js';
import { EnvError } from '../config/parseEnv.js';
import { createApp } from './createApp.js';
import { serveClient } from './serveClient.js';
import { describeMode, loadServerEnv } from './serverEnv.js';

export interface RunningServer {
  url: string;
  defaults: Record<string, string>;
  smtpCapture?: SmtpCapture;
  /** Resolves with a reason if the embedded PostgreSQL died under the server (main.ts then exits). */
  databaseLost: Promise<string>;
  stop: () => Promise<void>;
}

/** Validates env, opens the database, picks the processor and mail transport, and serves. */
export async function startServer(processEnv: NodeJS.ProcessEnv = process.env): Promise<RunningServer> {
  const env = loadServerEnv(processEnv);
  useCoreEnv(env);
  // The web app builds (when src/client changed) while PostgreSQL starts; awaited before listening.
  const clientBuild = buildClientIfStale();
  clientBuild.catch(() => {}); // a failure is reported where it is awaited, not as an unhandled rejection
  const processors = await loadPaymentProcessors(processEnv);
  usePaymentProcessors(processors);
  const closeProcessors = () => closePaymentProcessors(processors);

  const database = await openDatabase(env.DATABASE_URL, env.DATA_DIR).catch(async (error: unknown) => {
    await closeProcessors();
    throw error;
  });
  useDb(database.prisma);
  const clientStatus = await clientBuild.catch(async (error: unknown) => {
    await Promise.allSettled([closeProcessors(), database.close()]);
    throw error;
  });

  const smtpCapture = env.SMTP_HOST ? undefined : await startSmtpCapture();
  const transport = smtpCapture
    ? createMailTransport({ host: '127.0.0.1', port: smtpCapture.port, secure: false, ignoreTLS: true })
    : createMailTransport({ host: env.SMTP_HOST!, port: env.SMTP_PORT ?? 587, user: env.SMTP_USER, password: env.SMTP_PASSWORD, secure: env.SMTP_SECURE });
  const dispatcher = startOutboxDispatcher({ transport, from: env.EMAIL_FROM, intervalMs: 2_000 });
  // Trial-ending notices and the end of dunning grace come with time, not with a webhook.
  const sweep = startBillingSweep({ intervalMs: 60_000, onNotified: dispatcher.kick });
  // Repairs what lost webhooks left behind, when PAYMENTS_RECONCILE_INTERVAL_MINUTES is set (off by default).
  const reconciler = periodicReconciliation(processors, env.PAYMENTS_RECONCILE_INTERVAL_MINUTES);

  const host = listenHost(env);
  const defaults = {
    mode: describeMode(env, processEnv),
    network: host ? `${host} only (set HOST=0.0.0.0 for every interface)` : 'every interface',
    database: database.description,
    payments: describeProcessors(processors),
    email: smtpCapture ? `local SMTP capture on port ${smtpCapture.port}, read at GET /dev/emails (set SMTP_HOST to send for real)` : `SMTP ${env.SMTP_HOST}`,
    'web app': `React pages at ${env.APP_URL}/login, served from dist/client (${clientStatus})`,
    ...(reconciler && { reconciliation: reconciler.description }),
  };
  const app = createApp({ env, processor: processors[0]!, smtpCapture, defaults, afterWebhook: dispatcher.kick, client: serveClient() });
  // In order, PostgreSQL last (in its own process group, a Ctrl-C does not reach it): stop the timers,
  // close the pools. Every part is stopped even if one fails.
  const stopParts = [
    () => sweep.stop(),
    () => reconciler?.stop(),
    () => dispatcher.stop(),
    () => transport.close(),
    () => smtpCapture?.stop(),
    () => closeProcessors(),
    () => database.close(),
  ];
  const server = await listen(app, env.PORT, host).catch(async (error: unknown) => {
    await stopInOrder(stopParts).catch(() => {});
    throw error;
  });
  const { port } = server.address() as AddressInfo;
  // After listening, off the start path: the processor's API may be slow, and a mismatch only warns.
  for (const processor of processors) void logWebhookEndpointCheck(processor, env.APP_URL, webhookRouteOf(processor));

  return {
    url: `http://localhost:${port}`,
    defaults,
    smtpCapture,
    databaseLost: database.lost,
    // Stop accepting and drain first, then the parts above.
    stop: () => stopInOrder([() => closeServer(server), ...stopParts]),
  };
}

async function stopInOrder(steps: (() => unknown)[]): Promise<void> {
  const failures: unknown[] = [];
  for (const step of steps) await Promise.resolve().then(step).catch((error: unknown) => failures.push(error));
  if (failures.length > 0) throw new AggregateError(failures, 'Some parts of the billing server did not stop cleanly');
}

/** Listens on PORT (on `host` only, when set); a port another program holds is named as such. */
function listen(app: ReturnType<typeof createApp>, port: number, host: string | undefined): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = host ? app.listen(port, host) : app.listen(port);
    server.once('listening', () => resolve(server));
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new EnvError([error.code === 'EADDRINUSE' ? `PORT ${port} is in use by another program: stop it, or set PORT to a free port` : `PORT ${port}: cannot listen (${error.message})`])),
    );
  });
}

/** The startup log's payments line: each processor, the default (new checkouts) first. */
function describeProcessors(processors: PaymentProcessor[]): string {
  const lines = processors.map((processor) => processor.describe?.() ?? `${processor.id} processor`);
  if (lines.length === 1) return lines[0]!;
  return `${lines[0]} (the default: new checkouts); ${lines.slice(1).join('; ')} (webhooks at /payments-webhook/<id>)`;
}
