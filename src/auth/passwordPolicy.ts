import { dictionary } from '@zxcvbn-ts/language-common';
import { z } from 'zod';

// NIST SP 800-63B 3.1.1.2: at least 8 characters, refused when on a list of commonly used or breached
// passwords, and no composition rules (they push people to "Password1!"). The list is zxcvbn-ts's
// maintained common-passwords dictionary (about 49,000 entries, lowercase); compared case-insensitively.
const commonPasswords = new Set(dictionary['passwords-common']);

export const MIN_PASSWORD_LENGTH = 8;
// Long passphrases are welcome; the cap only bounds the work one sign-up asks of scrypt.
export const MAX_PASSWORD_LENGTH = 256;

export const newPasswordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`)
  .refine((password) => !commonPasswords.has(password.normalize('NFKC').toLowerCase()), {
    error: 'is one of the most common passwords, which attackers try first: choose another (a few unrelated words make a good one)',
  });
