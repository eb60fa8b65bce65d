import { db } from '../db/client.js';
import type { SubscriptionStatus } from '../db/generated/enums.js';
import { isEntitled } from './entitlement.js';
import { allPlans, type Plan } from './plans.js';

export interface PlanRevenue {
  planId: string;
  planName: string;
  currency: string;
  interval: 'month' | 'year';
  /** Entitled subscriptions on the plan. */
  subscriptions: number;
  /** Their monthly recurring revenue in the currency's minor unit: price × count, yearly prices ÷ 12 (rounded once per plan). */
  mrr: number;
}

export interface BillingStats {
  mrr: {
    byPlan: PlanRevenue[];
    /** The plans' MRR summed per currency (never across currencies). */
    byCurrency: { currency: string; mrr: number }[];
  };
  /** Workspaces whose subscription gives access now (the entitlement rule: trialing, active, past_due). */
  payingWorkspaces: number;
  /** Entitled subscriptions on a plan the catalog does not price (e.g. a retired plan): paying, but not in MRR. */
  unpricedSubscriptions: { planId: string | null; subscriptions: number }[];
  credits: {
    /** Every credit granted by a purchase (positive ledger entries), refunded ones included. */
    sold: number;
    /** The workspaces' balances now. */
    outstanding: number;
  };
}

/**
 * Billing figures computed from the stored rows, in one consistent snapshot. MRR prices each entitled
 * subscription at its plan's list price from `catalog` (plans.ts; tests pass their own), not at what
 * was last charged: discounts, taxes and prorations are not in it.
 */
export async function computeBillingStats(catalog: readonly Plan[] = allPlans): Promise<BillingStats> {
  const [groups, sold, outstanding] = await db().$transaction(
    [
      db().$queryRaw<{ plan: string | null; status: SubscriptionStatus; count: bigint }[]>`
        SELECT plan, status, count(*) AS count FROM "Subscription" GROUP BY 1, 2 ORDER BY 1, 2`,
      db().creditLedger.aggregate({ where: { amount: { gt: 0 } }, _sum: { amount: true } }),
      db().workspace.aggregate({ _sum: { credits: true } }),
    ],
    { isolationLevel: 'RepeatableRead' },
  );

  const entitledByPlan = new Map<string | null, number>();
  for (const group of groups) {
    if (!isEntitled(group.status)) continue;
    entitledByPlan.set(group.plan, (entitledByPlan.get(group.plan) ?? 0) + Number(group.count));
  }

  const byPlan: PlanRevenue[] = [];
  const unpricedSubscriptions: BillingStats['unpricedSubscriptions'] = [];
  for (const [planId, subscriptions] of entitledByPlan) {
    const plan = catalog.find((p) => p.id === planId);
    if (!plan || plan.effect.kind !== 'subscription') {
      unpricedSubscriptions.push({ planId, subscriptions });
      continue;
    }
    const interval = plan.price.interval ?? 'month';
    const total = plan.price.amount * subscriptions;
    byPlan.push({
      planId: plan.id,
      planName: plan.name,
      currency: plan.price.currency.toLowerCase(),
      interval,
      subscriptions,
      mrr: interval === 'year' ? Math.round(total / 12) : total,
    });
  }
  byPlan.sort((a, b) => a.currency.localeCompare(b.currency) || a.planId.localeCompare(b.planId));

  const byCurrency = new Map<string, number>();
  for (const plan of byPlan) byCurrency.set(plan.currency, (byCurrency.get(plan.currency) ?? 0) + plan.mrr);

  return {
    mrr: { byPlan, byCurrency: [...byCurrency].map(([currency, mrr]) => ({ currency, mrr })) },
    payingWorkspaces: [...entitledByPlan.values()].reduce((sum, n) => sum + n, 0),
    unpricedSubscriptions,
    credits: { sold: sold._sum.amount ?? 0, outstanding: outstanding._sum.credits ?? 0 },
  };
}
