import { getCustomer } from '@lemonsqueezy/lemonsqueezy.js';
import { z } from 'zod';
import { ProcessorError } from '../paymentProcessor.js';
import type { LemonSqueezyCaller } from './lemonSqueezyErrors.js';

const WHAT = 'Could not open the customer portal';

const customerResponseSchema = z.object({
  data: z.object({ attributes: z.object({ urls: z.object({ customer_portal: z.string().min(1).nullable() }).nullable().optional() }) }),
});

/**
 * The customer's portal URL, read fresh from the customer on every click: Lemon Squeezy signs it and it
 * expires after 24 hours, so a stored one would stop working. There is no return URL to pass: the
 * portal links back to the store. A customer without a subscription has no portal (the URL is null).
 */
export async function fetchLemonSqueezyPortalUrl(caller: LemonSqueezyCaller, customerId: string): Promise<string> {
  const response = await caller.call(WHAT, () => getCustomer(customerId));
  const parsed = customerResponseSchema.safeParse(response);
  const url = parsed.success ? parsed.data.data.attributes.urls?.customer_portal : undefined;
  if (!url) throw new ProcessorError('api', `${WHAT}: Lemon Squeezy has no customer portal URL for customer ${customerId} (it has no subscription in this store)`);
  return url;
}
