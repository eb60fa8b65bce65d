import express, { Router, type ErrorRequestHandler, type Request } from 'express';
import type { ResumeOrder } from './webhookDispatcher.js';

/**
 * The emulators' test controls over HTTP (`/_emulator/...`): body parsing and checking, the controls
 * both emulators have, and the error middleware. Each emulator adds its own controls (routes/controls.ts).
 */

export class ControlError extends Error {}

export function bodyOf(req: Request): Record<string, unknown> {
  return (req.body ?? {}) as Record<string, unknown>;
}

export interface ControlHelpers {
  /** A required non-empty string (or, where the emulator allows it, a finite number, as a string). */
  text(req: Request, key: string): string;
  /** A required number >= 0 (a JSON number or a numeric string). */
  number(req: Request, key: string): number;
}

export function controlHelpers(options: { numbersAsText: boolean }): ControlHelpers {
  return {
    text(req, key) {
      const value = bodyOf(req)[key];
      if (options.numbersAsText && typeof value === 'number' && Number.isFinite(value)) return String(value);
      if (typeof value !== 'string' || value === '') throw new ControlError(`"${key}" is required (a string)`);
      return value;
    },
    number(req, key) {
      const raw = bodyOf(req)[key];
      const value = typeof raw === 'string' ? Number(raw) : raw;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new ControlError(`"${key}" must be a number >= 0`);
      return value;
    },
  };
}

/** What the shared controls need of an emulator. */
export interface ControllableEmulator {
  now(): Date;
  advanceClock(seconds: number): Promise<unknown>;
  pauseDeliveries(): void;
  resumeDeliveries(options: { order?: ResumeOrder }): Promise<void>;
  dropDeliveries(about: { customer?: string } | null): void;
  dropped(): string[];
  redeliver(id: string): Promise<unknown>;
  deliveryDelayMs: number;
  setWebhookUrl(url: string): void;
  completeCheckout(id: string, card: string | undefined): Promise<unknown>;
  /** A kind the route checked: `other-product` (with `customerId` when given), `other-customer`, `unknown-event` or one of `moreForeignTraffic`. */
  sendForeignTraffic(traffic: { kind: string; customerId?: string }): Promise<void>;
  idle(): Promise<void>;
}

export interface SharedControlOptions {
  helpers: ControlHelpers;
  /** The body key of POST /_emulator/redeliver (`eventId`, `deliveryId`). */
  redeliverKey: string;
  /** The body key of POST /_emulator/complete-checkout (`sessionId`, `checkoutId`). */
  checkoutKey: string;
  /** Kinds of POST /_emulator/foreign-traffic this emulator sends beyond the shared ones (../shared/foreignTraffic.ts). */
  moreForeignTraffic?: readonly string[];
}

/**
 * A router with the body parsers and the controls both emulators have: GET /_emulator/now; POST
 * /_emulator/advance-clock {seconds}, /pause-deliveries, /resume-deliveries {order}, /redeliver {id},
 * /drop-deliveries {drop, customer?}, /delivery-delay {ms}, /webhook-url {url}, /complete-checkout {id, card},
 * /foreign-traffic {kind, customerId?}, /idle. Add the emulator's own routes, then `controlErrors`.
 */
export function sharedControlRoutes(emulator: ControllableEmulator, options: SharedControlOptions): Router {
  const { text, number } = options.helpers;
  const router = Router();
  router.use('/_emulator', express.json(), express.urlencoded({ extended: false }));

  router.get('/_emulator/now', (_req, res) => {
    const now = emulator.now();
    res.json({ now: now.toISOString(), unix: Math.floor(now.getTime() / 1000) });
  });
  router.post('/_emulator/advance-clock', async (req, res) => {
    await emulator.advanceClock(number(req, 'seconds'));
    res.json({ now: emulator.now().toISOString() });
  });
  router.post('/_emulator/pause-deliveries', (_req, res) => {
    emulator.pauseDeliveries();
    res.json({ paused: true });
  });
  router.post('/_emulator/delivery-delay', (req, res) => {
    emulator.deliveryDelayMs = number(req, 'ms');
    res.json({ ms: emulator.deliveryDelayMs });
  });
  router.post('/_emulator/resume-deliveries', async (req, res) => {
    const order = bodyOf(req).order;
    if (order !== undefined && order !== 'sent' && order !== 'reverse' && order !== 'shuffle') {
      throw new ControlError('"order" must be sent, reverse or shuffle');
    }
    await emulator.resumeDeliveries({ order });
    res.json({ paused: false });
  });
  // Lost webhooks, for reconciliation tests: {drop: true} loses every later webhook, with {customer} only
  // those about that customer; {drop: false} delivers again. Answers the ids lost so far (redeliver them later).
  router.post('/_emulator/drop-deliveries', (req, res) => {
    const { drop, customer } = bodyOf(req);
    if (drop !== true && drop !== false) throw new ControlError('"drop" must be true or false');
    if (customer !== undefined && (typeof customer !== 'string' || customer === '')) throw new ControlError('"customer" must be a customer id');
    emulator.dropDeliveries(drop ? { ...(customer !== undefined && { customer }) } : null);
    res.json({ dropping: drop, dropped: emulator.dropped() });
  });
  router.post('/_emulator/redeliver', async (req, res) => {
    await emulator.redeliver(text(req, options.redeliverKey));
    res.json({ ok: true });
  });
  router.post('/_emulator/webhook-url', (req, res) => {
    emulator.setWebhookUrl(text(req, 'url'));
    res.json({ ok: true });
  });
  router.post('/_emulator/complete-checkout', async (req, res) => {
    const card = bodyOf(req).card;
    res.json(await emulator.completeCheckout(text(req, options.checkoutKey), typeof card === 'string' ? card : undefined));
  });
  router.post('/_emulator/foreign-traffic', async (req, res) => {
    const kind = text(req, 'kind');
    const withoutParameters = ['other-customer', 'unknown-event', ...(options.moreForeignTraffic ?? [])];
    if (kind === 'other-product') await emulator.sendForeignTraffic({ kind, ...(bodyOf(req).customerId !== undefined && { customerId: text(req, 'customerId') }) });
    else if (withoutParameters.includes(kind)) await emulator.sendForeignTraffic({ kind });
    else throw new ControlError(`"kind" must be one of other-product, ${withoutParameters.join(', ')}`);
    res.json({ ok: true });
  });
  router.post('/_emulator/idle', async (_req, res) => {
    await emulator.idle();
    res.json({ idle: true });
  });
  return router;
}

/** A checkout payment error: `declined` is a 402, anything else a 400. */
export type PaymentErrorLike = Error & { kind: string };

/** 400 for a bad control body, 402/400 for a checkout payment error, 404 for `No such ...`. */
export function controlErrors(isPaymentError: (err: unknown) => err is PaymentErrorLike): ErrorRequestHandler {
  return (err, _req, res, next) => {
    if (err instanceof ControlError) res.status(400).json({ error: err.message });
    else if (isPaymentError(err)) res.status(err.kind === 'declined' ? 402 : 400).json({ error: err.message, kind: err.kind });
    else if (err instanceof Error && /^No such/.test(err.message)) res.status(404).json({ error: err.message });
    else next(err);
  };
}
