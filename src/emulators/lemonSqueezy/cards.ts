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

export const DEFAULT_TEST_CARD = '4242424242424242';

export function normalizeCardNumber(input: string): string {
  return input.replace(/[\s-]/g, '');
}

export function findTestCard(input: string): TestCard | undefined {
  const number = normalizeCardNumber(input);
  return CARDS.find((c) => c.number === number);
}

export function goodCard(): TestCard {
  return findTestCard(DEFAULT_TEST_CARD)!;
}

export function lastFour(card: TestCard): string {
  return card.number.slice(-4);
}

export function luhnValid(number: string): boolean {
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let digit = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return number.length >= 12 && sum % 10 === 0;
}
