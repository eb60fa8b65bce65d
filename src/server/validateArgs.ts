import type { z } from 'zod';
import { HttpError } from './HttpError.js';
import { unstorableStrings } from './storableInput.js';

/**
 * Validates operation (and /auth) arguments; a 400 whose message names each bad field. Strings that
 * PostgreSQL cannot store (NUL, lone surrogates) are refused here for every field, whatever its schema.
 */
export function validateArgs<S extends z.ZodType>(schema: S, args: unknown): z.infer<S> {
  const unstorable = unstorableStrings(args);
  if (unstorable.length > 0) invalid(unstorable.map(({ path, message }) => `${path}: ${message}`));
  const result = schema.safeParse(args ?? {});
  if (result.success) return result.data;
  invalid(result.error.issues.map((issue) => `${issue.path.join('.') || 'arguments'}: ${issue.message}`));
}

function invalid(problems: string[]): never {
  throw new HttpError(400, `Invalid arguments: ${problems.join('; ')}`, { problems });
}
