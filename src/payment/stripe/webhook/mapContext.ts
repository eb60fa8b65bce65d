import type { ProcessorPlanIds } from '../../processorPlanIds.js';
import type { PaidInvoice } from './moneyIds.js';

/** What every mapper gets besides the object: the event's facts and the lookups it may need. */
export interface MapContext {
  eventType: string;
  /** The event's `created`: the processor time of every state it carries. */
  occurredAt: Date;
  planIds: ProcessorPlanIds;
  /** The invoice a payment intent paid, for matching a refund to the invoice the payment was recorded under. */
  findInvoiceOfPaymentIntent(paymentIntentId: string): Promise<PaidInvoice | null>;
}
