import { createWebhook, getWebhook, updateWebhook } from '@lemonsqueezy/lemonsqueezy.js';
import { afterEach, describe, expect, it } from 'vitest';
import { API_KEY, buy, ok, startHarness, STORE_ID, type Harness } from './testSupport.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${h!.emulator.url}${path}`, { ...init, headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/vnd.api+json', ...init.headers } });

describe('/v1/webhooks', () => {
  it('refuses a bad webhook with a 422 naming each member, and creates nothing', async () => {
    h = await startHarness();
    const bad = await createWebhook(STORE_ID, { url: 'not a url', events: ['order_created', 'bogus_event' as 'order_created'], secret: 'abc' });
    expect(bad.statusCode).toBe(422);
    const details = (bad.error!.cause as { detail: string; source: { pointer: string } }[]).map((e) => e.source.pointer);
    expect(details).toEqual(['/data/attributes/url', '/data/attributes/events/1', '/data/attributes/secret']);
    const list = (await (await api('/v1/webhooks')).json()) as { data: unknown[] };
    expect(list.data).toHaveLength(1); // the emulator's own, for its delivery URL
  });

  it('updates the secret: later deliveries are signed with it (the receiver, knowing the old one, refuses them)', async () => {
    h = await startHarness();
    const own = ok(await getWebhook(1)).data;
    ok(await updateWebhook(own.id, { secret: 'a-new-secret-the-receiver-does-not-know' }));
    await buy(h, { variantId: 1004 });
    await h.emulator.idle();
    expect(h.receiver.accepted()).toEqual([]);
    expect(h.receiver.rejected.map((r) => r.reason)).toContain('bad signature');
  });

  it('deletes with 204 and no body; with no webhook for the delivery URL nothing is delivered', async () => {
    h = await startHarness();
    const deleted = await api('/v1/webhooks/1', { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    expect((await api('/v1/webhooks/1')).status).toBe(404);
    await buy(h, { variantId: 1004 });
    await h.emulator.idle();
    expect(h.emulator.emitted().map((e) => e.eventName)).toEqual(['order_created']);
    expect(h.receiver.received).toEqual([]);
  });
});
