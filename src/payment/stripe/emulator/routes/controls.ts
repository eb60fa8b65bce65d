import type { Router } from 'express';
import { controlErrors, controlHelpers, sharedControlRoutes } from '../../../../emulators/shared/controls.js';
import { CheckoutPaymentError } from '../checkoutFlow.js';
import { STRIPE_ONLY_FOREIGN_TRAFFIC } from '../foreignTraffic.js';
import type { StripeEmulator } from '../types.js';

const helpers = controlHelpers({ numbersAsText: false });

/**
 * The emulator's test controls over HTTP, for browser tests and other processes:
 * POST /_emulator/advance-clock {seconds}, /pause-deliveries, /resume-deliveries {order},
 * /redeliver {eventId}, /duplicate-event {eventId}, /drop-deliveries {drop, customer?}, /delivery-delay {ms}, /webhook-url {url},
 * /complete-checkout {sessionId, card}, /foreign-traffic {kind, customerId?} (kind bare-charge-refund too), /idle; GET /_emulator/events, /deliveries, /now.
 * Bodies are JSON or form-encoded. The controls both emulators have are in ../../shared/controls.ts.
 */
export function controlRoutes(emulator: StripeEmulator): Router {
  const router = sharedControlRoutes(emulator, { helpers, redeliverKey: 'eventId', checkoutKey: 'sessionId', moreForeignTraffic: STRIPE_ONLY_FOREIGN_TRAFFIC });

  router.get('/_emulator/events', (_req, res) => {
    res.json(emulator.events());
  });
  router.get('/_emulator/deliveries', (_req, res) => {
    res.json({ deliveries: emulator.deliveries(), undelivered: emulator.undelivered() });
  });
  router.post('/_emulator/duplicate-event', async (req, res) => {
    res.json({ eventId: await emulator.duplicateAsNewEvent(helpers.text(req, 'eventId')) });
  });

  router.use('/_emulator', controlErrors((err): err is CheckoutPaymentError => err instanceof CheckoutPaymentError));
  return router;
}
