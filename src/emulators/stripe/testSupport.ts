import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
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
export class Receiver {
  readonly deliveries: ReceivedDelivery[] = [];
  readonly rejected: { error: string; body: string }[] = [];
  respond: (event: Stripe.Event, count: number) => number = () => 200;
  private readonly counts = new Map<string, number>();
  private readonly stripe = new Stripe(API_KEY);

  constructor(private readonly server: Server) {}

  static async start(): Promise<Receiver> {
    let receiver: Receiver | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => receiver!.handle(Buffer.concat(chunks), String(req.headers['stripe-signature'] ?? ''), res));
    });
    receiver = new Receiver(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhook`;
  }

  /** Event types received with a 2xx answer, in arrival order. */
  types(): string[] {
    return this.accepted().map((d) => d.event.type);
  }

  accepted(): ReceivedDelivery[] {
    return this.deliveries.filter((d) => d.status >= 200 && d.status < 300);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private handle(raw: Buffer, signature: string, res: import('node:http').ServerResponse): void {
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(raw, signature, WEBHOOK_SECRET);
    } catch (error) {
      this.rejected.push({ error: error instanceof Error ? error.message : String(error), body: raw.toString('utf8') });
      res.writeHead(400).end();
      return;
    }
    const count = (this.counts.get(event.id) ?? 0) + 1;
    this.counts.set(event.id, count);
    const status = this.respond(event, count);
    this.deliveries.push({ event, signature, status });
    res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
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
