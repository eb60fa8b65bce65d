import { installApiOriginRedirect, uninstallApiOriginRedirect } from '../apiOrigin.js';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { createCheckout, lemonSqueezySetup, type Checkout } from '@lemonsqueezy/lemonsqueezy.js';
import { VerifyingReceiver } from '../../../emulators/shared/testReceiver.js';
import {
  startLemonSqueezyEmulator,
  type LemonSqueezyEmulator,
  type LemonSqueezyEmulatorOptions,
  type LsWebhookBody,
} from './index.js';

/** Helpers for this folder's tests: an emulator the real SDK reaches, and a receiver that checks signatures. */

export const WEBHOOK_SECRET = 'ls_emulator_test_secret';
export const API_KEY = 'ls_test_api_key';
export const STORE_ID = 12345;
export const VARIANTS = { hobby: 1001, pro: 1002, proYearly: 1003, credits: 1004 } as const;
export const DAY = 24 * 60 * 60;

export const TEST_VARIANTS: LemonSqueezyEmulatorOptions['variants'] = [
  { id: VARIANTS.hobby, productName: 'Hobby', price: 900, currency: 'usd', interval: 'month' },
  { id: VARIANTS.pro, productName: 'Pro', price: 2900, currency: 'usd', interval: 'month' },
  { id: String(VARIANTS.proYearly), productName: 'Pro yearly', price: 29000, currency: 'USD', interval: 'year' },
  { id: VARIANTS.credits, productName: '10 credits', price: 990, currency: 'usd' },
];

export interface ReceivedWebhook {
  raw: string;
  body: LsWebhookBody;
  eventName: string;
  contentType: string;
  signature: string;
  status: number;
}

/** A webhook endpoint that checks every X-Signature itself; `respond` picks the status (default 200). */
export class Receiver extends VerifyingReceiver<ReceivedWebhook, ReceivedWebhook, { reason: string; raw: string }> {
  static start(): Promise<Receiver> {
    return new Receiver().listen();
  }

  get received(): ReceivedWebhook[] {
    return this.log;
  }

  /** Event names received with a 2xx answer, in arrival order. */
  names(): string[] {
    return this.accepted().map((d) => d.eventName);
  }

  protected verify(raw: Buffer, headers: IncomingHttpHeaders) {
    const signature = String(headers['x-signature'] ?? '');
    const expected = createHmac('sha256', WEBHOOK_SECRET).update(raw).digest();
    const given = /^[0-9a-f]{64}$/.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { rejection: { reason: 'bad signature', raw: raw.toString('utf8') }, status: 401 };
    }
    const text = raw.toString('utf8');
    const body = JSON.parse(text) as LsWebhookBody;
    const eventName = String(headers['x-event-name'] ?? '');
    if (eventName !== body.meta.event_name) {
      return { rejection: { reason: `X-Event-Name ${eventName} is not meta.event_name ${body.meta.event_name}`, raw: text }, status: 400 };
    }
    const webhook: ReceivedWebhook = { raw: text, body, eventName, contentType: String(headers['content-type'] ?? ''), signature, status: 0 };
    // Counted by body: a redelivery is the same body.
    return {
      subject: webhook,
      key: text,
      record: (status: number) => Object.assign(webhook, { status }),
    };
  }
}

export interface Harness {
  emulator: LemonSqueezyEmulator;
  receiver: Receiver;
  close(): Promise<void>;
}

/** An emulator with a verifying receiver; the SDK's origin is routed to it until `close()`. */
export async function startHarness(options: Partial<LemonSqueezyEmulatorOptions> = {}): Promise<Harness> {
  const receiver = await Receiver.start();
  const emulator = await startLemonSqueezyEmulator({
    storeId: STORE_ID,
    variants: TEST_VARIANTS,
    webhookSecret: WEBHOOK_SECRET,
    webhookUrl: receiver.url,
    retry: { attempts: 4, baseDelayMs: 10 },
    ...options,
  });
  installApiOriginRedirect(emulator.url);
  lemonSqueezySetup({ apiKey: API_KEY });
  return {
    emulator,
    receiver,
    async close() {
      uninstallApiOriginRedirect();
      await emulator.stop();
      await receiver.close();
    },
  };
}

/** The SDK's success branch, or a failed test naming the error. */
export function ok<T>(response: { data: T | null; error: Error | null; statusCode: number | null }): T {
  if (response.error || response.data === null) {
    throw new Error(`SDK call failed (${response.statusCode}): ${response.error?.message} ${JSON.stringify(response.error?.cause)}`);
  }
  return response.data;
}

export interface Purchase {
  checkout: Checkout;
  orderId: string;
  customerId: string;
  subscriptionId: string | null;
  invoiceId: string | null;
  redirectUrl: string;
}

/** Creates a checkout with the SDK and pays it the way the hosted page's Pay does. */
export async function buy(
  h: Harness,
  options: { variantId?: number; card?: string; email?: string; custom?: Record<string, unknown>; redirectUrl?: string } = {},
): Promise<Purchase> {
  const checkout = ok(
    await createCheckout(STORE_ID, options.variantId ?? VARIANTS.pro, {
      checkoutData: { email: options.email ?? 'owner@example.com', custom: options.custom ?? { workspace_id: 'ws_1', plan_id: 'pro' } },
      productOptions: { redirectUrl: options.redirectUrl ?? 'http://app.test/billing/success' },
    }),
  );
  const before = h.emulator.emitted().length;
  const { redirectUrl } = await h.emulator.completeCheckout(checkout.data.id, options.card);
  const emitted = h.emulator.emitted().slice(before);
  const order = emitted.find((e) => e.eventName === 'order_created')!;
  const subscription = emitted.find((e) => e.eventName === 'subscription_created');
  const invoice = emitted.find((e) => e.eventName === 'subscription_payment_success');
  return {
    checkout,
    orderId: order.body.data.id,
    customerId: String((order.body.data.attributes as { customer_id: number }).customer_id),
    subscriptionId: subscription?.body.data.id ?? null,
    invoiceId: invoice?.body.data.id ?? null,
    redirectUrl,
  };
}

/** Seconds from the emulator's now until an ISO time. */
export function secondsUntil(h: Harness, iso: string): number {
  return Math.round((Date.parse(iso) - h.emulator.now().getTime()) / 1000);
}
