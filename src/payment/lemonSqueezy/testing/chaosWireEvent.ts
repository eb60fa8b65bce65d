import { randomUUID } from 'node:crypto';
import { ourCustomData } from '../customData.js';
import { lsWebhook, signLemonSqueezyDelivery, TEST_VARIANTS } from './lemonSqueezyPayloads.js';
import { deliveryEventId } from '../webhook/deliveryId.js';
import { envelopeSchema } from '../webhook/payloadSchemas.js';
import type { WireDelivery, WireEvent } from '../../../reliability/wire.js';

/** Lemon Squeezy writes times with microseconds. */
export const lsTimeOf = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
export const variantOf = (planId: string): string => TEST_VARIANTS[planId as keyof typeof TEST_VARIANTS];

let lastId = 40_000_000;
const numericIds = new Map<string, string>();
/** Lemon Squeezy's ids are integers: one per history id, unique in the test process (and so in its database). */
export function lsIdOf(historyId: string): string {
  let id = numericIds.get(historyId);
  if (id === undefined) numericIds.set(historyId, (id = String(++lastId)));
  return id;
}

type Data = Parameters<typeof lsWebhook>[1];

function wireOf(webhook: ReturnType<typeof lsWebhook>): WireDelivery {
  const body = JSON.stringify(webhook);
  // The key the plugin records a delivery under (it has no event id): see deliveryId.ts.
  const eventId = deliveryEventId(envelopeSchema.parse(webhook), Buffer.from(body));
  return { eventId, type: webhook.meta.event_name, body, headers: () => signLemonSqueezyDelivery(webhook, { body }).headers };
}

/** Re-signed URLs, as a manual resend carries them: the same fact in other bytes, so another delivery key. */
function resent<D extends Data>(data: D): D {
  const urls = (data.attributes as { urls?: Record<string, string | null> }).urls;
  if (!urls) return data;
  const resigned = Object.fromEntries(Object.entries(urls).map(([k, v]) => [k, v && v.replace(/signature=[^&]*/, `signature=${randomUUID().slice(0, 8)}`)]));
  return { ...data, attributes: { ...data.attributes, urls: resigned } };
}

/** The webhook Lemon Squeezy posts about `data` (custom data only where `custom` says), and its twin. */
export function lsWireEvent(eventName: string, data: Data, custom: { workspaceId: string; planId: string } | null, at: number): WireEvent {
  const options = { custom: custom && ourCustomData(custom) };
  return { delivery: wireOf(lsWebhook(eventName, data, options)), twin: () => wireOf(lsWebhook(eventName, resent(data), options)), at };
}
