import { api } from '@billing/backend';
import type { Billing } from './backend/types.js';
import { getPlan, type Plan } from '../payment/plans.js';

// What this tab went to the processor to buy, so the return page knows what "done" looks like. The
// success URL says only that the buyer paid; the webhook that grants the purchase may not have landed.

const KEY = 'billing.pendingCheckout';

interface PendingCheckout {
  workspaceId: string;
  planId: string;
  creditsBefore: number;
}

/** Remembers the purchase, then leaves for the processor's hosted checkout page. */
export async function startCheckout(workspaceId: string, plan: Plan, billing: Billing): Promise<void> {
  const { sessionUrl } = await api.generateCheckoutSession({ workspaceId, planId: plan.id });
  const pending: PendingCheckout = { workspaceId, planId: plan.id, creditsBefore: billing.credits };
  window.sessionStorage.setItem(KEY, JSON.stringify(pending));
  window.location.assign(sessionUrl);
}

export function pendingCheckout(workspaceId: string): { plan: Plan; creditsBefore: number } | null {
  const stored = window.sessionStorage.getItem(KEY);
  if (!stored) return null;
  const pending = JSON.parse(stored) as PendingCheckout;
  if (pending.workspaceId !== workspaceId) return null;
  return { plan: getPlan(pending.planId), creditsBefore: pending.creditsBefore };
}

/** True only once the billing state shows what was bought: never a success before the webhook. */
export function purchaseLanded(plan: Plan, creditsBefore: number, billing: Billing): boolean {
  if (plan.effect.kind === 'credits') return billing.credits >= creditsBefore + plan.effect.amount;
  return billing.plan === plan.id && billing.hasActivePlan;
}
