import { createCheckout, type NewCheckout } from '@lemonsqueezy/lemonsqueezy.js';
import { z } from 'zod';
import type { CheckoutRequest, CheckoutSession } from '../paymentProcessor.js';
import { ProcessorError } from '../paymentProcessor.js';
import { checkoutModeOf } from '../plans.js';
import type { ProcessorPlanIds } from '../processorPlanIds.js';
import { ourCustomData } from './customData.js';
import type { LemonSqueezyCaller } from './lemonSqueezyErrors.js';

// The two kinds of plan we sell; the variant itself decides at Lemon Squeezy whether it renews.
const checkoutModeSchema = z.enum(['subscription', 'payment']);

const WHAT = 'Could not create the checkout';

/**
 * The hosted checkout for one plan's variant. There is no customer to create first: Lemon Squeezy
 * creates (or finds, by email) the customer when the buyer pays. Our ids travel as checkout custom
 * data, which Lemon Squeezy returns as `meta.custom_data` on the order and on every later event of
 * its subscription (see customData.ts for why the keys are snake_case).
 *
 * Only this plan's variant is enabled, so the buyer cannot switch to another variant of the product on
 * the checkout page (the order would then not be the plan our custom data names).
 */
export function buildCheckoutOptions(request: CheckoutRequest, planIds: ProcessorPlanIds): NewCheckout {
  const mode = checkoutModeSchema.safeParse(checkoutModeOf(request.plan));
  if (!mode.success) throw new ProcessorError('invalid_request', `${WHAT}: plan "${request.plan.id}" is neither a subscription nor a one-time purchase`);
  const planOfVariant = planIds.findPlan(request.processorPlanId);
  if (planOfVariant?.id !== request.plan.id) {
    throw new ProcessorError('invalid_request', `${WHAT}: variant ${request.processorPlanId} is not the variant of plan "${request.plan.id}" (check PAYMENTS_*_PLAN_ID)`);
  }
  return {
    productOptions: { redirectUrl: request.successUrl, enabledVariants: [Number(request.processorPlanId)] },
    // The free trial is the variant's own; a workspace that has had one skips it (and pays now).
    checkoutOptions: { embed: false, ...(request.trialDays === null && { skipTrial: true }) },
    checkoutData: { email: request.customerEmail, custom: ourCustomData({ workspaceId: request.workspace.id, planId: request.plan.id }) },
  };
}

const checkoutResponseSchema = z.object({
  data: z.object({ id: z.string().min(1), attributes: z.object({ url: z.string().min(1).nullable().optional() }) }),
});

/**
 * Lemon Squeezy has no idempotency keys: a repeated request (a double click) creates a second
 * checkout. That is harmless - a checkout is only a signed URL; money moves only when one is paid, and
 * each paid order is applied once by its order id - so `request.idempotencyKey` is not sent.
 */
export async function createLemonSqueezyCheckout(
  caller: LemonSqueezyCaller,
  request: CheckoutRequest,
  options: { storeId: string; planIds: ProcessorPlanIds },
): Promise<CheckoutSession> {
  const checkout = buildCheckoutOptions(request, options.planIds);
  const response = await caller.call(WHAT, () => createCheckout(options.storeId, request.processorPlanId, checkout));
  const parsed = checkoutResponseSchema.safeParse(response);
  if (!parsed.success) throw new ProcessorError('api', `${WHAT}: Lemon Squeezy answered without a checkout id`);
  const { id, attributes } = parsed.data.data;
  if (!attributes.url) throw new ProcessorError('api', `${WHAT}: Lemon Squeezy returned checkout ${id} without a URL`);
  return { sessionUrl: attributes.url, sessionId: id };
}
