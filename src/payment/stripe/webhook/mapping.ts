import type { BillingEvent } from '../../events.js';

/** A verified Stripe object that is not about us (another app's, `stripe trigger`'s): acknowledged and recorded ignored. */
export interface NotOurs {
  notOurs: string;
}

/** What a mapper returns: the normalized events of one of our objects, or why the object is not ours. */
export type Mapping = BillingEvent[] | NotOurs;

export const notOurs = (reason: string): NotOurs => ({ notOurs: reason });

export const isNotOurs = (mapping: Mapping): mapping is NotOurs => !Array.isArray(mapping);

/** The events of a mapping, none for an object that is not ours (reconciliation reads our customer's lists, where such objects are skipped). */
export const eventsOf = (mapping: Mapping): BillingEvent[] => (isNotOurs(mapping) ? [] : mapping);
