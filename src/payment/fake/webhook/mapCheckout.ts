import type { BillingEvent } from '../../events.js';
import { planOfPrice, workspaceRefOf, type MapContext } from './mapContext.js';
import type { checkoutSchema } from './payloadSchemas.js';
import type { z } from 'zod';

/** checkout.paid: the buyer paid; links the workspace to its customer. The money comes as charge.paid. */
export function mapCheckoutPaid(checkout: z.output<typeof checkoutSchema>, ctx: MapContext): BillingEvent[] {
  return [{ type: 'checkout.completed', ref: workspaceRefOf(checkout), customerId: checkout.customer, sessionId: checkout.id, planId: planOfPrice(checkout.price, ctx.planIds) }];
}
