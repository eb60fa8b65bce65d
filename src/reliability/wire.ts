import type { History, Rng } from './histories.js';
import type { TrafficClass, TrafficClasses } from './trafficClasses.js';

/** A delivery as a processor puts it on the wire: exact bytes, signed by the processor's rules. */
export interface WireDelivery {
  /** What the plugin records it under: Stripe's event id, Lemon Squeezy's derived key, the fake's id. */
  eventId: string;
  type: string;
  body: string;
  /** Made per attempt: a Stripe signature carries its time, checked against the server's clock. */
  headers(): Record<string, string>;
}

/** Traffic that must change nothing: recorded with one of `recordedAs`, no payment or ledger row for its money, no workspace on its subscription. */
export interface NoEffect {
  trafficClass: TrafficClass;
  recordedAs: readonly string[];
  moneyIds: string[];
  subscriptionIds: string[];
}

export interface WireEvent {
  delivery: WireDelivery;
  /** The same fact under another delivery id, as processors resend it. */
  twin(): WireDelivery;
  /** Processor time (ms): the order the processor produced it in. */
  at: number;
  noEffect?: NoEffect;
}

/** A history as one processor sends it, in processor-time order. */
export interface WireHistory {
  history: History;
  events: WireEvent[];
}

export interface WireEncoder {
  /** The processor's id (PAYMENTS_PROCESSOR). */
  processor: string;
  /** What a chaos server process needs to run this processor (CHAOS_PROCESSOR, secret, plan ids). */
  serverEnv: Record<string, string>;
  /** Starts what the mapping calls (an emulator of the processor's API); its env goes to the servers. */
  startApi?(): Promise<{ env: Record<string, string>; stop(): Promise<void> }>;
  /** The processor's id for a history's subscription (Lemon Squeezy's are numbers). */
  subscriptionIdOf(historySubscriptionId: string | null): string | null;
  encode(history: History, rng: Rng, classes: TrafficClasses): WireHistory;
}

/** Events sorted by processor time; events of one instant keep the order they were made in. */
export function inTimeOrder(events: WireEvent[]): WireEvent[] {
  return events.map((event, i) => ({ event, i })).sort((a, b) => a.event.at - b.event.at || a.i - b.i).map(({ event }) => event);
}

/** A time inside the history's span, for traffic that arrives among its events. */
export function timeWithin(history: History, rng: Rng): number {
  const first = history.events[0]!.at;
  const last = history.events.at(-1)!.at;
  return first + Math.floor(rng() * (last - first + 1));
}
