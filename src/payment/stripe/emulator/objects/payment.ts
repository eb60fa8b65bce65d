import type Stripe from 'stripe';
import type { StoredCard } from '../cards.js';
import { newId, randomChars } from '../ids.js';

export interface ChargeFailure {
  code: 'card_declined';
  declineCode: string;
  message: string;
}

export function newPaymentIntent(
  fields: {
    amount: number;
    currency: string;
    customer: string | null;
    description: string | null;
    metadata: Stripe.Metadata;
    paymentMethod: string;
    receiptEmail: string | null;
  },
  created: number,
): Stripe.PaymentIntent {
  const id = newId('pi');
  return {
    id,
    object: 'payment_intent',
    allowed_payment_method_types: null,
    amount: fields.amount,
    amount_capturable: 0,
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: 'automatic',
    client_secret: `${id}_secret_${randomChars(25)}`,
    confirmation_method: 'automatic',
    created,
    currency: fields.currency,
    customer: fields.customer,
    customer_account: null,
    description: fields.description,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: fields.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: fields.paymentMethod,
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: ['card'],
    payment_record: null,
    processing: null,
    receipt_email: fields.receiptEmail,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: 'requires_confirmation',
    transfer_group: null,
  };
}

export function newCharge(
  fields: {
    amount: number;
    currency: string;
    customer: string | null;
    paymentIntent: string;
    description: string | null;
    metadata: Stripe.Metadata;
    email: string | null;
    card: StoredCard;
    failure: ChargeFailure | null;
  },
  created: number,
): Stripe.Charge {
  const id = newId('ch');
  const ok = fields.failure === null;
  return {
    id,
    object: 'charge',
    amount: fields.amount,
    amount_captured: ok ? fields.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: ok ? newId('txn') : null,
    billing_details: { address: null, email: fields.email, name: null, phone: null, tax_id: null },
    calculated_statement_descriptor: 'STRIPE EMULATOR',
    captured: ok,
    created,
    currency: fields.currency,
    customer: fields.customer,
    description: fields.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: fields.failure?.code ?? null,
    failure_message: fields.failure?.message ?? null,
    fraud_details: {},
    livemode: false,
    metadata: fields.metadata,
    on_behalf_of: null,
    outcome: ok
      ? { advice_code: null, network_advice_code: null, network_decline_code: null, network_status: 'approved_by_network', reason: null, risk_level: 'normal', risk_score: 12, seller_message: 'Payment complete.', type: 'authorized' }
      : { advice_code: 'try_again_later', network_advice_code: null, network_decline_code: null, network_status: 'declined_by_network', reason: fields.failure!.declineCode, risk_level: 'normal', risk_score: 12, seller_message: 'The bank did not return any further details with this decline.', type: 'issuer_declined' },
    paid: ok,
    payment_intent: fields.paymentIntent,
    payment_method: fields.card.paymentMethodId,
    payment_method_details: {
      type: 'card',
      card: {
        amount_authorized: ok ? fields.amount : null,
        authorization_code: ok ? randomChars(6).toUpperCase() : null,
        brand: fields.card.card.brand,
        checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
        country: 'US',
        electronic_commerce_indicator: null,
        exp_month: fields.card.expMonth,
        exp_year: fields.card.expYear,
        fingerprint: fields.card.card.number.slice(-8),
        funding: 'credit',
        installments: null,
        last4: fields.card.card.number.slice(-4),
        mandate: null,
        network: fields.card.card.brand,
        network_transaction_id: ok ? randomChars(15) : null,
        regulated_status: 'unregulated',
        three_d_secure: null,
        transaction_link_id: null,
        wallet: null,
      },
    },
    receipt_email: fields.email,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: ok ? 'succeeded' : 'failed',
    transfer_data: null,
    transfer_group: null,
  };
}

export function newRefund(
  fields: { amount: number; charge: Stripe.Charge; metadata: Stripe.Metadata; reason: Stripe.Refund.Reason | null },
  created: number,
): Stripe.Refund {
  return {
    id: newId('re'),
    object: 'refund',
    amount: fields.amount,
    balance_transaction: newId('txn'),
    charge: fields.charge.id,
    created,
    currency: fields.charge.currency,
    customer: fields.charge.customer,
    customer_account: null,
    destination_details: { type: 'card', card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' } },
    metadata: fields.metadata,
    payment_intent: fields.charge.payment_intent,
    payment_method: fields.charge.payment_method,
    reason: fields.reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
  };
}
