import type { IncomingHttpHeaders } from 'node:http';
import { HttpError } from '../server/HttpError.js';
import type { PaymentProcessor } from './paymentProcessor.js';
import type { ProcessorLoadOptions, ProcessorModule } from './processorModule.js';
import { processorModules } from './processorModules.js';
import { webhookPathOf } from './webhookEndpointCheck.js';
import { definePaymentProcessor } from './webhookHandler.js';

// Every processor folder's module (processorModules.ts, written by `npm run processors:register`).
const registry: Readonly<Record<string, ProcessorModule>> = Object.fromEntries(processorModules.map((module) => [module.id, module]));

export const processorIds = processorModules.map((module) => module.id);
export const DEFAULT_PROCESSOR = 'stripe';

/**
 * The processors the app runs, the default first (it takes new checkouts): PAYMENTS_PROCESSORS
 * (`stripe,lemonsqueezy`), else PAYMENTS_PROCESSOR, else stripe. Every problem is named at once.
 */
export function configuredProcessorIds(env: NodeJS.ProcessEnv): string[] {
  const listed = (env.PAYMENTS_PROCESSORS ?? '').split(',').map((id) => id.trim()).filter(Boolean);
  const ids = listed.length > 0 ? listed : [env.PAYMENTS_PROCESSOR || DEFAULT_PROCESSOR];
  const name = listed.length > 0 ? 'PAYMENTS_PROCESSORS' : 'PAYMENTS_PROCESSOR';
  const problems = [
    ...ids.filter((id) => !registry[id]).map((id) => `${name}: "${id}" is not a known processor; choose from: ${processorIds.join(', ')}`),
    ...ids.filter((id, i) => ids.indexOf(id) !== i).map((id) => `PAYMENTS_PROCESSORS names ${id} twice`),
  ];
  if (listed.length > 0 && env.PAYMENTS_PROCESSOR && env.PAYMENTS_PROCESSOR !== listed[0]) {
    problems.push(`PAYMENTS_PROCESSOR=${env.PAYMENTS_PROCESSOR} disagrees with PAYMENTS_PROCESSORS, whose first (${listed[0]}) is the default: unset one`);
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return ids;
}

/**
 * Loads every configured processor (an emulated one delivers to its own route when there are several,
 * `webhookUrlOf`). If one cannot be loaded, those already loaded are closed again.
 */
export async function loadPaymentProcessors(env: NodeJS.ProcessEnv = process.env, options: ProcessorLoadOptions = {}): Promise<PaymentProcessor[]> {
  const ids = configuredProcessorIds(env);
  const loaded: PaymentProcessor[] = [];
  try {
    for (const id of ids) {
      const webhookPath = routeAmong(id, ids.length);
      loaded.push(definePaymentProcessor(await registry[id]!.create(envOfProcessor(env, id), { ...options, webhookPath })));
    }
    return loaded;
  } catch (error) {
    await closePaymentProcessors(loaded);
    throw error;
  }
}

/** Stops what each processor started (a local emulator); every one is asked, whatever the others do. */
export async function closePaymentProcessors(processors: readonly PaymentProcessor[]): Promise<void> {
  await Promise.allSettled(processors.map((processor) => processor.close?.()));
}

/** `/payments-webhook` for a processor that runs alone, its own `/payments-webhook/<id>` beside others. */
function routeAmong(id: string, processorCount: number): string {
  return processorCount > 1 ? webhookPathOf(id) : webhookPathOf();
}

/**
 * The env one processor reads: `PAYMENTS_<PLAN>_PLAN_ID_<PROCESSOR>` (e.g. `PAYMENTS_PRO_SUBSCRIPTION_PLAN_ID_LEMONSQUEEZY`)
 * stands for `PAYMENTS_<PLAN>_PLAN_ID`, so processors that run together each have their own plan ids.
 */
export function envOfProcessor(env: NodeJS.ProcessEnv, id: string): NodeJS.ProcessEnv {
  const suffix = `_${id.toUpperCase()}`;
  const own = Object.entries(env).filter(([key]) => /^PAYMENTS_\w+_PLAN_ID_[A-Z0-9]+$/.test(key) && key.endsWith(suffix));
  return { ...env, ...Object.fromEntries(own.map(([key, value]) => [key.slice(0, -suffix.length), value])) };
}

/** The configured processors' production problems (unknown ones are configuredProcessorIds's to name). */
export function processorProductionProblems(env: NodeJS.ProcessEnv): string[] {
  let ids: string[];
  try {
    ids = configuredProcessorIds(env);
  } catch {
    return [];
  }
  return ids.flatMap((id) => registry[id]!.productionProblems(envOfProcessor(env, id)));
}

// The processors the app runs, as operations reach them (like Wasp apps import theirs from one module).
let active: PaymentProcessor[] = [];

export function usePaymentProcessors(processors: PaymentProcessor[]): void {
  if (processors.length === 0) throw new Error('usePaymentProcessors: at least one processor');
  active = processors;
}

export function usePaymentProcessor(processor: PaymentProcessor): void {
  usePaymentProcessors([processor]);
}

export function activePaymentProcessors(): readonly PaymentProcessor[] {
  if (active.length === 0) throw new Error('No payment processor: call usePaymentProcessors() (the server does this at startup)');
  return active;
}

/** The default processor: the one new checkouts go to. */
export function paymentProcessor(): PaymentProcessor {
  return activePaymentProcessors()[0]!;
}

export function activeProcessor(id: string): PaymentProcessor | undefined {
  return activePaymentProcessors().find((processor) => processor.id === id);
}

/**
 * The processor a workspace is billed through: its own, kept when the default changes (renewals,
 * refunds, the portal, plan changes and cancels go there), or the default for a workspace not billed
 * yet. 409 when the app no longer runs the workspace's processor.
 */
export function workspaceProcessor(workspace: { paymentProcessor: string | null }): PaymentProcessor {
  if (!workspace.paymentProcessor) return paymentProcessor();
  const processor = activeProcessor(workspace.paymentProcessor);
  if (!processor) {
    const running = active.map((p) => p.id).join(', ');
    throw new HttpError(409, `This workspace is billed through ${workspace.paymentProcessor}, which this app no longer runs (it runs ${running}): add it to PAYMENTS_PROCESSORS`);
  }
  return processor;
}

/** The route a processor's webhooks should come to: `/payments-webhook` when it runs alone, else its own. */
export function webhookRouteOf(processor: PaymentProcessor): string {
  return routeAmong(processor.id, activePaymentProcessors().length);
}

/**
 * The processor a delivery to the plain `/payments-webhook` comes from: the one whose signature header
 * it carries, the default when none claims it. So a processor that was the default before keeps being
 * heard there after the default changes.
 */
export function processorForDelivery(headers: IncomingHttpHeaders): PaymentProcessor {
  return activePaymentProcessors().find((processor) => processor.signatureHeader !== undefined && headers[processor.signatureHeader] !== undefined) ?? paymentProcessor();
}
