import { randomUUID } from 'node:crypto';
import { isoTime } from '../clock.js';
import type { EmulatorContext } from '../context.js';
import { formatAmount } from '../money.js';
import type { CheckoutRecord, CustomData, VariantRecord } from '../store.js';
import type { LsCheckoutAttributes, LsCheckoutData } from '../types.js';
import { relationships, selfLink } from './links.js';

type ProductOptions = LsCheckoutAttributes['product_options'];
type CheckoutOptions = LsCheckoutAttributes['checkout_options'];
type CheckoutDataAttrs = LsCheckoutAttributes['checkout_data'];

/** What `POST /v1/checkouts` asked for, validated. */
export interface CheckoutInput {
  variant: VariantRecord;
  productOptions: Partial<ProductOptions>;
  checkoutOptions: Partial<CheckoutOptions>;
  checkoutData: Partial<Omit<CheckoutDataAttrs, 'custom'>>;
  custom: CustomData;
  preview: boolean;
  expiresAt: number | null;
}

const PRODUCT_OPTIONS: ProductOptions = {
  name: '',
  description: '',
  media: [],
  redirect_url: '',
  receipt_button_text: '',
  receipt_link_url: '',
  receipt_thank_you_note: '',
  enabled_variants: [],
  confirmation_title: '',
  confirmation_message: '',
  confirmation_button_text: '',
};

const CHECKOUT_OPTIONS: CheckoutOptions = {
  embed: false,
  media: true,
  logo: true,
  desc: true,
  discount: true,
  skip_trial: false,
  quantity: 1,
  subscription_preview: true,
  background_color: '',
  headings_color: '',
  primary_text_color: '',
  secondary_text_color: '',
  links_color: '',
  borders_color: '',
  checkbox_color: '',
  active_state_color: '',
  button_color: '',
  button_text_color: '',
  terms_privacy_color: '',
  dark: false,
};

function preview(variant: VariantRecord): LsCheckoutAttributes['preview'] {
  const amount = variant.price;
  const formatted = formatAmount(amount, variant.currency);
  const zero = formatAmount(0, variant.currency);
  return {
    currency: variant.currency,
    currency_rate: 1,
    subtotal: amount,
    discount_total: 0,
    tax: 0,
    setup_fee_usd: 0,
    setup_fee: 0,
    total: amount,
    subtotal_usd: amount,
    discount_total_usd: 0,
    tax_usd: 0,
    total_usd: amount,
    subtotal_formatted: formatted,
    discount_total_formatted: zero,
    setup_fee_formatted: zero,
    tax_formatted: zero,
    total_formatted: formatted,
  };
}

export function newCheckout(ctx: EmulatorContext, input: CheckoutInput): CheckoutRecord {
  const id = randomUUID();
  const now = isoTime(ctx.clock.nowSec());
  return {
    id,
    variantId: input.variant.id,
    expiresAt: input.expiresAt,
    customData: input.custom,
    attributes: {
      store_id: ctx.store.store.id,
      variant_id: input.variant.id,
      custom_price: null,
      product_options: { ...PRODUCT_OPTIONS, ...input.productOptions },
      checkout_options: { ...CHECKOUT_OPTIONS, ...input.checkoutOptions },
      checkout_data: {
        email: '',
        name: '',
        billing_address: {},
        tax_number: '',
        discount_code: '',
        variant_quantities: [],
        ...input.checkoutData,
        // LS shows "no custom data" as an empty list.
        custom: input.custom ?? [],
      },
      preview: input.preview ? preview(input.variant) : false,
      expires_at: input.expiresAt === null ? null : isoTime(input.expiresAt),
      created_at: now,
      updated_at: now,
      test_mode: true,
      url: `${ctx.baseUrl()}/checkout/${id}`,
    },
  };
}

export function checkoutView(ctx: EmulatorContext, checkout: CheckoutRecord): LsCheckoutData {
  return {
    type: 'checkouts',
    id: checkout.id,
    attributes: structuredClone(checkout.attributes),
    relationships: relationships(ctx, 'checkouts', checkout.id, ['store', 'variant'] as const),
    links: selfLink(ctx, 'checkouts', checkout.id),
  };
}
