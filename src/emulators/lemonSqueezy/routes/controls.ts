import express, { Router, type ErrorRequestHandler, type Request } from 'express';
import { CheckoutPaymentError } from '../checkoutFlow.js';
import type { LemonSqueezyEmulator } from '../types.js';

class ControlError extends Error {}

function bodyOf(req: Request): Record<string, unknown> {
  return (req.body ?? {}) as Record<string, unknown>;
}

function text(req: Request, key: string): string {
  const value = bodyOf(req)[key];
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string' || value === '') throw new ControlError(`"${key}" is required (a string)`);
  return value;
}

function number(req: Request, key: string): number {
  const raw = bodyOf(req)[key];
  const value = typeof raw === 'string' ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new ControlError(`"${key}" must be a number >= 0`);
  return value;
}

/**
 * The test controls over HTTP, for browser tests and other processes (JSON or form bodies):
 * POST /_emulator/advance-clock {seconds}, /pause-deliveries, /resume-deliveries {order}, /redeliver
 * {deliveryId}, /webhook-url {url}, /complete-checkout {checkoutId, card}, /update-payment-method
 * {customerId}, /idle; GET /_emulator/emitted, /deliveries, /now.
 */
export function controlRoutes(emulator: LemonSqueezyEmulator): Router {
  const router = Router();
  router.use('/_emulator', express.json(), express.urlencoded({ extended: false }));

  router.get('/_emulator/emitted', (_req, res) => {
    res.json(emulator.emitted());
  });
  router.get('/_emulator/deliveries', (_req, res) => {
    res.json({ deliveries: emulator.deliveries() });
  });
  router.get('/_emulator/now', (_req, res) => {
    const now = emulator.now();
    res.json({ now: now.toISOString(), unix: Math.floor(now.getTime() / 1000) });
  });
  router.post('/_emulator/advance-clock', async (req, res) => {
    await emulator.advanceClock(number(req, 'seconds'));
    res.json({ now: emulator.now().toISOString() });
  });
  router.post('/_emulator/delivery-delay', (req, res) => {
    emulator.deliveryDelayMs = number(req, 'ms');
    res.json({ ms: emulator.deliveryDelayMs });
  });
  router.post('/_emulator/pause-deliveries', (_req, res) => {
    emulator.pauseDeliveries();
    res.json({ paused: true });
  });
  router.post('/_emulator/resume-deliveries', async (req, res) => {
    const order = bodyOf(req).order;
    if (order !== undefined && order !== 'sent' && order !== 'reverse' && order !== 'shuffle') {
      throw new ControlError('"order" must be sent, reverse or shuffle');
    }
    await emulator.resumeDeliveries({ order });
    res.json({ paused: false });
  });
  router.post('/_emulator/redeliver', async (req, res) => {
    await emulator.redeliver(text(req, 'deliveryId'));
    res.json({ ok: true });
  });
  router.post('/_emulator/webhook-url', (req, res) => {
    emulator.setWebhookUrl(text(req, 'url'));
    res.json({ ok: true });
  });
  router.post('/_emulator/complete-checkout', async (req, res) => {
    const card = bodyOf(req).card;
    res.json(await emulator.completeCheckout(text(req, 'checkoutId'), typeof card === 'string' ? card : undefined));
  });
  router.post('/_emulator/update-payment-method', async (req, res) => {
    await emulator.updatePaymentMethod(text(req, 'customerId'));
    res.json({ ok: true });
  });
  router.post('/_emulator/idle', async (_req, res) => {
    await emulator.idle();
    res.json({ idle: true });
  });

  const errors: ErrorRequestHandler = (err, _req, res, next) => {
    if (err instanceof ControlError) res.status(400).json({ error: err.message });
    else if (err instanceof CheckoutPaymentError) res.status(err.kind === 'declined' ? 402 : 400).json({ error: err.message, kind: err.kind });
    else if (err instanceof Error && /^No such/.test(err.message)) res.status(404).json({ error: err.message });
    else next(err);
  };
  router.use('/_emulator', errors);
  return router;
}
