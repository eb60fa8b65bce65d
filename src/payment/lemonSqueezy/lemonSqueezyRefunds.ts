import { getOrder, getSubscriptionInvoice, issueOrderRefund, issueSubscriptionInvoiceRefund } from '@lemonsqueezy/lemonsqueezy.js';
import { ProcessorError, type ProcessorDriver } from '../paymentProcessor.js';
import type { LemonSqueezyCaller, LemonSqueezyResult } from './lemonSqueezyErrors.js';

/** An order or a subscription invoice: what refunding needs of either. */
interface Refundable {
  read(): Promise<LemonSqueezyResult<{ data: { attributes: { total: number; refunded_amount?: number } } }>>;
  refund(cents: number): Promise<LemonSqueezyResult<unknown>>;
}

/**
 * Refunds through Lemon Squeezy, by money id (webhook/moneyIds.ts): `order:<id>` (credit packs) with
 * issueOrderRefund, `invoice:<id>` (subscription payments) with issueSubscriptionInvoiceRefund. Its API
 * needs an amount: without one, what is left (total - refunded_amount, read from Lemon Squeezy first).
 * It takes no idempotency key, but refuses more than is left, so a repeat never refunds twice the money.
 * The effect comes back as order_refunded / subscription_payment_refunded through the engine.
 */
export function lemonSqueezyRefunds(caller: LemonSqueezyCaller): Required<Pick<ProcessorDriver, 'refundPayment'>> {
  return {
    async refundPayment(moneyId, amount) {
      const what = `Could not refund ${moneyId}`;
      const [kind, id] = moneyId.split(':');
      if ((kind !== 'order' && kind !== 'invoice') || !id) throw new ProcessorError('invalid_request', `${what}: not an order:<id> or invoice:<id> money id`);
      const money: Refundable =
        kind === 'order'
          ? { read: () => getOrder(id), refund: (cents: number) => issueOrderRefund(id, cents) }
          : { read: () => getSubscriptionInvoice(id), refund: (cents: number) => issueSubscriptionInvoiceRefund(id, cents) };
      let cents = amount;
      if (cents === undefined) {
        const { attributes } = (await caller.call(what, money.read)).data;
        // Older objects lack refunded_amount: nothing refunded yet.
        cents = attributes.total - (attributes.refunded_amount ?? 0);
        if (cents <= 0) throw new ProcessorError('invalid_request', `${what}: it has already been fully refunded`);
      }
      await caller.call(what, () => money.refund(cents));
      return { amount: cents, refundId: null };
    },
  };
}
