import type { AuditActor } from '../../audit/recordAudit.js';
import type { Tx } from '../../db/client.js';
import type { SubscriptionSnapshot } from '../events.js';
import type { ProcessorDriver } from '../paymentProcessor.js';
import type { BilledWorkspace } from '../workspaceBilling.js';

/** What every event handler gets: the transaction, the processor, and the (locked) workspace. */
export interface HandlerContext {
  tx: Tx;
  processor: Pick<ProcessorDriver, 'id'>;
  workspace: BilledWorkspace;
  /** Who the audit events name: the processor for a webhook, the system for a reconciliation. */
  actor: AuditActor;
  /**
   * The subscription as the processor has it now, fetched before this transaction (freshFetch.ts):
   * undefined when not fetched yet (the handler then throws FetchBeforeApplying), null when the processor
   * has nothing newer to say (the event's own snapshot stands).
   */
  freshSubscription(subscriptionId: string): SubscriptionSnapshot | null | undefined;
}
