import type { BillingEvent } from '../events.js';
import type { ProcessorDriver } from '../paymentProcessor.js';
import type { FakeApi } from './fakeApi.js';
import type { FakeConfig } from './fakeConfig.js';
import { callFakeApi } from './fakeErrors.js';
import { mapFakeObject, mapStoredFakePayload, parseFakeWebhook } from './webhook/fakeWebhook.js';
import { subscriptionSnapshot } from './webhook/mapSubscription.js';
import { subscriptionSchema } from './webhook/payloadSchemas.js';
import { FAKE_SIGNATURE_HEADER } from './webhook/signature.js';

/**
 * The fake processor's driver: our world to its API and its webhooks back to normalized events. It moves
 * no money and never touches the database; every state change arrives by webhook.
 */
export function createFakeProcessor(config: FakeConfig, api: FakeApi): ProcessorDriver {
  const { planIds } = config;
  return {
    id: 'fake',
    planIds,
    signatureHeader: FAKE_SIGNATURE_HEADER,
    async createCustomer({ workspace, email }) {
      return (await callFakeApi('Could not create the customer', () => api.createCustomer({ email, metadata: { workspace_ref: workspace.id } }))).id;
    },
    async createCheckoutSession(request) {
      const session = await callFakeApi('Could not create the checkout session', () =>
        api.createCheckout({
          // The core creates the customer first (createCustomer), so it is always there.
          customer: request.customerId!,
          price: request.processorPlanId,
          mode: request.plan.effect.kind === 'subscription' ? 'subscription' : 'payment',
          trialDays: request.trialDays,
          metadata: { workspace_ref: request.workspace.id },
          successUrl: request.successUrl,
          cancelUrl: request.cancelUrl,
          idempotencyKey: request.idempotencyKey,
        }),
      );
      return { sessionId: session.id, sessionUrl: session.url };
    },
    fetchCustomerPortalUrl: ({ customerId, returnUrl }) => callFakeApi('Could not open the portal', () => api.portalUrl({ customer: customerId, returnUrl })),
    async parseWebhook(rawBody, headers) {
      return parseFakeWebhook(rawBody, headers, config);
    },
    async mapStoredPayload(payload, type) {
      return mapStoredFakePayload(payload, type, planIds);
    },
    async fetchSubscription(subscriptionId) {
      const subscription = await callFakeApi('Could not fetch the subscription', () => api.getSubscription(subscriptionId));
      return subscriptionSnapshot(subscriptionSchema.parse(subscription), planIds);
    },
    async fetchCustomerState({ customerId }) {
      if (!customerId) return [];
      const { subscriptions, charges } = await callFakeApi('Could not fetch the customer', () => api.listCustomerObjects(customerId));
      const current = subscriptions[0];
      const events: BillingEvent[] = current ? mapFakeObject(current.state === 'ended' ? 'subscription.deleted' : 'subscription.updated', current, planIds) : [];
      for (const charge of charges) {
        events.push(...mapFakeObject(charge.failure_reason === null ? 'charge.paid' : 'charge.failed', charge, planIds));
        if (charge.amount_refunded > 0) events.push(...mapFakeObject('charge.refunded', charge, planIds));
      }
      return events;
    },
    changeSubscriptionPlan: (subscriptionId, processorPlanId, { prorate }) =>
      callFakeApi('Could not change the plan', () => api.updateSubscription(subscriptionId, { price: processorPlanId, prorate })),
    cancelSubscription: (subscriptionId, { atPeriodEnd }) =>
      callFakeApi('Could not cancel the subscription', () =>
        atPeriodEnd ? api.updateSubscription(subscriptionId, { cancel_at_period_end: true }) : api.deleteSubscription(subscriptionId),
      ),
    resumeSubscription: (subscriptionId) => callFakeApi('Could not resume the subscription', () => api.updateSubscription(subscriptionId, { cancel_at_period_end: false })),
    async refundPayment(moneyId, amount, options) {
      const refund = await callFakeApi('Could not refund the payment', () => api.refundCharge(moneyId, { amount, idempotencyKey: options?.idempotencyKey }));
      return { amount: refund.amount, refundId: refund.id };
    },
  };
}
