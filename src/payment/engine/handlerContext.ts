import type { AuditActor } from '../../audit/recordAudit.js';
import type { Tx } from '../../db/client.js';
import type { Workspace } from '../../db/generated/client.js';
import type { ProcessorDriver } from '../paymentProcessor.js';

/** What every event handler gets: the transaction, the processor, and the (locked) workspace. */
export interface HandlerContext {
  tx: Tx;
  processor: Pick<ProcessorDriver, 'id' | 'fetchSubscription'>;
  workspace: Workspace;
  /** Who the audit events name: the processor for a webhook, the system for a reconciliation. */
  actor: AuditActor;
}
