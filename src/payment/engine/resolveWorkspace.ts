import { db, type Tx } from '../../db/client.js';
import type { BillingEvent } from '../events.js';
import type { ProcessorDriver } from '../paymentProcessor.js';
import { customerAt, findBilledWorkspace, type BilledWorkspace } from '../workspaceBilling.js';

/** No workspace of ours, and none can come: the event is acknowledged and recorded ignored. */
export class UnknownWorkspaceError extends Error {
  override name = 'UnknownWorkspaceError';
}

/** Ours, but its customer or subscription is not linked to a workspace yet: the delivery is parked on `waitingFor`. */
export class AwaitingLinkError extends Error {
  override name = 'AwaitingLinkError';
  constructor(
    readonly waitingFor: string,
    message: string,
  ) {
    super(message);
  }
}

/** The event names one workspace and carries another workspace's customer: nothing changes, recorded failed and audited. */
export class CustomerConflictError extends Error {
  override name = 'CustomerConflictError';
  constructor(
    readonly workspaceId: string,
    readonly customerId: string,
    readonly customerWorkspaceId: string | null,
    message: string,
  ) {
    super(message);
  }
}

/** `createCustomer` marks processors whose customers are ours, one per workspace (Stripe); the others have one per buyer's email (Lemon Squeezy). */
export type BindingProcessor = Pick<ProcessorDriver, 'id' | 'createCustomer'>;

const CUSTOMER = 'customer ';
const SUBSCRIPTION = 'subscription ';
export const customerLink = (customerId: string) => `${CUSTOMER}${customerId}`;
export const subscriptionLink = (subscriptionId: string) => `${SUBSCRIPTION}${subscriptionId}`;

/** Whether a customer or subscription link (as a parked delivery waits for it) is committed now. */
export async function linkExists(processor: string, link: string): Promise<boolean> {
  if (link.startsWith(CUSTOMER)) return (await db().customer.count({ where: { processor, customerId: link.slice(CUSTOMER.length) } })) > 0;
  if (link.startsWith(SUBSCRIPTION)) return (await db().subscription.count({ where: { processor, subscriptionId: link.slice(SUBSCRIPTION.length) } })) > 0;
  return false;
}

/**
 * Finds and row-locks the event's workspace, never by email. The lock serialises every delivery for one
 * workspace, so the stale-event guard compares against the state that is really current.
 * 1. The workspace id the processor carried back, if it is one of ours: then the event's customer must
 *    be that workspace's (checkCustomerBinding).
 * 2. A payment naming its subscription: the workspace holding that subscription. A customer match alone
 *    never attaches a payment (the same buyer may pay for another product): none holds it yet -> parked.
 * 3. This processor's customer id, when exactly one workspace has it; none yet -> parked.
 */
export async function resolveWorkspace(tx: Tx, processor: BindingProcessor, event: BillingEvent): Promise<BilledWorkspace> {
  const { ref } = event;
  const named = ref.workspaceId ? await lockWorkspace(tx, ref.workspaceId) : undefined;
  if (named) {
    if (ref.customerId) await checkCustomerBinding(tx, processor, named, ref.customerId);
    return named;
  }
  const subscriptionId = paidSubscriptionOf(event);
  if (subscriptionId && !ref.workspaceId) {
    const holder = await tx.subscription.findUnique({ where: { processor_subscriptionId: { processor: processor.id, subscriptionId } }, select: { workspaceId: true } });
    const locked = holder && (await lockWorkspace(tx, holder.workspaceId));
    if (locked) return locked;
    throw new AwaitingLinkError(subscriptionLink(subscriptionId), `${processor.id} subscription ${subscriptionId} is not linked to a workspace yet`);
  }
  const byCustomer = ref.customerId
    ? await tx.customer.findMany({ where: { processor: processor.id, customerId: ref.customerId }, select: { workspaceId: true }, take: 2 })
    : [];
  if (byCustomer.length > 1) {
    throw new Error(`${processor.id} customer ${ref.customerId} belongs to several workspaces and the event names none of them`);
  }
  const customersWorkspace = byCustomer[0] && (await lockWorkspace(tx, byCustomer[0].workspaceId));
  if (customersWorkspace) return customersWorkspace;
  if (ref.customerId && !ref.workspaceId) {
    throw new AwaitingLinkError(customerLink(ref.customerId), `${processor.id} customer ${ref.customerId} is not linked to a workspace yet`);
  }
  throw new UnknownWorkspaceError(
    `No workspace for this event (workspace id ${ref.workspaceId ?? 'absent'}, ${processor.id} customer ${ref.customerId ?? 'absent'})`,
  );
}

/** Locks one workspace by id (reconciliation knows it already) and reads it with its billing records. */
export async function lockWorkspace(tx: Tx, workspaceId: string): Promise<BilledWorkspace | undefined> {
  // A delivery's second event for the same workspace (a checkout and its payment) holds the lock already.
  const locked = lockedIn.get(tx) ?? new Set<string>();
  if (!locked.has(workspaceId)) {
    const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Workspace" WHERE id = ${workspaceId} FOR UPDATE`;
    if (rows.length === 0) return undefined;
    lockedIn.set(tx, locked.add(workspaceId));
  }
  return (await findBilledWorkspace(tx, workspaceId)) ?? undefined;
}

/** The workspaces each open transaction has locked (row locks last until it ends). */
const lockedIn = new WeakMap<Tx, Set<string>>();

/**
 * An event never acts on one workspace with another's customer (issue 12: metadata naming A with B's
 * customer credited A and handed A B's portal). With customers per workspace (Stripe) the event's
 * customer must be A's, or A has none yet and it is nobody's. With customers per buyer's email (Lemon
 * Squeezy) one buyer's workspaces share a customer and a workspace may be paid for under a second
 * email, so only a customer of another workspace, on a workspace that has its own, is refused.
 * checkoutCompleted never replaces a workspace's customer either way.
 */
async function checkCustomerBinding(tx: Tx, processor: BindingProcessor, workspace: BilledWorkspace, customerId: string): Promise<void> {
  const ownCustomer = await customerAt(tx, workspace.id, processor.id);
  if (ownCustomer === customerId) return;
  const otherCustomer = await tx.customer.findFirst({ where: { processor: processor.id, customerId, workspaceId: { not: workspace.id } }, select: { workspaceId: true } });
  const other = otherCustomer ? { id: otherCustomer.workspaceId } : undefined;
  const perWorkspace = processor.createCustomer !== undefined;
  const conflict = perWorkspace ? ownCustomer !== null || other !== undefined : ownCustomer !== null && other !== undefined;
  if (!conflict) return;
  const holder = other ? `workspace ${other.id}'s` : 'no workspace\'s';
  const own = ownCustomer ? `its customer is ${ownCustomer}` : 'it has no customer';
  throw new CustomerConflictError(
    workspace.id,
    customerId,
    other?.id ?? null,
    `The event names workspace ${workspace.id} (${own}) but carries ${processor.id} customer ${customerId}, ${holder}: nothing was changed`,
  );
}

function paidSubscriptionOf(event: BillingEvent): string | undefined {
  return event.type === 'payment.succeeded' || event.type === 'payment.failed' ? event.subscriptionId : undefined;
}
