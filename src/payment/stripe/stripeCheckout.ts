import type Stripe from 'stripe';
import { z } from 'zod';
import type { CheckoutRequest, CheckoutSession } from '../paymentProcessor.js';
import { ProcessorError } from '../paymentProcessor.js';
import { checkoutModeOf } from '../plans.js';
import type { ProcessorPlanIds } from '../processorPlanIds.js';
import { callStripe } from './stripeErrors.js';

// Stripe's `mode` is an open string type; only these two are ours.
const checkoutModeSchema = z.enum(['subscription', 'payment']);

const WHAT = 'Could not create the checkout session';

/**
 * The hosted checkout for one plan. Our ids travel with it so every webhook finds the workspace:
 * client_reference_id and metadata on the session, and the same metadata on the object that outlives
 * it (the subscription, or the payment intent - whose metadata Stripe copies onto the charge - and the
 * post-payment invoice).
 */
export function buildCheckoutSessionParams(
  request: CheckoutRequest,
  options: { automaticTax: boolean; planIds: ProcessorPlanIds },
): Stripe.Checkout.SessionCreateParams {
  const parsedMode = checkoutModeSchema.safeParse(checkoutModeOf(request.plan));
  if (!parsedMode.success) throw new ProcessorError('invalid_request', `${WHAT}: plan "${request.plan.id}" has no checkout mode Stripe supports`);
  const mode = parsedMode.data;
  const planOfPrice = options.planIds.findPlan(request.processorPlanId);
  if (planOfPrice?.id !== request.plan.id) {
    throw new ProcessorError('invalid_request', `${WHAT}: price ${request.processorPlanId} is not the price of plan "${request.plan.id}" (check PAYMENTS_*_PLAN_ID)`);
  }

  const metadata = { workspaceId: request.workspace.id, planId: request.plan.id };
  const params: Stripe.Checkout.SessionCreateParams = {
    mode,
    line_items: [{ price: request.processorPlanId, quantity: 1 }],
    client_reference_id: request.workspace.id,
    metadata,
    allow_promotion_codes: true,
    success_url: withSessionId(request.successUrl),
    cancel_url: request.cancelUrl,
    ...(request.customerId ? { customer: request.customerId } : { customer_email: request.customerEmail }),
  };
  if (mode === 'subscription') {
    params.subscription_data = { metadata, ...(request.trialDays && { trial_period_days: request.trialDays }) };
  } else {
    params.payment_intent_data = { metadata };
    params.invoice_creation = { enabled: true, invoice_data: { metadata } };
    // Without a customer Stripe may not create one for a payment; we need it to link the workspace.
    if (!request.customerId) params.customer_creation = 'always';
  }
  if (options.automaticTax) {
    params.automatic_tax = { enabled: true };
    // Stripe refuses automatic tax with an existing customer unless checkout may save the address it collects.
    if (request.customerId) params.customer_update = { address: 'auto' };
  }
  return params;
}

export async function createStripeCheckoutSession(
  stripe: Stripe,
  request: CheckoutRequest,
  options: { automaticTax: boolean; planIds: ProcessorPlanIds },
): Promise<CheckoutSession> {
  const params = buildCheckoutSessionParams(request, options);
  const session = await callStripe(WHAT, () => stripe.checkout.sessions.create(params, { idempotencyKey: request.idempotencyKey }));
  if (!session.url) throw new ProcessorError('api', `${WHAT}: Stripe returned session ${session.id} without a URL`);
  return { sessionUrl: session.url, sessionId: session.id };
}

/** Stripe fills in {CHECKOUT_SESSION_ID} itself; the braces must stay unencoded. */
function withSessionId(successUrl: string): string {
  return `${successUrl}${successUrl.includes('?') ? '&' : '?'}session_id={CHECKOUT_SESSION_ID}`;
}
