/**
 * Seeded, realistic per-workspace billing histories in the fake processor's wire format
 * (`{ id, type, data }`, data = a normalized event with ISO dates), and the canonical final state of
 * each history computed from the history alone, by a tiny model of what the events mean (NOT by
 * calling the engine). Timestamps carry the order; the chaos suite delivers them in any order.
 */

/** mulberry32: a tiny, fast, seeded PRNG (no dependency). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rng = () => number;
export const int = (rng: Rng, min: number, max: number): number => min + Math.floor(rng() * (max - min + 1));
export const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
export function shuffle<T>(rng: Rng, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
/** A seed per history, derived from the run's seed, so one history can be regenerated alone. */
export const historySeed = (runSeed: number, index: number): number => (Math.imul(runSeed ^ 0x9e3779b9, 2654435761) + Math.imul(index + 1, 0x85ebca6b)) >>> 0;

export interface FakeDelivery {
  id: string;
  type: string;
  data: Record<string, unknown>;
}

/** One event of a history: its delivery, its processor time (the order), and what kind of step made it. */
export interface HistoryEvent {
  delivery: FakeDelivery;
  at: number;
  /** A money event (payment.*): the same money may be resent under a second event id. */
  moneyId?: string;
}

export type Template = 'payment_succeeded' | 'credits_purchased' | 'payment_failed' | 'subscription_cancelled' | 'subscription_ended';
export const TEMPLATES: readonly Template[] = ['payment_succeeded', 'credits_purchased', 'payment_failed', 'subscription_cancelled', 'subscription_ended'];

export interface CanonicalState {
  plan: string | null;
  status: string | null;
  subscriptionId: string | null;
  cancelAtPeriodEnd: boolean;
  credits: number;
  payments: number;
  /** Emails each owner of the workspace receives, per template (members receive none). */
  emails: Record<Template, number>;
}

export interface History {
  index: number;
  seed: number;
  workspaceId: string;
  customerId: string;
  /** The one subscription a history may have (its id even when the history never subscribes). */
  subscriptionId: string;
  events: HistoryEvent[];
  /** Step names, for a readable failure report. */
  steps: string[];
}

const PRICES = { hobby: 900, pro: 2900, credits10: 990 } as const;
const PACK_CREDITS = 10;
const T0 = Date.UTC(2026, 10, 1, 10, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Generates one workspace's history: checkout, packs (and refunds of packs), a subscription with
 * renewals, failed then recovered payments, unrecovered failures, plan changes, cancel at period end,
 * resume, and an end. Every event is one second or more after the previous one (no ties).
 */
export function generateHistory(index: number, seed: number, workspaceId: string): History {
  const rng = prng(seed);
  // The workspace id keeps event and money ids unique across runs on one database.
  const tag = `h${index}_${seed.toString(36)}_${workspaceId.replaceAll('-', '').slice(0, 12)}`;
  const customerId = `cus_${tag}`;
  const subscriptionId = `sub_${tag}`;
  const events: HistoryEvent[] = [];
  const steps: string[] = [];
  let clock = T0 + index * 1000;
  let eventCounter = 0;
  const tick = () => (clock += int(rng, 1, 120) * 1000);
  const ref = { workspaceId };
  const push = (type: string, data: Record<string, unknown>, at: number, moneyId?: string) => {
    events.push({ delivery: { id: `evt_${tag}_${eventCounter++}`, type, data }, at, ...(moneyId && { moneyId }) });
  };

  // The subscription as the processor holds it.
  let sub: { plan: 'hobby' | 'pro'; status: string; cancel: boolean; periodEnd: number } | null = null;
  let ended = false;
  let invoice = 0;
  const packs: { moneyId: string; refunded: boolean }[] = [];

  const snapshot = () => {
    const at = tick();
    push('subscription.changed', {
      ref,
      subscription: {
        subscriptionId,
        planId: sub!.plan,
        status: sub!.status,
        cancelAtPeriodEnd: sub!.cancel,
        currentPeriodEnd: iso(sub!.periodEnd),
        trialEnd: null,
        occurredAt: iso(at),
      },
    }, at);
  };
  const pay = (moneyId: string, planId: string, amount: number) => {
    const at = tick();
    push('payment.succeeded', { ref, money: { moneyId, amount, currency: 'usd' }, planId, paidAt: iso(at) }, at, moneyId);
  };
  const fail = (moneyId: string, planId: string, amount: number) => {
    const at = tick();
    push('payment.failed', { ref, money: { moneyId, amount, currency: 'usd' }, planId, failedAt: iso(at), reason: 'card_declined' }, at, moneyId);
  };
  const checkout = (planId: string) => {
    const at = tick();
    push('checkout.completed', { ref, customerId, sessionId: `cs_${tag}_${eventCounter}`, planId }, at);
  };

  const length = int(rng, 2, 12);
  for (let step = 0; step < length; step++) {
    const live = sub !== null && !ended;
    const options: string[] = ['buyPack'];
    if (packs.some((p) => !p.refunded)) options.push('refundPack');
    if (sub === null) options.push('subscribe', 'subscribe');
    if (live && sub!.status === 'active') options.push('renew', 'renew', 'failThenRecover', 'changePlan', sub!.cancel ? 'resume' : 'cancelAtPeriodEnd', 'end');
    if (live && sub!.status === 'past_due') options.push('recover', 'end');
    if (live && sub!.status === 'active' && !sub!.cancel) options.push('failUnrecovered');
    const choice = pick(rng, options);
    steps.push(choice);
    switch (choice) {
      case 'buyPack': {
        const moneyId = `pk_${tag}_${packs.length}`;
        packs.push({ moneyId, refunded: false });
        checkout('credits10');
        pay(moneyId, 'credits10', PRICES.credits10);
        break;
      }
      case 'refundPack': {
        const pack = pick(rng, packs.filter((p) => !p.refunded));
        pack.refunded = true;
        const at = tick();
        push('payment.refunded', { ref, moneyId: pack.moneyId, amountRefunded: PRICES.credits10, currency: 'usd', refundedAt: iso(at) }, at, pack.moneyId);
        break;
      }
      case 'subscribe': {
        const plan = pick(rng, ['hobby', 'pro'] as const);
        checkout(plan);
        sub = { plan, status: 'active', cancel: false, periodEnd: clock + 30 * 86_400_000 };
        snapshot();
        pay(`in_${tag}_${invoice++}`, plan, PRICES[plan]);
        break;
      }
      case 'renew':
        sub!.periodEnd += 30 * 86_400_000;
        pay(`in_${tag}_${invoice++}`, sub!.plan, PRICES[sub!.plan]);
        snapshot();
        break;
      case 'failThenRecover': {
        const moneyId = `in_${tag}_${invoice++}`;
        fail(moneyId, sub!.plan, PRICES[sub!.plan]);
        if (rng() < 0.5) fail(moneyId, sub!.plan, PRICES[sub!.plan]); // the processor's retry fails again
        sub!.status = 'past_due';
        snapshot();
        pay(moneyId, sub!.plan, PRICES[sub!.plan]);
        sub!.status = 'active';
        sub!.periodEnd += 30 * 86_400_000;
        snapshot();
        break;
      }
      case 'failUnrecovered': {
        const moneyId = `in_${tag}_${invoice++}`;
        fail(moneyId, sub!.plan, PRICES[sub!.plan]);
        sub!.status = 'past_due';
        snapshot();
        break;
      }
      case 'recover': {
        // The last failed invoice is paid at last.
        const moneyId = `in_${tag}_${invoice - 1}`;
        pay(moneyId, sub!.plan, PRICES[sub!.plan]);
        sub!.status = 'active';
        snapshot();
        break;
      }
      case 'changePlan':
        sub!.plan = sub!.plan === 'pro' ? 'hobby' : 'pro';
        snapshot();
        break;
      case 'cancelAtPeriodEnd':
        sub!.cancel = true;
        snapshot();
        break;
      case 'resume':
        sub!.cancel = false;
        snapshot();
        break;
      case 'end': {
        ended = true;
        const at = tick();
        // The end carries the processor's final description of the subscription: its plan and period end.
        push('subscription.ended', { ref, subscriptionId, planId: sub!.plan, currentPeriodEnd: iso(sub!.periodEnd), endedAt: iso(at), occurredAt: iso(at) }, at);
        break;
      }
    }
  }
  return { index, seed, workspaceId, customerId, subscriptionId, events, steps };
}

const ENTITLED = new Set(['trialing', 'active', 'past_due']);
const TERMINAL = new Set(['canceled', 'incomplete_expired']);

/**
 * The canonical final state of a history: its events read in processor-time order by a model of
 * what each event means for the customer (money once per money id, a pack refund takes its credits
 * back, the latest subscription state wins, an end is final, owners are told of each first failure
 * of an invoice, each receipt, each cancellation at period end and the end).
 */
export function canonicalState(history: Pick<History, 'events'>): CanonicalState {
  const state: CanonicalState = {
    plan: null,
    status: null,
    subscriptionId: null,
    cancelAtPeriodEnd: false,
    credits: 0,
    payments: 0,
    emails: Object.fromEntries(TEMPLATES.map((t) => [t, 0])) as Record<Template, number>,
  };
  const paymentStatus = new Map<string, 'failed' | 'succeeded' | 'refunded'>();
  const packCredits = new Map<string, number>();
  const ordered = [...history.events].sort((a, b) => a.at - b.at);
  for (const { delivery } of ordered) {
    const d = delivery.data as any;
    switch (delivery.type) {
      case 'payment.succeeded': {
        const before = paymentStatus.get(d.money.moneyId);
        if (before === 'succeeded' || before === 'refunded') break;
        paymentStatus.set(d.money.moneyId, 'succeeded');
        if (d.planId === 'credits10') {
          state.credits += PACK_CREDITS;
          packCredits.set(d.money.moneyId, PACK_CREDITS);
          if (d.money.amount > 0) state.emails.credits_purchased++;
        } else if (d.money.amount > 0) state.emails.payment_succeeded++;
        break;
      }
      case 'payment.failed':
        if (paymentStatus.has(d.money.moneyId)) break;
        paymentStatus.set(d.money.moneyId, 'failed');
        state.emails.payment_failed++;
        break;
      case 'payment.refunded': {
        if (paymentStatus.get(d.moneyId) !== 'succeeded') break;
        paymentStatus.set(d.moneyId, 'refunded');
        const granted = packCredits.get(d.moneyId) ?? 0;
        state.credits -= Math.min(granted, state.credits);
        break;
      }
      case 'subscription.changed': {
        const s = d.subscription;
        if (state.subscriptionId === s.subscriptionId && TERMINAL.has(state.status ?? '')) break;
        if (ENTITLED.has(state.status ?? '') && TERMINAL.has(s.status)) state.emails.subscription_ended++;
        else if (!state.cancelAtPeriodEnd && s.cancelAtPeriodEnd && !TERMINAL.has(s.status)) state.emails.subscription_cancelled++;
        Object.assign(state, { subscriptionId: s.subscriptionId, plan: s.planId, status: s.status, cancelAtPeriodEnd: s.cancelAtPeriodEnd });
        break;
      }
      case 'subscription.ended':
        if (TERMINAL.has(state.status ?? '')) break;
        if (ENTITLED.has(state.status ?? '')) state.emails.subscription_ended++;
        Object.assign(state, { subscriptionId: d.subscriptionId, plan: d.planId ?? state.plan, status: 'canceled', cancelAtPeriodEnd: false });
        break;
    }
  }
  state.payments = paymentStatus.size;
  return state;
}
