/**
 * Traffic a real processor sends besides a workspace's own history, each class a switch of the chaos
 * run (CHAOS_CLASSES=unknownTypes,otherCustomer,... replaces the default set; CHAOS_CLASSES=none: none).
 * - unknownTypes: event types of ours the plugin does not act on (Stripe invoice.finalized,
 *   charge.succeeded; Lemon Squeezy license_key_created): acknowledged, recorded, no effect.
 * - otherCustomer: another customer's subscription, invoice, refund or checkout (another app on the
 *   account, `stripe trigger`, another product of the store): recorded as ignored or parked.
 * - otherProduct: our workspace's customer subscribing to and paying for a price / variant that is not
 *   one of our plans: it must never attach to the workspace.
 * - olderApiVersion (Stripe): some of the history's own events in the 2024-06-20 shape.
 * - invoicesWithoutCustomData (Lemon Squeezy): subscription invoices without custom data, as Lemon
 *   Squeezy documents them: found by customer, so one delivered before its order waits (parked).
 */
export const TRAFFIC_CLASSES = ['unknownTypes', 'otherCustomer', 'otherProduct', 'olderApiVersion', 'invoicesWithoutCustomData'] as const;
export type TrafficClass = (typeof TRAFFIC_CLASSES)[number];
export type TrafficClasses = ReadonlySet<TrafficClass>;

/** On by default: every class (each processor's encoder uses those that apply to it). */
export const DEFAULT_TRAFFIC_CLASSES: readonly TrafficClass[] = TRAFFIC_CLASSES;

export function trafficClassesFrom(value: string | undefined, defaults: readonly TrafficClass[] = DEFAULT_TRAFFIC_CLASSES): TrafficClasses {
  if (value === undefined || value.trim() === '') return new Set(defaults);
  if (value.trim() === 'none') return new Set();
  const names = value.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(TRAFFIC_CLASSES as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`CHAOS_CLASSES: unknown class ${unknown.join(', ')}; known: ${TRAFFIC_CLASSES.join(', ')}, or none`);
  return new Set(names as TrafficClass[]);
}
