/*
 * Money ids: what each payment is recorded under (the core applies money once per id), chosen so every
 * later event about the same money - a redelivery, a second event type for the same fact, a refund -
 * carries the same id. Prefixed with the object type: Lemon Squeezy numbers orders and subscription
 * invoices separately, so a bare "123" could name either.
 *
 * - One-time purchases (credit packs): the order, `order:<order id>`. order_created carries the money;
 *   order_refunded names the same order.
 * - Subscriptions: each subscription invoice, `invoice:<subscription invoice id>` (data.id of the
 *   subscription-invoices object). subscription_payment_success and subscription_payment_recovered
 *   both map to it, so a recovered after a success (or the other way round) is a no-op;
 *   subscription_payment_failed and _refunded name the same invoice. A subscription's first order is
 *   not money of its own here: its money is the initial invoice (billing_reason "initial"), so the
 *   order and the invoice are not counted twice.
 */
export const orderMoneyId = (orderId: string): string => `order:${orderId}`;
export const invoiceMoneyId = (subscriptionInvoiceId: string): string => `invoice:${subscriptionInvoiceId}`;
