import type { z } from 'zod';
import { HttpError } from './HttpError.js';

/** Validates operation arguments; a 400 whose message names each bad field. */
export function validateArgs<S extends z.ZodType>(schema: S, args: unknown): z.infer<S> {
  const result = schema.safeParse(args ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'arguments'}: ${issue.message}`);
  throw new HttpError(400, `Invalid arguments: ${problems.join('; ')}`, { problems });
}
