/*
 * What the core dedupes on, decided here once.
 *
 * Event ids: the envelope's `id` (`fevt_...`). The fake's API gives every event an id of its own and a
 * redelivery of that event keeps it, so a repeated delivery is recognised by it.
 *
 * Money ids: the charge id (`fch_...`). One charge per payment: a credit pack's purchase, a subscription's
 * first payment, each renewal. A failed renewal is retried under the same charge, so its failure and its
 * later success are one payment; a refund names the charge. The API may also send the same charge under a
 * second event id (as Stripe does): the money id makes that a no-op.
 */
export const eventIdOf = (envelope: { id: string }): string => envelope.id;
export const moneyIdOfCharge = (charge: { id: string }): string => charge.id;
