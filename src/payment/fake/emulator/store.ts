import { randomBytes } from 'node:crypto';
import type { CheckoutArgs } from '../fakeApi.js';
import type { ChargeObject, SubscriptionObject } from '../webhook/payloadSchemas.js';
import type { CardBehaviour } from './cards.js';

export interface Customer {
  id: string;
  email: string;
  metadata: { workspace_ref: string };
  /** The card on file; renewals charge it. */
  card: CardBehaviour;
}

export interface Checkout extends CheckoutArgs {
  id: string;
  paid: boolean;
}

/** A subscription as the API shows it, and what the fake keeps to itself about collecting it. */
export interface SubscriptionRecord {
  object: SubscriptionObject;
  /** The renewal charge still being collected while it is overdue, and when the fake next tries it (unix ms). */
  openCharge: string | null;
  retryAt: number | null;
}

export interface Refund {
  id: string;
  amount: number;
}

/** Everything the fake's account holds, in memory. */
export class FakeStore {
  readonly customers = new Map<string, Customer>();
  readonly checkouts = new Map<string, Checkout>();
  readonly checkoutsByKey = new Map<string, string>();
  readonly subscriptions = new Map<string, SubscriptionRecord>();
  readonly charges = new Map<string, ChargeObject>();
  readonly refundsByKey = new Map<string, Refund>();
}

export const newId = (prefix: string): string => `${prefix}_${randomBytes(9).toString('base64url')}`;
