import type { ProcessorPlanIds } from '../../processorPlanIds.js';

/*
 * Relevance before shape: is this delivery about one of ours at all? Asked before the object is parsed,
 * from the two facts that say so, read leniently: our workspace id in metadata (only our checkouts put it
 * there) and the price (one of PAYMENTS_*_PLAN_ID). What claims neither is another app's on the same
 * account: acknowledged and recorded as ignored, never parsed, so its shape cannot fail us.
 */
export function foreignReason(object: Record<string, unknown>, planIds: ProcessorPlanIds): string | null {
  const metadata = object.metadata;
  const workspaceRef = typeof metadata === 'object' && metadata !== null ? (metadata as { workspace_ref?: unknown }).workspace_ref : undefined;
  if (typeof workspaceRef === 'string' && workspaceRef !== '') return null;
  const price = typeof object.price === 'string' ? object.price : undefined;
  if (price !== undefined && planIds.findPlan(price)) return null;
  return `price ${price ?? '(none)'} is not one of our plans (PAYMENTS_*_PLAN_ID), and no metadata.workspace_ref says the object is ours`;
}
