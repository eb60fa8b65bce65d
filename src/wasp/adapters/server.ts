import { defineEnvValidationSchema } from 'wasp/env';
import { config, env as waspEnv, type ServerSetupFn } from 'wasp/server';
import { emailSender } from 'wasp/server/email';
import { coreEnvSchema, loadCoreEnv, useCoreEnv } from '../../config/env.js';
import { createPrismaClient, useDb } from '../../db/client.js';
import { startOutboxDispatcher, type MailSender, type OutboxDispatcher } from '../../email/dispatcher.js';
import { startBillingSweep } from '../../payment/engine/billingSweep.js';
import { loadPaymentProcessors, usePaymentProcessors } from '../../payment/processors.js';
import { periodicReconciliation } from '../../payment/reconciliation/reconcileScheduler.js';

/** Wasp validates the core's variables at startup with its own; each processor validates its own in setupBilling. */
export const envValidationSchema = defineEnvValidationSchema(coreEnvSchema);

// The outbox sends through Wasp's emailSender (the provider main.wasp.ts configures), from its
// defaultFrom, not EMAIL_FROM: the standalone server's EMAIL_FROM and SMTP_* are not used under Wasp.
const waspMail: MailSender = {
  sendMail: ({ to, subject, text, html }) => emailSender.send({ to, subject, text, html }),
};

let dispatcher: OutboxDispatcher | undefined;

/**
 * What the standalone server's startServer does, on Wasp's server: the env, our own Prisma client on
 * Wasp's DATABASE_URL, the processors, the outbox, the billing sweep and the optional reconciliation.
 * Wasp's process runs them until it exits, so nothing here is stopped.
 */
export const setupBilling: ServerSetupFn = async () => {
  const env = loadCoreEnv();
  // Checkout and the portal return to the web app, which Wasp serves apart from its server.
  useCoreEnv({ ...env, APP_URL: process.env.APP_URL || config.frontendUrl });
  useDb(createPrismaClient(waspEnv.DATABASE_URL));
  const processors = await loadPaymentProcessors(process.env);
  usePaymentProcessors(processors);
  const outbox = startOutboxDispatcher({ transport: waspMail, from: env.EMAIL_FROM, intervalMs: 2_000 });
  dispatcher = outbox;
  startBillingSweep({ intervalMs: 60_000, onNotified: outbox.kick });
  const reconciler = periodicReconciliation(processors, env.PAYMENTS_RECONCILE_INTERVAL_MINUTES);
  if (reconciler) console.log(`Billing reconciliation: ${reconciler.description}`);
};

/** Runs an outbox pass now (after a webhook), instead of at the next interval. */
export function kickOutbox(): void {
  dispatcher?.kick();
}
