/** Test-card handling both emulators' hosted checkout pages share. Which cards exist is each emulator's own (cards.ts). */

/** The card that always succeeds (both emulators). */
export const DEFAULT_TEST_CARD = '4242424242424242';

export function normalizeCardNumber(input: string): string {
  return input.replace(/[\s-]/g, '');
}

/** `findTestCard(input)` over an emulator's cards: the card with that number, spaces and dashes ignored. */
export function testCardFinder<C extends { number: string }>(cards: readonly C[]): (input: string) => C | undefined {
  return (input) => {
    const number = normalizeCardNumber(input);
    return cards.find((c) => c.number === number);
  };
}

/** The Luhn checksum (and at least 12 digits). */
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
