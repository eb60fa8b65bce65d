import type { IncomingHttpHeaders } from 'node:http';
import Stripe from 'stripe';
import { VerifyingReceiver } from '../../../emulators/shared/testReceiver.js';
import { startStripeEmulator, type StripeEmulator, type StripeEmulatorOptions } from './index.js';

/** Helpers for this folder's tests: an emulator, an SDK client pointed at it, and a verifying receiver. */

export const WEBHOOK_SECRET = 'whsec_emulator_test_secret';
export const API_KEY = 'sk_test_emulator';

export const TEST_PRICES: StripeEmulatorOptions['prices'] = [
  { id: 'price_hobby', productName: 'Hobby', unitAmount: 900, currency: 'usd', interval: 'month' },
  { id: 'price_pro', productName: 'Pro', unitAmount: 2900, currency: 'usd', interval: 'month' },
  { id: 'price_pro_yearly', productName: 'Pro yearly', unitAmount: 29000, currency: 'usd', interval: 'year' },
  { id: 'price_credits10', productName: '10 credits', unitAmount: 990, currency: 'usd' },
];

export interface ReceivedDelivery {
  event: Stripe.Event;
  signature: string;
  status: number;
}

/** A webhook endpoint that verifies every delivery with the SDK; `respond` picks the status (default 200). */
export class Receiver extends VerifyingReceiver<Stripe.Event, ReceivedDelivery, { error: string; body: string }> {
  private readonly stripe = new Stripe(API_KEY);

  static start(): Promise<Receiver> {
    return new Receiver().listen();
  }

  get deliveries(): ReceivedDelivery[] {
    return this.log;
  }

  /** Event types received with a 2xx answer, in arrival order. */
  types(): string[] {
    return this.accepted().map((d) => d.event.type);
  }

  protected verify(raw: Buffer, headers: IncomingHttpHeaders) {
    const signature = String(headers['stripe-signature'] ?? '');
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(raw, signature, WEBHOOK_SECRET);
    } catch (error) {
      return { rejection: { error: error instanceof Error ? error.message : String(error), body: raw.toString('utf8') }, status: 400 };
    }
    return { subject: event, key: event.id, record: (status: number) => ({ event, signature, status }) };
  }
}

export interface Harness {
  emulator: StripeEmulator;
  stripe: Stripe;
  receiver: Receiver;
  close(): Promise<void>;
}

export function sdkFor(emulator: StripeEmulator, apiKey = API_KEY): Stripe {
  return new Stripe(apiKey, {
    host: '127.0.0.1',
    port: emulator.port,
    protocol: 'http',
    apiVersion: '2026-10-28.endive',
    maxNetworkRetries: 0,
  });
}

export async function startHarness(options: Partial<StripeEmulatorOptions> = {}): Promise<Harness> {
  const receiver = await Receiver.start();
  const emulator = await startStripeEmulator({
    webhookSecret: WEBHOOK_SECRET,
    webhookUrl: receiver.url,
    prices: TEST_PRICES,
    retry: { attempts: 4, baseDelayMs: 20 },
    ...options,
  });
  return {
    emulator,
    stripe: sdkFor(emulator),
    receiver,
    async close() {
      await emulator.stop();
      await receiver.close();
    },
  };
}

/** Creates a customer for a workspace and a subscription checkout session, and pays it. */
export async function subscribe(
  h: Harness,
  options: { price?: string; card?: string; trialDays?: number; workspaceId?: string } = {},
): Promise<{ customer: Stripe.Customer; session: Stripe.Checkout.Session; subscription: Stripe.Subscription }> {
  const workspaceId = options.workspaceId ?? 'ws_1';
  const customer = await h.stripe.customers.create({ email: 'owner@example.com', metadata: { workspaceId } });
  const session = await h.stripe.checkout.sessions.create({
    mode: 'subscription',
    customer: customer.id,
    line_items: [{ price: options.price ?? 'price_pro', quantity: 1 }],
    client_reference_id: workspaceId,
    metadata: { workspaceId, planId: 'pro' },
    subscription_data: { metadata: { workspaceId, planId: 'pro' }, ...(options.trialDays ? { trial_period_days: options.trialDays } : {}) },
    success_url: 'http://app.test/billing/success?session_id={CHECKOUT_SESSION_ID}',
    cancel_url: 'http://app.test/billing/cancel',
  });
  await h.emulator.completeCheckout(session.id, options.card);
  const completed = await h.stripe.checkout.sessions.retrieve(session.id);
  const subscription = await h.stripe.subscriptions.retrieve(String(completed.subscription));
  return { customer, session: completed, subscription };
}

export const DAY = 24 * 60 * 60;
