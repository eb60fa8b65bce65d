import { randomBytes } from 'node:crypto';
import { createWebhook, listWebhooks, updateWebhook, type NewWebhook } from '@lemonsqueezy/lemonsqueezy.js';
import { z } from 'zod';
import { ProcessorError, type WebhookEndpointApi, type WebhookEndpointSetup } from '../paymentProcessor.js';
import { compareEvents } from '../webhookEndpointEvents.js';
import type { LemonSqueezyCaller } from './lemonSqueezyErrors.js';
import { mappedLemonSqueezyEvents } from './webhook/lemonSqueezyWebhook.js';

/** Exactly the events the plugin acts on; Lemon Squeezy sends nothing else to the endpoint. */
const EVENTS = [...mappedLemonSqueezyEvents].sort();

const webhookList = z.object({
  data: z.array(z.object({ id: z.string(), attributes: z.object({ url: z.string(), events: z.array(z.string()) }) })),
});
const createdWebhook = z.object({ data: z.object({ id: z.string() }) });

/**
 * Lemon Squeezy's webhooks API for `npm run billing:webhook-endpoint` and the start-up check. Lemon
 * Squeezy takes the signing secret from the caller and never shows it again: `ensure` makes a random one
 * when it creates the webhook and returns it that once (for LEMONSQUEEZY_WEBHOOK_SECRET); an update
 * changes the events only, so the secret in use stays valid.
 */
export function lemonSqueezyWebhookEndpoint(caller: LemonSqueezyCaller, settings: { storeId: string }): WebhookEndpointApi {
  async function webhooksFor(url: string) {
    const what = `Could not list the webhooks of store ${settings.storeId}`;
    const answer = await caller.call(what, () => listWebhooks({ filter: { storeId: settings.storeId }, page: { size: 100 } }));
    const parsed = webhookList.safeParse(answer);
    if (!parsed.success) throw new ProcessorError('api', `${what}: unexpected answer`);
    return parsed.data.data.filter((webhook) => webhook.attributes.url === url);
  }

  return {
    secretVariable: 'LEMONSQUEEZY_WEBHOOK_SECRET',
    async ensure({ url }): Promise<WebhookEndpointSetup> {
      const [existing] = await webhooksFor(url);
      if (!existing) {
        // 20 random bytes: 40 hex digits, well above Lemon Squeezy's minimum of 6 characters.
        const secret = randomBytes(20).toString('hex');
        const what = `Could not create a webhook for ${url}`;
        const answer = await caller.call(what, () => createWebhook(settings.storeId, { url, events: EVENTS as NewWebhook['events'], secret }));
        const parsed = createdWebhook.safeParse(answer);
        if (!parsed.success) throw new ProcessorError('api', `${what}: unexpected answer`);
        return { action: 'created', endpointId: parsed.data.data.id, secret, events: EVENTS };
      }
      if (compareEvents(EVENTS, existing.attributes.events).same) return { action: 'unchanged', endpointId: existing.id, secret: null, events: EVENTS };
      await caller.call(`Could not update webhook ${existing.id}`, () => updateWebhook(existing.id, { events: EVENTS as NewWebhook['events'] }));
      return { action: 'updated', endpointId: existing.id, secret: null, events: EVENTS };
    },

    async check({ url }): Promise<string[]> {
      const found = await webhooksFor(url);
      if (found.length === 0) return [`Lemon Squeezy store ${settings.storeId} has no webhook for ${url} (run npm run billing:webhook-endpoint)`];
      const problems = found.length > 1 ? [`Lemon Squeezy has ${found.length} webhooks for ${url}: each event arrives ${found.length} times`] : [];
      const { missing, extra } = compareEvents(EVENTS, found[0]!.attributes.events);
      if (missing.length > 0) problems.push(`Lemon Squeezy webhook ${found[0]!.id} does not send ${missing.join(', ')} (run npm run billing:webhook-endpoint)`);
      if (extra.length > 0) problems.push(`Lemon Squeezy webhook ${found[0]!.id} also sends ${extra.join(', ')}, which the plugin does not act on`);
      return problems;
    },
  };
}

