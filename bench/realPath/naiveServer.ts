// The peer the real path is measured beside: webhook handlers written the way open-saas writes its own
// (verify the signature, a switch on the event type, one Prisma update; no dedupe, no transaction, no
// audit, no email; the processor's status stored as it comes). It is the cost of doing little, and
// wrong: a redelivered credit pack grants twice.
// Run as its own process by the bench: DATABASE_URL, PORT, STRIPE_WEBHOOK_SECRET, LEMONSQUEEZY_WEBHOOK_SECRET.
import { createHmac, timingSafeEqual } from 'node:crypto';
import express from 'express';
import Stripe from 'stripe';
import { createPrismaClient } from '../../src/db/client.js';
import type { SubscriptionStatus } from '../../src/db/generated/enums.js';

const prisma = createPrismaClient(process.env.DATABASE_URL!);
const stripe = new Stripe('sk_test_naive_handler_makes_no_calls');
const app = express();

app.post('/stripe', express.raw({ type: 'application/json' }), async (req, res) => {
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(req.body as Buffer, req.header('stripe-signature') ?? '', process.env.STRIPE_WEBHOOK_SECRET!);
  } catch {
    res.status(400).end();
    return;
  }
  switch (event.type) {
    case 'checkout.session.completed': {
      const session = event.data.object;
      if (session.mode === 'payment') {
        await prisma.workspace.update({ where: { id: session.metadata!.workspaceId! }, data: { credits: { increment: 10 }, datePaid: new Date() } });
      }
      break;
    }
    case 'customer.subscription.updated': {
      const subscription = event.data.object;
      await prisma.subscription.update({
        where: { processor_subscriptionId: { processor: 'stripe', subscriptionId: subscription.id } },
        data: { status: subscription.status as SubscriptionStatus, cancelAtPeriodEnd: subscription.cancel_at_period_end, currentPeriodEnd: new Date(subscription.items.data[0]!.current_period_end * 1000) },
      });
      break;
    }
  }
  res.json({ received: true });
});

interface LemonSqueezyEvent {
  meta: { event_name: string; custom_data?: { workspace_id?: string } };
  data: { id: string; attributes: { status: string; cancelled?: boolean; renews_at?: string } };
}

app.post('/lemonsqueezy', express.raw({ type: 'application/json' }), async (req, res) => {
  const body = req.body as Buffer;
  const digest = Buffer.from(createHmac('sha256', process.env.LEMONSQUEEZY_WEBHOOK_SECRET!).update(body).digest('hex'));
  const signature = Buffer.from(req.header('x-signature') ?? '');
  if (signature.length !== digest.length || !timingSafeEqual(signature, digest)) {
    res.status(400).end();
    return;
  }
  const event = JSON.parse(body.toString('utf8')) as LemonSqueezyEvent;
  switch (event.meta.event_name) {
    case 'order_created':
      await prisma.workspace.update({ where: { id: event.meta.custom_data!.workspace_id! }, data: { credits: { increment: 10 }, datePaid: new Date() } });
      break;
    case 'subscription_updated': {
      const { attributes } = event.data;
      await prisma.subscription.update({
        where: { processor_subscriptionId: { processor: 'lemonsqueezy', subscriptionId: event.data.id } },
        data: { status: attributes.status as SubscriptionStatus, cancelAtPeriodEnd: attributes.cancelled ?? false, currentPeriodEnd: attributes.renews_at ? new Date(attributes.renews_at) : null },
      });
      break;
    }
  }
  res.json({ received: true });
});

const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('naive handler listening'));
process.on('SIGTERM', () => server.close(() => void prisma.$disconnect().then(() => process.exit(0))));
