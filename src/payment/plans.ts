import { formatMoney } from './money.js';

export type PlanEffect = { kind: 'subscription' } | { kind: 'credits'; amount: number };

export interface Plan {
  id: string;
  name: string;
  description: string;
  effect: PlanEffect;
  /** The list price; emulators seed their catalog from it, the UI shows priceLabel. */
  price: { amount: number; currency: string; interval?: 'month' | 'year' };
  /** The variable holding the processor's id for this plan (Stripe price id, Lemon Squeezy variant id). */
  processorPlanIdEnv: string;
  /**
   * Days free before the first charge, for a workspace's first subscription only (the core remembers a
   * used trial and asks for none again). Stripe takes it at checkout; at Lemon Squeezy the variant's own
   * free trial must say the same (see src/payment/lemonSqueezy/README.md).
   */
  trialDays?: number;
}

export const plans = {
  hobby: {
    id: 'hobby',
    name: 'Hobby',
    description: 'For side projects: the core features, one workspace.',
    effect: { kind: 'subscription' },
    price: { amount: 900, currency: 'usd', interval: 'month' },
    processorPlanIdEnv: 'PAYMENTS_HOBBY_SUBSCRIPTION_PLAN_ID',
    // The trial sits where new workspaces come in; Pro is reached by upgrading (a trialing workspace
    // that upgrades keeps its trial until it ends).
    trialDays: 14,
  },
  pro: {
    id: 'pro',
    name: 'Pro',
    description: 'For teams: everything in Hobby plus priority support.',
    effect: { kind: 'subscription' },
    price: { amount: 2900, currency: 'usd', interval: 'month' },
    processorPlanIdEnv: 'PAYMENTS_PRO_SUBSCRIPTION_PLAN_ID',
  },
  credits10: {
    id: 'credits10',
    name: '10 credits',
    description: 'A one-time pack of 10 credits for the workspace.',
    effect: { kind: 'credits', amount: 10 },
    price: { amount: 990, currency: 'usd' },
    processorPlanIdEnv: 'PAYMENTS_CREDITS_10_PLAN_ID',
  },
} as const satisfies Record<string, Plan>;

export type PlanId = keyof typeof plans;

export const allPlans: readonly Plan[] = Object.values(plans);

export class UnknownPlanError extends Error {
  constructor(what: string) {
    super(what);
    this.name = 'UnknownPlanError';
  }
}

export function isPlanId(id: string): id is PlanId {
  return Object.hasOwn(plans, id);
}

export function getPlan(id: string): Plan {
  if (!isPlanId(id)) throw new UnknownPlanError(`Unknown plan "${id}"; known plans: ${Object.keys(plans).join(', ')}`);
  return plans[id];
}

/** The effect decides how the processor charges: a recurring subscription or a one-time payment. */
export function checkoutModeOf(plan: Plan): 'subscription' | 'payment' {
  return plan.effect.kind === 'subscription' ? 'subscription' : 'payment';
}

/** The list price per month in minor units (a yearly price ÷ 12): what decides an upgrade from a downgrade. */
export function monthlyPrice(plan: Plan): number {
  return plan.price.interval === 'year' ? plan.price.amount / 12 : plan.price.amount;
}

export function priceLabel(plan: Plan): string {
  const amount = formatMoney(plan.price.amount, plan.price.currency);
  return 'interval' in plan.price && plan.price.interval ? `${amount} / ${plan.price.interval}` : amount;
}
