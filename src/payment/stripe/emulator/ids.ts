import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Random base62 characters, like the tail of a Stripe id. */
export function randomChars(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i]! % ALPHABET.length];
  return out;
}

/** Stripe-looking ids: `cus_` + 14 characters, `cs_test_` + 58, most others + 24. */
export function newId(prefix: string): string {
  switch (prefix) {
    case 'cus':
    case 'si':
    case 'req':
      return `${prefix}_${randomChars(14)}`;
    case 'cs_test':
      return `cs_test_a1${randomChars(56)}`;
    default:
      return `${prefix}_${randomChars(24)}`;
  }
}
