import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../test/testServer.js';
import { startSmtpCapture } from './smtpCapture.js';
import { createMailTransport } from './transport.js';

// The capture holds receipts (owner addresses, workspace names, amounts): each user reads their own.
const capture = await startSmtpCapture();
afterAll(() => capture.stop());
const t = await startTestServer({ smtpCapture: capture });

const transport = createMailTransport({ host: '127.0.0.1', port: capture.port, secure: false, ignoreTLS: true });
afterAll(() => transport.close());
for (const to of ['Ann@Example.com', 'bob@example.com', 'ann@example.com, bob@example.com']) {
  await transport.sendMail({ from: 'billing@localhost', to, subject: `for ${to}`, text: 'receipt' });
}

const inbox = async (cookie?: string) => {
  const res = await fetch(`${t.baseUrl}/dev/emails`, { headers: cookie ? { cookie } : {} });
  return { status: res.status, body: (await res.json()) as { subject: string }[] };
};

describe('GET /dev/emails', () => {
  it('answers 401 to anonymous callers, naming why', async () => {
    expect(await inbox()).toEqual({ status: 401, body: { message: 'You must be logged in to read captured emails' } });
  });

  it('shows a signed-in user only the mail addressed to them (any case)', async () => {
    const ann = await t.signup('ann@example.com');
    const { status, body } = await inbox(ann.cookie);
    expect(status).toBe(200);
    expect(body.map((m) => m.subject)).toEqual(['for Ann@Example.com', 'for ann@example.com, bob@example.com']);
    const nobody = await t.signup('nobody@example.com');
    expect(await inbox(nobody.cookie)).toEqual({ status: 200, body: [] });
  });

  it('shows a site admin every message', async () => {
    const admin = await t.signup('admin@example.com');
    expect((await inbox(admin.cookie)).body).toHaveLength(3);
  });
});
