import type { BilledWorkspace } from '../workspaceBilling.js';
import { HttpError } from '../../server/HttpError.js';
import { isEntitled, isTerminal } from '../entitlement.js';
import type { PaymentProcessor, ProcessorDriver } from '../paymentProcessor.js';
import { workspaceProcessor } from '../processors.js';

export type SubscriptionChange = 'changeSubscriptionPlan' | 'cancelSubscription' | 'resumeSubscription';

/**
 * The processor that makes an owner's subscription change: the one the workspace is billed through
 * (409 when the app no longer runs it), and only if it implements the change (501 otherwise: the portal still can).
 */
export function processorFor<C extends SubscriptionChange>(workspace: BilledWorkspace, change: C, what: string): PaymentProcessor & Required<Pick<ProcessorDriver, C>> {
  const processor = workspaceProcessor(workspace);
  if (typeof processor[change] !== 'function') {
    throw new HttpError(501, `The ${processor.id} processor cannot ${what} from the app: use the customer portal`, { useCustomerPortal: true });
  }
  return processor as PaymentProcessor & Required<Pick<ProcessorDriver, C>>;
}

/**
 * The workspace's subscription id, as the engine last stored it. `entitled`: it must give access now
 * (trialing, active, past_due); `live`: it must merely not have ended (a paused one can be cancelled).
 */
export function requireSubscription(workspace: BilledWorkspace, rule: 'entitled' | 'live'): string {
  const status = workspace.subscriptionStatus;
  const ok = rule === 'entitled' ? isEntitled(status) : status !== null && !isTerminal(status);
  if (!workspace.subscriptionId || !ok) {
    const state = status ? ` (its last one is ${status})` : '';
    throw new HttpError(409, `This workspace has no active subscription${state}: subscribe to a plan first`);
  }
  return workspace.subscriptionId;
}
