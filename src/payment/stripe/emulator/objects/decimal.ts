import StripeSdk from 'stripe';
import type Stripe from 'stripe';

/** Stripe's `Decimal` (serializes to its decimal string, as the API sends `unit_amount_decimal`). */
export function decimal(value: number | string): Stripe.Decimal {
  return StripeSdk.Decimal.from(value);
}
