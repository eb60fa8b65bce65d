import { newId } from './ids.js';
import { testCardFinder } from '../../../emulators/shared/cards.js';

export { DEFAULT_TEST_CARD, luhnValid, normalizeCardNumber } from '../../../emulators/shared/cards.js';

/** Stripe's test cards that the hosted checkout page understands. */
export interface TestCard {
  number: string;
  brand: 'visa' | 'mastercard';
  /** `decline`: refused now; `fail_later`: the first charge succeeds, every later (renewal) charge fails. */
  behavior: 'succeed' | 'decline' | 'fail_later';
  declineCode?: 'generic_decline' | 'insufficient_funds';
}

const CARDS: readonly TestCard[] = [
  { number: '4242424242424242', brand: 'visa', behavior: 'succeed' },
  { number: '5555555555554444', brand: 'mastercard', behavior: 'succeed' },
  { number: '4000000000000002', brand: 'visa', behavior: 'decline', declineCode: 'generic_decline' },
  { number: '4000000000009995', brand: 'visa', behavior: 'decline', declineCode: 'insufficient_funds' },
  { number: '4000000000000341', brand: 'visa', behavior: 'fail_later' },
];

export const findTestCard = testCardFinder(CARDS);

/** The card the customer paid with, kept on the subscription for later (renewal) charges. */
export interface StoredCard {
  paymentMethodId: string;
  card: TestCard;
  expMonth: number;
  expYear: number;
}

/** A test card saved as a new payment method, valid for three more years from `nowMs`. */
export function storedCard(card: TestCard, nowMs: number): StoredCard {
  const now = new Date(nowMs);
  return { paymentMethodId: newId('pm'), card, expMonth: now.getUTCMonth() + 1, expYear: now.getUTCFullYear() + 3 };
}

export const DECLINE_MESSAGE = 'Your card was declined.';
