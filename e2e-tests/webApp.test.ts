import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signStripeDelivery, stripeCheckoutSession, stripeEvent, TEST_WEBHOOK_SECRET } from '../src/payment/stripe/testing/stripeObjects.js';
import { freePort } from '../src/server/freePort.js';
import { DESKTOP, openBrowser, type Browser } from './browser.js';
import { startServerProcess, type ServerProcess } from './startServerProcess.js';

// The user stories in a real browser against `npm start` on its embedded defaults: one server and one
// Chromium for the file, each story going on from the state the one before left.

const PASSWORD = 'a long password';
const OWNER = 'owner@example.com';
const MEMBER = 'member@example.com';
const ADMIN = 'admin@example.com';
const WORKSPACE = 'Acme';

const dataDir = mkdtempSync(path.join(tmpdir(), 'billing-e2e-web-'));
chmodSync(dataDir, 0o755); // PostgreSQL, run as its own user when we are root, must reach it

let server: ServerProcess;
let browser: Browser;
let page: Page;
let emulatorUrl: string;
let workspaceId: string;

beforeAll(async () => {
  // The emulator signs with the secret given, so a story can sign a delivery of its own as Stripe would.
  server = await startServerProcess({ DATA_DIR: dataDir, PORT: String(await freePort()), ADMIN_EMAILS: ADMIN, STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET });
  emulatorUrl = /through the local Stripe emulator at (http:\/\/\S+)/.exec(server.output())![1]!;
  browser = await openBrowser();
  page = browser.page;
});

// Every story runs under the server's CSP: a violation (or any other console error) fails it.
afterEach(() => {
  expect(browser.takeProblems()).toEqual([]);
});

it('pages are served under a CSP that forbids inline code and framing', async () => {
  const res = await page.request.get(`${server.url}/login`);
  const csp = res.headers()['content-security-policy']!;
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(res.headers()['x-frame-options']).toBe('DENY');
  // A page of ours inside a frame elsewhere: Chromium refuses to show it, and says why in the console.
  await page.setContent(`<iframe src="${server.url}/login"></iframe>`);
  const logged: string[] = [];
  await expect.poll(() => (logged.push(...browser.takeProblems()), logged.join('\n')), { timeout: 10_000 }).toMatch(/frame-ancestors 'none'/);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function signUp(email: string, workspaceName?: string) {
  await page.goto(`${server.url}/signup`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  if (workspaceName) await page.getByLabel('Workspace name (optional)').fill(workspaceName);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.waitForURL('**/pricing');
}

async function logIn(email: string) {
  await page.goto(`${server.url}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL('**/billing');
}

async function logOut() {
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL('**/login');
}

/** Fills the emulator's hosted checkout page (the email is the workspace customer's) and pays. */
async function payOnHostedCheckout(card: string) {
  await page.waitForURL(`${emulatorUrl}/checkout/**`);
  await page.getByLabel('Card number').fill(card);
  await page.getByLabel('Expiration date (MM / YY)').fill('12 / 34');
  await page.getByLabel('Security code (CVC)').fill('123');
  await page.getByRole('button', { name: 'Pay' }).click();
}

/** What the server says, asked with the browser's own session cookie. */
async function operation(name: string, args: object): Promise<{ status: number; body: any }> {
  const response = await page.request.post(`${server.url}/operations/${name}`, { data: args });
  return { status: response.status(), body: await response.json() };
}

const creditsShown = (credits: number) => page.getByTestId('credits-balance').filter({ hasText: new RegExp(`^${credits}$`) }).waitFor();

const emulatorControl = (control: string) => page.request.post(`${emulatorUrl}/_emulator/${control}`, { data: {} });

describe('the web app', () => {
  it('a declined card leaves the plan unchanged, with the processor’s message', async () => {
    await signUp(OWNER, WORKSPACE);
    workspaceId = (await operation('getMyWorkspaces', {})).body[0].id;
    await page.getByRole('heading', { name: 'Hobby' }).waitFor();
    await browser.screenshot('pricing-owner');

    await page.getByRole('button', { name: 'Upgrade to Pro' }).click();
    await payOnHostedCheckout('4000 0000 0000 0002');
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Your card was declined.');
    await browser.screenshot('emulator-checkout-declined');

    await page.getByRole('link', { name: 'Cancel' }).click();
    await page.waitForURL('**/checkout?status=canceled**');
    await page.getByText('nothing was charged and your plan is unchanged').waitFor();
    await page.getByText('No subscription').waitFor();
    await browser.screenshot('checkout-cancelled');
    expect((await operation('getWorkspaceBilling', { workspaceId })).body).toMatchObject({ plan: null, subscriptionStatus: null });
  });

  it('an owner upgrades to Pro with 4242 4242 4242 4242 and sees it active, never before the webhook lands', async () => {
    await page.goto(`${server.url}/pricing`);
    await page.getByRole('button', { name: 'Upgrade to Pro' }).click();
    // Held webhooks: the buyer is back from the processor, but nothing is granted yet.
    expect((await emulatorControl('pause-deliveries')).ok()).toBe(true);
    await payOnHostedCheckout('4242 4242 4242 4242');
    await page.waitForURL('**/checkout?status=success**');
    await page.getByText('Processing your payment for Pro').waitFor();
    await browser.screenshot('checkout-processing');
    await page.waitForTimeout(2_500); // a few polls of the billing state, all still without the plan
    expect(await page.getByText('Payment received').count()).toBe(0);

    expect((await emulatorControl('resume-deliveries')).ok()).toBe(true);
    await page.getByText('Payment received: Pro is active.').waitFor();
    await browser.screenshot('checkout-success');

    await page.getByRole('link', { name: 'Go to billing' }).click();
    await page.getByText(/^Renews on \w+ \d+, \d{4}\.$/).waitFor();
    expect(await page.locator('.summary').textContent()).toMatch(/PlanProStatusActive/);
    await browser.screenshot('billing-owner-active');
    await page.getByRole('navigation').getByRole('link', { name: 'Pricing' }).click();
    await expect(page.getByRole('button', { name: 'Your current plan' }).isDisabled()).resolves.toBe(true);
  });

  it('a member buys a credit pack and sees the balance rise by its amount', async () => {
    await logOut();
    await signUp(MEMBER);
    await logOut();

    await logIn(OWNER);
    await page.getByRole('navigation').getByRole('link', { name: 'Members' }).click();
    await page.getByLabel('Email').fill(MEMBER);
    await page.getByLabel('Role').selectOption('member');
    await page.getByRole('button', { name: 'Add member' }).click();
    await page.getByText(`${MEMBER} is now a member of this workspace.`).waitFor();
    await page.getByRole('cell', { name: MEMBER }).waitFor();
    await browser.screenshot('members-owner');
    await logOut();

    await logIn(MEMBER);
    await page.getByRole('combobox', { name: 'Workspace', exact: true }).selectOption({ label: `${WORKSPACE} (Member)` });
    const before: number = (await operation('getWorkspaceBilling', { workspaceId })).body.credits;
    await creditsShown(before);
    await page.getByRole('navigation').getByRole('link', { name: 'Pricing' }).click();
    await page.getByText(`You are a member of ${WORKSPACE}: only its owners can subscribe or change the plan.`).waitFor();
    expect(await page.getByRole('button', { name: /Upgrade|Switch/ }).count()).toBe(0);
    await browser.screenshot('pricing-member');

    await page.getByRole('button', { name: 'Buy credits' }).click();
    await payOnHostedCheckout('4242 4242 4242 4242');
    await page.getByText(`Payment received: 10 credits added. ${WORKSPACE} now has ${before + 10} credits.`).waitFor();
    await browser.screenshot('checkout-credits-success');
    await page.getByRole('link', { name: 'Go to billing' }).click();
    await creditsShown(before + 10);
  });

  it('a member cannot open the customer portal', async () => {
    await page.getByText('Only the workspace’s owners can manage billing').waitFor();
    expect(await page.getByRole('button', { name: 'Manage billing' }).count()).toBe(0);
    await browser.screenshot('billing-member');
    const portal = await operation('getCustomerPortalUrl', { workspaceId });
    expect(portal.status).toBe(403);
    expect(portal.body.message).toMatch(/owner role/);
  });

  it('an owner opens the portal, cancels at period end, sees “cancels on …”, and resumes', async () => {
    await logOut();
    await logIn(OWNER);
    await page.getByRole('button', { name: 'Manage billing' }).click();
    await page.waitForURL(`${emulatorUrl}/portal/**`);
    await page.getByRole('button', { name: 'Cancel at period end' }).click();
    await page.getByText(/^Cancels on /).waitFor();
    await browser.screenshot('emulator-portal-cancelled');

    await page.getByRole('link', { name: 'Return to app' }).click();
    await page.waitForURL('**/billing?workspaceId=**');
    await page.getByText(/^Cancels on \w+ \d+, \d{4}\. Access continues until then\.$/).waitFor();
    await browser.screenshot('billing-owner-cancelling');

    await page.getByRole('button', { name: 'Resume subscription' }).click();
    await page.getByText(/^Renews on /).waitFor();
    expect((await operation('getWorkspaceBilling', { workspaceId })).body).toMatchObject({ plan: 'pro', subscriptionStatus: 'active', cancelAtPeriodEnd: false });
    await page.getByRole('cell', { name: 'Pro' }).first().waitFor(); // the payment history lists the subscription payment
    await browser.screenshot('billing-owner-resumed');
  });

  it('the owner receives the receipt email (Emails page)', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Emails' }).click();
    const receipt = page.getByRole('button', { name: new RegExp(`Receipt for ${WORKSPACE}: \\$29\\.00.*To ${OWNER}`) });
    await receipt.waitFor();
    await receipt.click();
    const body = page.frameLocator('iframe.email-body').locator('body');
    await expect(body.textContent()).resolves.toMatch(/\$29\.00/);
    await browser.screenshot('emails');
  });

  it('a site admin filters the audit log to one workspace’s payment events and pages through', async () => {
    await logOut();
    await signUp(ADMIN);
    await page.getByText('Site admin').waitFor();
    await page.getByRole('navigation').getByRole('link', { name: 'Audit log' }).click();
    await page.getByLabel('Workspace ID').fill(workspaceId);
    await page.getByLabel('Action').fill('payment.*');
    await page.getByLabel('Page size').fill('1');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/action=payment\.\*/);

    const expected = (await operation('getAuditEvents', { workspaceId, action: 'payment.*', limit: 100 })).body.events as { id: string; action: string }[];
    expect(expected.length).toBeGreaterThanOrEqual(2); // Pro's first invoice and the credit pack
    const seen: { workspace: string | null; action: string }[] = [];
    for (let pageNumber = 1; ; pageNumber++) {
      await page.getByText(`Page ${pageNumber}`, { exact: true }).waitFor();
      await page.locator('section[aria-labelledby="events-heading"][aria-busy="false"]').waitFor();
      const row = page.getByTestId('audit-row');
      seen.push(
        ...(await row.evaluateAll((rows) =>
          rows.map((r) => ({ workspace: r.querySelector('[data-workspace-id]')?.getAttribute('data-workspace-id') ?? null, action: r.querySelector('code')!.textContent! })),
        )),
      );
      if (pageNumber === 1) {
        await page.getByRole('button', { name: 'Details' }).click();
        await page.getByText(/"amount": \d+/).waitFor();
        await browser.screenshot('audit-log-admin');
      }
      const older = page.getByRole('button', { name: 'Older →' });
      if (await older.isDisabled()) break;
      await older.click();
    }
    expect(seen).toEqual(expected.map((e) => ({ workspace: workspaceId, action: e.action })));
    expect(seen.every((e) => e.action.startsWith('payment.'))).toBe(true);

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const csv = readFileSync((await (await download).path())!, 'utf8').trim().split('\r\n');
    expect(csv[0]).toBe('time,workspace_id,action,actor_type,actor_id,target,metadata');
    expect(csv.slice(1).map((line) => line.split(',')[2])).toEqual(expected.map((e) => e.action));
  });

  it('a site admin sees a signed delivery the engine could not apply, with why, and replays it; others have no Deliveries page', async () => {
    // Signed as Stripe signs, for a plan this app does not have: ours, but unreadable until a fix.
    const event = stripeEvent('checkout.session.completed', stripeCheckoutSession({ mode: 'payment', workspaceId, planId: 'gold' }));
    const { body, headers } = signStripeDelivery(event);
    const sent = await fetch(`${server.url}/payments-webhook`, { method: 'POST', headers, body });
    expect(sent.status).toBe(422);
    const why = 'Stripe checkout.session.completed payload invalid: data.object.metadata.planId: unknown plan "gold"';

    await page.getByRole('navigation').getByRole('link', { name: 'Deliveries' }).click();
    const row = page.getByTestId('delivery-row').filter({ hasText: event.id });
    await row.getByText(why, { exact: true }).waitFor();
    expect(await row.locator('td').allTextContents()).toEqual([expect.any(String), 'stripe', `checkout.session.completed${event.id}`, 'Failed', '1', why, 'Replay']);
    await browser.screenshot('deliveries-admin');

    await row.getByRole('button', { name: `Replay ${event.id}` }).click();
    await page.getByRole('status').getByText(`${event.id} still failed: ${why}`, { exact: true }).waitFor();
    await row.getByRole('cell', { name: '2', exact: true }).waitFor(); // the list read again: a second attempt
    await page.getByRole('button', { name: 'Replay all failed' }).click();
    await page.getByRole('status').getByText('Replayed 1 failed delivery: 1 failed again. 1 still not applied: see the list.', { exact: true }).waitFor();
    await row.getByRole('cell', { name: '3', exact: true }).waitFor();

    // Ignored deliveries (event types this app does not act on, sent by the emulator) are hidden until asked for.
    const ignoredRows = page.getByTestId('delivery-row').filter({ has: page.getByRole('cell', { name: 'Ignored', exact: true }) });
    expect(await ignoredRows.count()).toBe(0);
    await page.getByLabel('Show ignored (not ours)').check();
    await ignoredRows.first().waitFor();
    await row.waitFor();

    await logOut();
    await logIn(OWNER);
    await page.getByRole('navigation').getByRole('link', { name: 'Audit log' }).waitFor();
    expect(await page.getByRole('navigation').getByRole('link', { name: 'Deliveries' }).count()).toBe(0);
    await page.goto(`${server.url}/admin/deliveries`);
    await page.getByText('Webhook deliveries are for site admins.').waitFor();
    expect(await page.getByTestId('delivery-row').count()).toBe(0);
    expect((await operation('listFailedDeliveries', {})).status).toBe(403);
  });

  it('fits a phone screen: no page scrolls sideways', async () => {
    await logOut();
    await logIn(OWNER);
    await page.setViewportSize({ width: 375, height: 812 });
    try {
      for (const [path, heading] of [['/pricing', 'Pricing'], ['/billing', 'Billing'], ['/members', 'Members'], ['/admin/audit', 'Audit log'], ['/emails', 'Emails']] as const) {
        await page.goto(`${server.url}${path}`);
        await page.getByRole('heading', { level: 1, name: heading }).waitFor();
        await page.locator('.placeholder').first().waitFor({ state: 'detached' });
        // A string, run in the page: this file is type-checked without the DOM's types.
        const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
        expect(overflow, path).toBeLessThanOrEqual(0);
        await browser.screenshot(`phone${path.replaceAll('/', '-')}`);
      }
    } finally {
      await page.setViewportSize(DESKTOP);
    }
  });

  it('shows the sign-up and log-in pages', async () => {
    await logOut();
    await browser.screenshot('login');
    await page.goto(`${server.url}/signup`);
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
    await browser.screenshot('signup');
    await page.getByLabel('Email').fill(OWNER);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByText('An account with this email already exists').waitFor();
  });
});
