import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import { startRawCollector } from '../../../emulators/shared/rawCollector.js';
import { startHarness, subscribe, type Harness } from './testSupport.js';

const open: Harness[] = [];
let dir: string | undefined;
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function start(options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  const h = await startHarness(options);
  open.push(h);
  return h;
}

async function refusal(call: Promise<unknown>): Promise<{ status: number | undefined; param: string | undefined; message: string }> {
  const error = await call.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof Stripe.errors.StripeError)) throw new Error(`expected a Stripe error, got ${String(error)}`);
  return { status: error.statusCode, param: error.param, message: error.message };
}

describe('/v1/webhook_endpoints', () => {
  it('refuses a bad endpoint naming the parameter, and creates nothing', async () => {
    const h = await start();
    expect(await refusal(h.stripe.webhookEndpoints.create({ url: 'not a url', enabled_events: ['invoice.paid'] }))).toMatchObject({ status: 400, param: 'url' });
    expect(await refusal(h.stripe.webhookEndpoints.create({ url: 'https://app.test/hook', enabled_events: ['Not An Event' as '*'] }))).toMatchObject({
      status: 400,
      param: 'enabled_events[0]',
    });
    expect(await refusal(h.stripe.webhookEndpoints.create({ url: 'https://app.test/hook' } as Stripe.WebhookEndpointCreateParams))).toMatchObject({ status: 400, param: 'enabled_events' });
    const [own] = (await h.stripe.webhookEndpoints.list()).data;
    // An endpoint's API version is set when it is made; Stripe takes no api_version on update.
    expect(await refusal(h.stripe.webhookEndpoints.update(own!.id, { api_version: '2024-06-20' } as Stripe.WebhookEndpointUpdateParams))).toMatchObject({ status: 400, param: 'api_version' });
    expect((await h.stripe.webhookEndpoints.list()).data.map((e) => e.id)).toEqual([own!.id]);
  });

  it('a disabled endpoint gets nothing; enabled again, it does', async () => {
    const h = await start();
    const [own] = (await h.stripe.webhookEndpoints.list()).data;
    expect(await h.stripe.webhookEndpoints.update(own!.id, { disabled: true })).toMatchObject({ status: 'disabled' });
    await subscribe(h);
    await h.emulator.idle();
    expect(h.emulator.events().length).toBeGreaterThan(0);
    expect(h.receiver.deliveries).toEqual([]);
    await h.stripe.webhookEndpoints.update(own!.id, { disabled: false });
    await subscribe(h, { workspaceId: 'ws_2' });
    await h.emulator.idle();
    expect(h.receiver.types()).toContain('checkout.session.completed');
  });

  it('deletes an endpoint; with none for the delivery URL nothing is delivered', async () => {
    const h = await start();
    const [own] = (await h.stripe.webhookEndpoints.list()).data;
    expect(await h.stripe.webhookEndpoints.del(own!.id)).toEqual({ id: own!.id, object: 'webhook_endpoint', deleted: true });
    expect(await refusal(h.stripe.webhookEndpoints.retrieve(own!.id))).toMatchObject({ status: 404, message: `No such webhook endpoint: '${own!.id}'` });
    await subscribe(h);
    await h.emulator.idle();
    expect(h.receiver.deliveries).toEqual([]);
  });

  it('keeps endpoints and their secrets in the state file across a restart', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'stripe-emulator-endpoints-'));
    const stateFile = path.join(dir, 'state.json');
    const collector = await startRawCollector();
    try {
      const first = await start({ stateFile });
      const created = await first.stripe.webhookEndpoints.create({ url: collector.url, enabled_events: ['checkout.session.completed'], api_version: '2024-06-20' });
      await first.close();
      open.splice(0);

      const second = await start({ stateFile });
      const kept = (await second.stripe.webhookEndpoints.list()).data.find((e) => e.id === created.id);
      expect(kept).toMatchObject({ url: collector.url, api_version: '2024-06-20', enabled_events: ['checkout.session.completed'] });
      // Delivering to that URL again uses the kept endpoint: its saved secret, its one event.
      second.emulator.setWebhookUrl(collector.url);
      await subscribe(second);
      await second.emulator.idle();
      const types = collector.received.map(({ raw, headers }) => new Stripe('sk_test_x').webhooks.constructEvent(raw, String(headers['stripe-signature']), created.secret!).type);
      expect(types).toEqual(['checkout.session.completed']);
    } finally {
      await collector.close();
    }
  });
});
