import type { IncomingHttpHeaders } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import type { BillingEvent, ParsedDelivery, SubscriptionSnapshot } from './events.js';
import type { Plan } from './plans.js';
import type { ProcessorPlanIds } from './processorPlanIds.js';

export interface CheckoutRequest {
  workspace: { id: string; name: string };
  /** The workspace's customer at this processor, when it has one. */
  customerId: string | null;
  customerEmail: string;
  plan: Plan;
  processorPlanId: string;
  successUrl: string;
  cancelUrl: string;
  /** The same for a repeated request (a double click): the processor returns the same session. */
  idempotencyKey: string;
  /** Days free before the first charge (the plan's trial, for a workspace that has not had one); null: none. */
  trialDays: number | null;
}

export interface CheckoutSession {
  sessionUrl: string;
  sessionId: string;
}

/**
 * What a processor implements: its own world in, normalized facts out. It never touches the database;
 * the core stores what it returns and applies the events its webhooks map to.
 */
export interface ProcessorDriver {
  id: string;
  planIds: ProcessorPlanIds;
  /** Processors with customer objects create one per workspace (carrying the workspace id) before checkout. */
  createCustomer?(args: { workspace: { id: string; name: string }; email: string }): Promise<string>;
  createCheckoutSession(request: CheckoutRequest): Promise<CheckoutSession>;
  fetchCustomerPortalUrl(args: { customerId: string; returnUrl: string }): Promise<string>;
  /** Verifies the raw bytes and maps them; throws WebhookSignatureError / WebhookPayloadError. */
  parseWebhook(rawBody: Buffer, headers: IncomingHttpHeaders): Promise<ParsedDelivery>;
  /**
   * Maps a delivery's stored payload (the parsed JSON parseWebhook returned) and its type again, for a
   * replay: the same mapping as parseWebhook, WITHOUT signature verification (it was verified when it
   * arrived; the payload comes from our own database): the events, or why it is ignored / unreadable, as
   * parseWebhook says. Throws WebhookPayloadError. Optional: a processor without it can neither replay
   * deliveries nor apply parked ones.
   */
  mapStoredPayload?(payload: unknown, type: string): Promise<MappedPayload>;
  /** The subscription's current state, for when the order of two events cannot be decided. */
  fetchSubscription(subscriptionId: string): Promise<SubscriptionSnapshot | null>;
  /**
   * The workspace's billing as the processor holds it now, for reconciliation (webhooks that never
   * arrived): the current subscription (`subscription.changed` stamped with the processor's time, or
   * `subscription.ended`) and recent payments (`payment.succeeded` / `.failed` / `.refunded`), under the
   * same money ids as the webhooks. Only objects of this workspace: a ref names it, or no workspace
   * (then the core takes it as this one's). Optional: without it the processor cannot be reconciled.
   */
  fetchCustomerState?(request: CustomerStateRequest): Promise<BillingEvent[]>;

  // Owner-initiated subscription changes (optional: an operation on a processor without one answers 501).
  // Each asks the processor for the change and returns; the new state arrives by webhook through the
  // engine, like every other change. Asking for what the processor already has is a no-op, not an error.
  /**
   * Switches the subscription to another price / variant (`processorPlanId`) now. `prorate: true` (an
   * upgrade): the processor's proration settles the rest of the period. `prorate: false` (a downgrade the
   * core defers to the period end): no proration, the new price is billed from the next renewal.
   */
  changeSubscriptionPlan?(subscriptionId: string, processorPlanId: string, options: { prorate: boolean }): Promise<void>;
  /** At period end: access continues until then, no renewal. Now: the subscription ends at once. A processor that cannot do one throws ProcessorError 'unsupported'. */
  cancelSubscription?(subscriptionId: string, options: { atPeriodEnd: boolean }): Promise<void>;
  /** Undoes a pending cancellation at period end. */
  resumeSubscription?(subscriptionId: string): Promise<void>;

  /**
   * Refunds a recorded payment (by the money id the core stored it under): `amount` in minor units, or
   * all that is left to refund. Only asks: the refund's effect arrives by webhook through the engine.
   * `idempotencyKey`: the same key means the same refund, for processors that take one.
   */
  refundPayment?(moneyId: string, amount?: number, options?: { idempotencyKey?: string }): Promise<RefundResult>;

  /** Webhook endpoint setup through the processor's API (`npm run billing:webhook-endpoint`, start-up check). Optional. */
  webhookEndpoint?: WebhookEndpointApi;

  /** Releases what the processor started (e.g. a local emulator) when the server stops. */
  close?(): Promise<void>;
  /** One line for the startup log: how this processor is reached (never a secret). */
  describe?(): string;
  /** The (lowercase) header its webhooks are signed in: how the plain `/payments-webhook` tells processors apart. */
  signatureHeader?: string;
  /** True when it talks to a local emulator (the zero-config development mode): start-up checks of the real account are skipped. */
  emulated?: boolean;
}

export interface WebhookEndpointSetup {
  action: 'created' | 'updated' | 'unchanged';
  endpointId: string;
  /** The signing secret, when the processor reveals or takes one now (on create); never logged by the core. */
  secret: string | null;
  /** The API version the endpoint delivers in, for processors that version their events. */
  apiVersion?: string;
  events: string[];
  /** Endpoints for the URL turned off because they cannot be changed into the right one (e.g. another API version). */
  disabled?: { endpointId: string; why: string }[];
}

export interface WebhookEndpointApi {
  /** The env variable the app reads the endpoint's signing secret from. */
  secretVariable: string;
  /** Creates or updates the endpoint for `url` so it sends exactly the events the plugin handles (and the pinned API version). */
  ensure(args: { url: string }): Promise<WebhookEndpointSetup>;
  /** What differs between the processor's endpoint for `url` and what the plugin needs, in words; [] when it is right. */
  check(args: { url: string }): Promise<string[]>;
}

/** What a stored payload maps to again: the parts of a ParsedDelivery the mapping decides. */
export type MappedPayload = Pick<ParsedDelivery, 'events' | 'ignoredReason' | 'unreadable'>;

/** What the core knows of a workspace at its processor, for `fetchCustomerState`. */
export interface CustomerStateRequest {
  workspaceId: string;
  /** Its customer at this processor; null when none is linked yet. */
  customerId: string | null;
  /** The subscription it holds; null when none yet. */
  subscriptionId: string | null;
  /** The money ids of its newest recorded payments: what a processor that cannot list payments by customer refetches. */
  moneyIds: string[];
}

export interface RefundResult {
  /** What the processor refunded, in minor units. */
  amount: number;
  /** The processor's refund id, where it has one. */
  refundId: string | null;
}

/** Wasp's `MiddlewareConfigFn`: receives the default middleware by name and returns the ones to use. */
export type MiddlewareConfig = Map<string, RequestHandler>;
export type MiddlewareConfigFn = (config: MiddlewareConfig) => MiddlewareConfig;

/** The interface the app (and a Wasp `api`) sees: the driver plus a ready webhook handler. */
export interface PaymentProcessor extends ProcessorDriver {
  webhook: (req: Request, res: Response, context?: unknown) => Promise<void>;
  webhookMiddlewareConfigFn: MiddlewareConfigFn;
}

/** `unsupported`: the processor has no way to do what was asked (e.g. Lemon Squeezy cannot end a subscription now). */
export type ProcessorErrorKind = 'card' | 'invalid_request' | 'authentication' | 'rate_limit' | 'api' | 'connection' | 'unsupported';

/** A processor call failed; the message is safe to show (no keys, no raw responses). */
export class ProcessorError extends Error {
  override name = 'ProcessorError';
  constructor(
    readonly kind: ProcessorErrorKind,
    message: string,
  ) {
    super(message);
  }
}
