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

export const DEFAULT_TEST_CARD = '4242424242424242';

export function normalizeCardNumber(input: string): string {
  return input.replace(/[\s-]/g, '');
}

export function findTestCard(input: string): TestCard | undefined {
  const number = normalizeCardNumber(input);
  return CARDS.find((c) => c.number === number);
}

/** The card the customer paid with, kept on the subscription for later (renewal) charges. */
export interface StoredCard {
  paymentMethodId: string;
  card: TestCard;
  expMonth: number;
  expYear: number;
}

export const DECLINE_MESSAGE = 'Your card was declined.';
