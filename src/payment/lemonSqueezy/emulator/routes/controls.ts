import type { Router } from 'express';
import { controlErrors, controlHelpers, sharedControlRoutes } from '../../../../emulators/shared/controls.js';
import { CheckoutPaymentError } from '../checkoutFlow.js';
import type { LemonSqueezyEmulator } from '../types.js';

/** Lemon Squeezy ids are numeric: a JSON number is taken as its string. */
const helpers = controlHelpers({ numbersAsText: true });

/**
 * The test controls over HTTP, for browser tests and other processes (JSON or form bodies):
 * POST /_emulator/advance-clock {seconds}, /pause-deliveries, /resume-deliveries {order}, /redeliver
 * {deliveryId}, /drop-deliveries {drop, customer?}, /delivery-delay {ms}, /webhook-url {url}, /complete-checkout {checkoutId, card},
 * /update-payment-method {customerId}, /foreign-traffic {kind, customerId?}, /idle; GET /_emulator/emitted, /deliveries, /now.
 * The controls both emulators have are in ../../shared/controls.ts.
 */
export function controlRoutes(emulator: LemonSqueezyEmulator): Router {
  const router = sharedControlRoutes(emulator, { helpers, redeliverKey: 'deliveryId', checkoutKey: 'checkoutId' });

  router.get('/_emulator/emitted', (_req, res) => {
    res.json(emulator.emitted());
  });
  router.get('/_emulator/deliveries', (_req, res) => {
    res.json({ deliveries: emulator.deliveries() });
  });
  router.post('/_emulator/update-payment-method', async (req, res) => {
    await emulator.updatePaymentMethod(helpers.text(req, 'customerId'));
    res.json({ ok: true });
  });

  router.use('/_emulator', controlErrors((err): err is CheckoutPaymentError => err instanceof CheckoutPaymentError));
  return router;
}
