import { Router } from 'express';
import type { EmulatorContext } from '../context.js';
import { invalidRequest } from '../errors.js';
import { expandObject } from '../expand.js';
import { paramsOf } from '../http.js';
import { newCustomer } from '../objects/customer.js';
import { applyMetadata, checkKeys, expandList, optMetadata, optString, type Params } from '../params.js';
import { previousAttributes, snapshot } from '../snapshot.js';

const SUPPORTED = ['email', 'name', 'description', 'phone', 'metadata', 'expand'];
const IGNORED = ['preferred_locales', 'validate'];
const STRIPE_CREATE = ['address', 'balance', 'business_name', 'cash_balance', 'individual_name', 'invoice_prefix', 'invoice_settings', 'next_invoice_sequence', 'payment_method', 'shipping', 'source', 'tax', 'tax_exempt', 'tax_id_data', 'test_clock'];
const STRIPE_UPDATE = ['address', 'balance', 'business_name', 'cash_balance', 'default_source', 'individual_name', 'invoice_prefix', 'invoice_settings', 'next_invoice_sequence', 'shipping', 'source', 'tax', 'tax_exempt'];

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A nullable text field: absent → undefined (unchanged), empty → null (unset). */
function optText(params: Params, key: string): string | null | undefined {
  const value = optString(params, key);
  if (value === undefined) return undefined;
  return value === '' ? null : value;
}

function optEmail(params: Params): string | null | undefined {
  const email = optText(params, 'email');
  if (email && (!EMAIL.test(email) || email.length > 512)) {
    throw invalidRequest(`Invalid email address: ${email}`, { code: 'email_invalid', param: 'email' });
  }
  return email;
}

export function customerRoutes(ctx: EmulatorContext): Router {
  const router = Router();

  router.post('/v1/customers', (_req, res) => {
    const params = paramsOf(res);
    checkKeys(params, { supported: SUPPORTED, ignored: IGNORED, knownToStripe: STRIPE_CREATE });
    const customer = newCustomer(
      {
        email: optEmail(params) ?? null,
        name: optText(params, 'name') ?? null,
        description: optText(params, 'description') ?? null,
        phone: optText(params, 'phone') ?? null,
        metadata: applyMetadata({}, optMetadata(params)),
      },
      ctx.clock.nowSec(),
    );
    ctx.store.customers.set(customer.id, customer);
    ctx.events.emit('customer.created', customer);
    res.json(expandObject(ctx.store, customer, expandList(params)));
  });

  router.get('/v1/customers/:id', (req, res) => {
    const customer = ctx.store.customer(req.params.id);
    res.json(expandObject(ctx.store, customer, expandList(paramsOf(res))));
  });

  router.post('/v1/customers/:id', (req, res) => {
    const params = paramsOf(res);
    const customer = ctx.store.customer(req.params.id);
    checkKeys(params, { supported: SUPPORTED, ignored: IGNORED, knownToStripe: STRIPE_UPDATE });
    const email = optEmail(params);
    const name = optText(params, 'name');
    const description = optText(params, 'description');
    const phone = optText(params, 'phone');
    const metadata = optMetadata(params);
    const before = snapshot(customer);
    if (email !== undefined) customer.email = email;
    if (name !== undefined) customer.name = name;
    if (description !== undefined) customer.description = description;
    if (phone !== undefined) customer.phone = phone;
    customer.metadata = applyMetadata(customer.metadata, metadata);
    const previous = previousAttributes(before, customer);
    if (Object.keys(previous).length > 0) ctx.events.emit('customer.updated', customer, previous);
    res.json(expandObject(ctx.store, customer, expandList(params)));
  });

  return router;
}
