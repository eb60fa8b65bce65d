import { z } from 'zod';
import { parseIsoTime } from '../clock.js';

/** A JSON:API id: LS sends strings; numbers are accepted too. */
export const idSchema = z.union([z.string().min(1), z.number().int().positive()]).transform(String);

export const isoTimeSchema = z.string().refine((v) => parseIsoTime(v) !== null, { message: 'must be an ISO 8601 date-time' });

/** An attribute LS has and the emulator does not implement: present ⇒ 422 saying so. */
export function unsupported(what: string, allowed: (value: unknown) => boolean = () => false) {
  return z
    .unknown()
    .refine((value) => value === undefined || allowed(value), { message: `${what} is not supported by the local Lemon Squeezy emulator.` })
    .optional();
}

function relationship(type: string) {
  return z.strictObject({
    data: z.strictObject({ type: z.literal(type, { error: `must be "${type}"` }), id: idSchema }),
  });
}

const optionalString = z.string().optional();
const optionalBoolean = z.boolean({ error: 'must be true or false' }).optional();

/** `POST /v1/checkouts`, as `createCheckout` sends it. */
export const newCheckoutDocument = z.object({
  data: z.strictObject({
    type: z.literal('checkouts', { error: 'must be "checkouts"' }),
    attributes: z
      .strictObject({
        custom_price: unsupported('custom_price', (v) => v === null),
        product_options: z
          .strictObject({
            name: optionalString,
            description: optionalString,
            media: z.array(z.string()).optional(),
            redirect_url: z.url({ error: 'must be a URL' }).optional(),
            receipt_button_text: optionalString,
            receipt_link_url: z.url({ error: 'must be a URL' }).optional(),
            receipt_thank_you_note: optionalString,
            enabled_variants: z.array(z.number().int().positive()).optional(),
            confirmation_title: optionalString,
            confirmation_message: optionalString,
            confirmation_button_text: optionalString,
          })
          .optional(),
        checkout_options: z
          .strictObject({
            embed: optionalBoolean,
            media: optionalBoolean,
            logo: optionalBoolean,
            desc: optionalBoolean,
            discount: optionalBoolean,
            skip_trial: optionalBoolean,
            subscription_preview: optionalBoolean,
            dark: optionalBoolean,
            background_color: optionalString,
            headings_color: optionalString,
            primary_text_color: optionalString,
            secondary_text_color: optionalString,
            links_color: optionalString,
            borders_color: optionalString,
            checkbox_color: optionalString,
            active_state_color: optionalString,
            button_color: optionalString,
            button_text_color: optionalString,
            terms_privacy_color: optionalString,
          })
          .optional(),
        checkout_data: z
          .strictObject({
            email: z.email({ error: 'must be an email address' }).optional(),
            name: optionalString,
            billing_address: z
              .strictObject({
                country: z.string().regex(/^[A-Z]{2}$/, { error: 'must be an ISO 3166-1 alpha-2 code' }).optional(),
                zip: optionalString,
              })
              .optional(),
            tax_number: optionalString,
            discount_code: unsupported('discount_code', (v) => v === ''),
            custom: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())], { error: 'must be an object' }).optional(),
            variant_quantities: unsupported('variant_quantities', (v) => Array.isArray(v) && v.length === 0),
          })
          .optional(),
        preview: optionalBoolean,
        test_mode: optionalBoolean,
        expires_at: z.union([z.null(), isoTimeSchema]).optional(),
      })
      .optional(),
    relationships: z.strictObject({ store: relationship('stores'), variant: relationship('variants') }),
  }),
});

/** `PATCH /v1/subscriptions/:id`, as `updateSubscription` sends it. */
export const updateSubscriptionDocument = z.object({
  data: z.strictObject({
    type: z.literal('subscriptions', { error: 'must be "subscriptions"' }),
    id: idSchema,
    attributes: z.strictObject({
      variant_id: z.union([z.number().int().positive(), z.string().regex(/^[1-9]\d*$/).transform(Number)], { error: 'must be a variant id' }).optional(),
      cancelled: optionalBoolean,
      pause: z
        .union(
          [
            z.null(),
            z.strictObject({
              mode: z.enum(['void', 'free'], { error: 'must be "void" or "free"' }),
              resumes_at: z.union([z.null(), isoTimeSchema]).optional(),
            }),
          ],
          { error: 'must be null or { mode: "void" | "free", resumes_at? }' },
        )
        .optional(),
      // Accepted; the emulator never prorates: a new variant's price applies from the next renewal.
      invoice_immediately: optionalBoolean,
      disable_prorations: optionalBoolean,
      billing_anchor: unsupported('billing_anchor'),
      trial_ends_at: unsupported('trial_ends_at'),
    }),
  }),
});

/** `POST /v1/orders/:id/refund` and `/v1/subscription-invoices/:id/refund`; no body refunds what is left. */
export function refundDocument(type: 'orders' | 'subscription-invoices') {
  return z.object({
    data: z
      .strictObject({
        type: z.literal(type, { error: `must be "${type}"` }),
        id: idSchema,
        attributes: z
          .strictObject({ amount: z.number({ error: 'must be a whole number of cents' }).int({ error: 'must be a whole number of cents' }).optional() })
          .optional(),
      })
      .optional(),
  });
}
