import { DEFAULT_TEST_CARD, testCardFinder } from '../../../emulators/shared/cards.js';

export { DEFAULT_TEST_CARD, luhnValid, normalizeCardNumber } from '../../../emulators/shared/cards.js';

/** The test cards the hosted checkout page understands. */
export interface TestCard {
  number: string;
  brand: 'visa' | 'mastercard';
  /** `decline`: refused now; `fail_later`: the checkout charge succeeds, every renewal charge fails. */
  behavior: 'succeed' | 'decline' | 'fail_later';
}

const CARDS: readonly TestCard[] = [
  { number: '4242424242424242', brand: 'visa', behavior: 'succeed' },
  { number: '4000000000000002', brand: 'visa', behavior: 'decline' },
  { number: '4000000000000341', brand: 'visa', behavior: 'fail_later' },
];

export const findTestCard = testCardFinder(CARDS);

export function goodCard(): TestCard {
  return findTestCard(DEFAULT_TEST_CARD)!;
}

export function lastFour(card: TestCard): string {
  return card.number.slice(-4);
}
