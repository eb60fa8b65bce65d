import { Router } from 'express';
import type { EmulatorContext } from '../context.js';
import { parseDocument } from '../http.js';
import { notFound, sendResource, unprocessable } from '../jsonapi.js';
import { checkoutView, newCheckout } from '../objects/checkout.js';
import { parseIsoTime } from '../clock.js';
import { parseId } from '../store.js';
import type { LsCheckoutAttributes } from '../types.js';
import { newCheckoutDocument } from './schemas.js';

/** `POST /v1/checkouts`, `GET /v1/checkouts/:id`. */
export function checkoutRoutes(ctx: EmulatorContext): Router {
  const router = Router();

  router.post('/v1/checkouts', (req, res) => {
    const { data } = parseDocument(newCheckoutDocument, req.body);
    const storeId = data.relationships.store.data.id;
    const variantId = parseId(data.relationships.variant.data.id);
    const variant = variantId === null ? undefined : ctx.store.variants.get(variantId);
    const problems: { pointer: string; detail: string }[] = [];
    if (storeId !== String(ctx.store.store.id)) {
      problems.push({ pointer: '/data/relationships/store/data/id', detail: `The store ${storeId} does not exist.` });
    }
    if (!variant) problems.push({ pointer: '/data/relationships/variant/data/id', detail: `The variant ${data.relationships.variant.data.id} does not exist.` });
    if (problems.length || !variant) throw unprocessable(problems);

    const attributes: NonNullable<typeof data.attributes> = data.attributes ?? {};
    const { custom, email, name, billing_address, tax_number } = attributes.checkout_data ?? {};
    const checkout = newCheckout(ctx, {
      variant,
      productOptions: attributes.product_options ?? {},
      checkoutOptions: attributes.checkout_options ?? {},
      checkoutData: {
        ...(email !== undefined ? { email } : {}),
        ...(name !== undefined ? { name } : {}),
        // The country was checked to be two capital letters; the SDK's type lists the ISO codes.
        ...(billing_address !== undefined ? { billing_address: billing_address as LsCheckoutAttributes['checkout_data']['billing_address'] } : {}),
        ...(tax_number !== undefined ? { tax_number } : {}),
      },
      custom,
      preview: attributes.preview === true,
      expiresAt: attributes.expires_at ? parseIsoTime(attributes.expires_at) : null,
    });
    ctx.store.checkouts.set(checkout.id, checkout);
    sendResource(res, checkoutView(ctx, checkout), 201);
  });

  router.get('/v1/checkouts/:id', (req, res) => {
    const checkout = ctx.store.checkouts.get(req.params.id);
    if (!checkout) throw notFound();
    sendResource(res, checkoutView(ctx, checkout));
  });

  return router;
}
