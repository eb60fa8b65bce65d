import { Router } from 'express';
import type Stripe from 'stripe';
import { billNewInvoice, cancelSubscription, changePrice, emitSubscriptionUpdated, setCancelAtPeriodEnd, type ProrationBehavior } from '../subscriptionLifecycle.js';
import type { EmulatorContext } from '../context.js';
import { invalidRequest, parameterMissing } from '../errors.js';
import { expandObject } from '../expand.js';
import { paramsOf } from '../http.js';
import { createdFilter, listPage } from '../list.js';
import { firstItem } from '../objects/subscription.js';
import {
  applyMetadata,
  checkKeys,
  expandList,
  optArray,
  optBool,
  optEnum,
  optMetadata,
  optNonEmptyString,
  optObject,
  optString,
  type Params,
} from '../params.js';
import { snapshot } from '../snapshot.js';
import type { SubscriptionRecord } from '../store.js';

const UPDATE_SUPPORTED = ['cancel_at_period_end', 'items', 'proration_behavior', 'metadata', 'cancellation_details', 'expand'];
const UPDATE_IGNORED = ['payment_behavior', 'off_session', 'description'];
const UPDATE_STRIPE = [
  'add_invoice_items', 'application_fee_percent', 'automatic_tax', 'billing_cycle_anchor', 'billing_schedules',
  'billing_thresholds', 'cancel_at', 'collection_method', 'days_until_due', 'default_payment_method', 'default_source',
  'default_tax_rates', 'discounts', 'invoice_settings', 'on_behalf_of', 'pause_collection', 'payment_settings',
  'pending_invoice_item_interval', 'proration_date', 'transfer_data', 'trial_end', 'trial_from_plan', 'trial_settings',
];
const STATUSES = ['active', 'all', 'canceled', 'ended', 'incomplete', 'incomplete_expired', 'past_due', 'paused', 'trialing', 'unpaid'] as const;

interface PriceChange {
  priceId: string;
}

function parseItems(params: Params, record: SubscriptionRecord): PriceChange | null {
  const items = optArray(params, 'items');
  if (!items || items.length === 0) return null;
  if (items.length > 1) throw invalidRequest('The local Stripe emulator supports one item per subscription.', { param: 'items' });
  const item = optObject({ item: items[0]! }, 'item', 'items[0]');
  if (!item) return null;
  checkKeys(item, { supported: ['id', 'price', 'quantity'], ignored: ['metadata'], knownToStripe: ['billing_thresholds', 'clear_usage', 'current_trial', 'deleted', 'discounts', 'plan', 'price_data', 'tax_rates'] }, 'items[0]');
  const id = optNonEmptyString(item, 'id', 'items[0][id]');
  const priceId = optNonEmptyString(item, 'price', 'items[0][price]');
  const current = firstItem(record.subscription);
  if (!id) {
    throw parameterMissing('items[0][id]', 'Pass the id of the existing subscription item in items[0][id]: the local Stripe emulator supports one item per subscription, so it cannot add another.');
  }
  if (id !== current.id) throw invalidRequest(`Invalid subscription_item id: ${id}`, { code: 'resource_missing', param: 'items[0][id]' });
  const quantity = item.quantity;
  if (quantity !== undefined && quantity !== String(current.quantity ?? 1)) {
    throw invalidRequest('The local Stripe emulator does not support changing quantities.', { param: 'items[0][quantity]' });
  }
  return priceId ? { priceId } : null;
}

/** Parses `cancellation_details[comment|feedback]`; returns a function that applies them. */
function cancellationDetails(params: Params): (subscription: Stripe.Subscription) => void {
  const details = optObject(params, 'cancellation_details');
  if (!details) return () => undefined;
  checkKeys(details, { supported: ['comment', 'feedback'] }, 'cancellation_details');
  const comment = optString(details, 'comment', 'cancellation_details[comment]');
  const feedback = optEnum(
    details,
    'feedback',
    ['customer_service', 'low_quality', 'missing_features', 'other', 'switched_service', 'too_complex', 'too_expensive', 'unused', ''] as const,
    'cancellation_details[feedback]',
  );
  return (subscription) => {
    const current = subscription.cancellation_details ?? { comment: null, feedback: null, feedback_option: null, reason: null };
    subscription.cancellation_details = {
      ...current,
      comment: comment === undefined ? current.comment : comment || null,
      feedback: feedback === undefined ? current.feedback : feedback || null,
    };
  };
}

export function subscriptionRoutes(ctx: EmulatorContext): Router {
  const router = Router();

  router.get('/v1/subscriptions', (_req, res) => {
    const params = paramsOf(res);
    checkKeys(params, {
      supported: ['customer', 'price', 'status', 'created', 'limit', 'starting_after', 'ending_before', 'expand'],
      knownToStripe: ['automatic_tax', 'collection_method', 'current_period_end', 'current_period_start', 'customer_account', 'plan', 'test_clock'],
    });
    const customer = optString(params, 'customer');
    const price = optString(params, 'price');
    const status = optEnum(params, 'status', STATUSES);
    const created = createdFilter(params);
    // As Stripe: without `status`, canceled subscriptions are left out.
    const matchesStatus = (s: string) =>
      status === 'all' ? true : status === 'ended' ? s === 'canceled' || s === 'incomplete_expired' : status ? s === status : s !== 'canceled';
    const subscriptions = [...ctx.store.subscriptions.values()]
      .map((r) => r.subscription)
      .filter(
        (s) =>
          (customer === undefined || s.customer === customer) &&
          (price === undefined || s.items.data.some((i) => i.price.id === price)) &&
          matchesStatus(s.status) &&
          created(s),
      );
    res.json(expandObject(ctx.store, listPage(subscriptions, params, '/v1/subscriptions'), expandList(params)));
  });

  router.get('/v1/subscriptions/:id', (req, res) => {
    res.json(expandObject(ctx.store, ctx.store.subscription(req.params.id).subscription, expandList(paramsOf(res))));
  });

  router.post('/v1/subscriptions/:id', (req, res) => {
    const params = paramsOf(res);
    const record = ctx.store.subscription(req.params.id);
    const subscription = record.subscription;
    checkKeys(params, { supported: UPDATE_SUPPORTED, ignored: UPDATE_IGNORED, knownToStripe: UPDATE_STRIPE });
    const metadata = optMetadata(params);
    const applyDetails = cancellationDetails(params);
    const cancelAtPeriodEnd = optBool(params, 'cancel_at_period_end');
    const change = parseItems(params, record);
    const proration = optEnum(params, 'proration_behavior', ['create_prorations', 'none', 'always_invoice'] as const) ?? 'create_prorations';
    if (subscription.status === 'canceled' && (cancelAtPeriodEnd !== undefined || change)) {
      throw invalidRequest('A canceled subscription can only update its cancellation_details and metadata.', { code: 'invalid_canceled_subscription_fields' });
    }
    const price = change ? ctx.store.price(change.priceId, 'items[0][price]') : undefined;
    if (price && !price.recurring) {
      throw invalidRequest(`The price specified (${price.id}) is a one-time price; subscription items need a recurring price.`, { param: 'items[0][price]' });
    }
    if (price && price.currency !== subscription.currency) {
      throw invalidRequest(`The price specified (${price.id}) is in ${price.currency}, but this subscription is in ${subscription.currency}.`, { param: 'items[0][price]' });
    }

    const before = snapshot(subscription);
    subscription.metadata = applyMetadata(subscription.metadata, metadata);
    applyDetails(subscription);
    if (cancelAtPeriodEnd !== undefined) setCancelAtPeriodEnd(ctx, record, cancelAtPeriodEnd);
    const invoice = price ? changePrice(ctx, record, price, proration as ProrationBehavior) : null;
    emitSubscriptionUpdated(ctx, record, before);
    if (invoice) billNewInvoice(ctx, record, invoice, 'later');
    res.json(expandObject(ctx.store, subscription, expandList(params)));
  });

  router.delete('/v1/subscriptions/:id', (req, res) => {
    const params = paramsOf(res);
    const record = ctx.store.subscription(req.params.id);
    checkKeys(params, { supported: ['expand', 'cancellation_details'], ignored: ['invoice_now', 'prorate'] });
    if (record.subscription.status === 'canceled') {
      throw invalidRequest(`The subscription ${record.subscription.id} is already canceled.`);
    }
    cancellationDetails(params)(record.subscription);
    cancelSubscription(ctx, record, 'cancellation_requested');
    res.json(expandObject(ctx.store, record.subscription, expandList(params)));
  });

  return router;
}
