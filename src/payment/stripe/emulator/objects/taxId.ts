import type Stripe from 'stripe';
import { newId } from '../ids.js';

/** A customer's EU VAT number, as the Dashboard or the customer portal adds it (verification pending). */
export function newTaxId(customer: string, created: number): Stripe.TaxId {
  return {
    id: newId('txi'),
    object: 'tax_id',
    country: 'DE',
    created,
    customer,
    customer_account: null,
    livemode: false,
    owner: { customer, customer_account: null, type: 'customer' },
    type: 'eu_vat',
    value: 'DE123456789',
    verification: { status: 'pending', verified_address: null, verified_name: null },
  };
}
