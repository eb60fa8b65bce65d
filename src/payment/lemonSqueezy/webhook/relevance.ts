import type { ProcessorPlanIds } from '../../processorPlanIds.js';
import type { OurCustomData } from '../customData.js';

/*
 * Relevance before shape: is this delivery about one of ours at all? Asked before the object is parsed,
 * from the two facts that say so, read leniently: our workspace id in custom data (only our checkouts
 * put it there), and the variant (one of PAYMENTS_*_PLAN_ID). What neither claims is another product of
 * the store (or another app's checkout), whoever the customer is: acknowledged and recorded as ignored,
 * never parsed, so its shape cannot fail us.
 *
 * Subscription invoices name no variant, and Lemon Squeezy may send them without custom data, so the
 * mapper cannot tell: they map with their customer and subscription, and the core decides (a payment on a
 * subscription the workspace does not hold is parked on that subscription, never attached by customer).
 */
export type ObjectType = 'orders' | 'subscriptions' | 'subscription-invoices';

export function foreignReason(dataType: ObjectType, attributes: Record<string, unknown>, custom: OurCustomData, planIds: ProcessorPlanIds): string | null {
  if (dataType === 'subscription-invoices' || custom.workspaceId !== undefined) return null;
  const variant = dataType === 'orders' ? variantOf(attributes.first_order_item) : idText(attributes.variant_id);
  if (variant !== undefined && planIds.findPlan(variant)) return null;
  if (dataType === 'orders' && custom.planId !== undefined) return null;
  const what = dataType === 'orders' ? 'an order' : 'a subscription';
  return `${what} of variant ${variant ?? '(none)'}, not one of our plans (PAYMENTS_*_PLAN_ID), from a checkout that is not ours (no meta.custom_data.workspace_id)`;
}

function variantOf(item: unknown): string | undefined {
  return typeof item === 'object' && item !== null ? idText((item as { variant_id?: unknown }).variant_id) : undefined;
}

function idText(value: unknown): string | undefined {
  return typeof value === 'number' || typeof value === 'string' ? String(value) : undefined;
}
