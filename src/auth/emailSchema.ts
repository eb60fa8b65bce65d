import { z } from 'zod';

/** An email address, trimmed and lowercased so `Ann@X.com ` and `ann@x.com` are one account. */
export const emailSchema = z.string().trim().toLowerCase().pipe(z.email({ error: 'must be an email address' }));
