import type { BillingEvent } from '../../events.js';
import { isPlanId } from '../../plans.js';
import { WebhookPayloadError } from '../../webhookErrors.js';
import type { MapContext } from './mapContext.js';
import { notOurs, type Mapping, type NotOurs } from './mapping.js';
import { oneTimeCheckoutMoneyId } from './moneyIds.js';
import { checkoutSessionSchema, parsePayload, type CheckoutSessionPayload } from './payloadSchemas.js';
import { checkoutSessionNotOurs } from './relevance.js';
import { workspaceRef } from './workspaceRef.js';

const CHECKOUT_MODES = ['subscription', 'payment'] as const;
type CheckoutMode = (typeof CHECKOUT_MODES)[number];

interface OurSession {
  session: CheckoutSessionPayload;
  mode: CheckoutMode;
  planId: string;
}

/**
 * Reads a session this plugin created (its metadata carries workspaceId and planId); a session from
 * elsewhere (a payment link, another app on the account) is not ours.
 */
function ourSession(object: unknown, ctx: MapContext): OurSession | NotOurs {
  const foreign = checkoutSessionNotOurs(object);
  if (foreign) return notOurs(foreign);
  const session = parsePayload(checkoutSessionSchema, object, ctx.eventType, 'data.object');
  const planId = session.metadata.planId;
  if (planId === undefined) throw new WebhookPayloadError(`Stripe ${ctx.eventType} payload invalid: data.object.metadata.planId: required on a session of ours`);
  if (!isPlanId(planId)) throw new WebhookPayloadError(`Stripe ${ctx.eventType} payload invalid: data.object.metadata.planId: unknown plan "${planId}"`);
  const mode = CHECKOUT_MODES.find((m) => m === session.mode);
  if (!mode) throw new WebhookPayloadError(`Stripe ${ctx.eventType} payload invalid: data.object.mode: "${session.mode}" is not a subscription or payment checkout`);
  return { session, mode, planId };
}

function refOf({ session }: OurSession, ctx: MapContext) {
  return workspaceRef(session.metadata.workspaceId ?? session.client_reference_id, session.customer, ctx.eventType);
}

/**
 * checkout.session.completed: links the customer to the workspace. A one-time payment that is paid
 * (or needs none: a 100% promotion code) is also the payment, under its payment intent id (see
 * moneyIds.ts). A subscription's money arrives with invoice.paid; a delayed payment method's with
 * checkout.session.async_payment_succeeded.
 */
export function mapCheckoutSessionCompleted(object: unknown, ctx: MapContext): Mapping {
  const ours = ourSession(object, ctx);
  if ('notOurs' in ours) return ours;
  const { session, planId } = ours;
  const ref = refOf(ours, ctx);
  const events: BillingEvent[] = [];
  if (session.customer) events.push({ type: 'checkout.completed', ref, customerId: session.customer, sessionId: session.id, planId });
  if (ours.mode === 'payment' && (session.payment_status === 'paid' || session.payment_status === 'no_payment_required')) {
    events.push(paymentSucceeded(ours, ctx));
  }
  return events;
}

/** A delayed payment method (e.g. SEPA debit) settled after checkout completed unpaid. */
export function mapCheckoutSessionAsyncPaymentSucceeded(object: unknown, ctx: MapContext): Mapping {
  const ours = ourSession(object, ctx);
  if ('notOurs' in ours) return ours;
  if (ours.mode !== 'payment') return [];
  return [paymentSucceeded(ours, ctx)];
}

/** A delayed payment method failed: the pack is not granted; the owners hear of it once. */
export function mapCheckoutSessionAsyncPaymentFailed(object: unknown, ctx: MapContext): Mapping {
  const ours = ourSession(object, ctx);
  if ('notOurs' in ours) return ours;
  if (ours.mode !== 'payment') return [];
  const { session, planId } = ours;
  return [
    {
      type: 'payment.failed',
      ref: refOf(ours, ctx),
      money: { moneyId: oneTimeCheckoutMoneyId(session), ...amountOf(session, ctx) },
      planId,
      failedAt: ctx.occurredAt,
      reason: 'The payment did not complete',
    },
  ];
}

function paymentSucceeded(ours: OurSession, ctx: MapContext): BillingEvent {
  const { session, planId } = ours;
  return {
    type: 'payment.succeeded',
    ref: refOf(ours, ctx),
    money: { moneyId: oneTimeCheckoutMoneyId(session), ...amountOf(session, ctx) },
    planId,
    paidAt: ctx.occurredAt,
  };
}

function amountOf(session: CheckoutSessionPayload, ctx: MapContext): { amount: number; currency: string } {
  const missing = [session.amount_total === null && 'data.object.amount_total', session.currency === null && 'data.object.currency'].filter(Boolean);
  if (missing.length > 0 || session.amount_total === null || session.currency === null) {
    throw new WebhookPayloadError(`Stripe ${ctx.eventType} payload invalid: ${missing.map((path) => `${path}: required for a paid payment`).join('; ')}`);
  }
  return { amount: session.amount_total, currency: session.currency };
}
