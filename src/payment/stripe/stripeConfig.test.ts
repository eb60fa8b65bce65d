import { describe, expect, it } from 'vitest';
import { envProblemsOf } from '../../test/envProblems.js';
import { apiOrigin, describeStripe } from './stripeClient.js';
import { loadStripeSettings } from './stripeConfig.js';
import { TEST_PLAN_ENV } from './testing/stripeObjects.js';

const KEY = 'sk_test_configKey123';
const SECRET = 'whsec_configSecret456';



describe('Stripe settings', () => {
  it('reads every variable', () => {
    const settings = loadStripeSettings({
      ...TEST_PLAN_ENV,
      STRIPE_API_KEY: KEY,
      STRIPE_WEBHOOK_SECRET: SECRET,
      STRIPE_API_URL: 'http://127.0.0.1:12111',
      STRIPE_AUTOMATIC_TAX: 'true',
      STRIPE_CUSTOMER_PORTAL_URL: 'https://billing.stripe.com/p/login/abc',
    });
    expect(settings).toMatchObject({
      apiKey: KEY,
      webhookSecret: SECRET,
      apiUrl: 'http://127.0.0.1:12111',
      automaticTax: true,
      customerPortalFallbackUrl: 'https://billing.stripe.com/p/login/abc',
      maxNetworkRetries: 2,
      timeoutMs: 20_000,
    });
    expect(settings.planIds.toProcessor('credits10')).toBe(TEST_PLAN_ENV.PAYMENTS_CREDITS_10_PLAN_ID);
  });

  it('defaults to api.stripe.com without automatic tax or a portal fallback', () => {
    const settings = loadStripeSettings({ ...TEST_PLAN_ENV, STRIPE_API_KEY: KEY, STRIPE_WEBHOOK_SECRET: SECRET, STRIPE_AUTOMATIC_TAX: '' });
    expect(settings.automaticTax).toBe(false);
    expect(settings).not.toHaveProperty('apiUrl');
    expect(settings).not.toHaveProperty('customerPortalFallbackUrl');
    expect(describeStripe(settings)).toBe('Stripe API at https://api.stripe.com (test mode)');
    expect(describeStripe({ apiKey: 'sk_live_x' })).toBe('Stripe API at https://api.stripe.com (live mode)');
  });

  it('requires a key (until the emulator is wired in) and, with a key, the webhook secret', () => {
    expect(envProblemsOf(() => loadStripeSettings(TEST_PLAN_ENV))).toEqual([
      'STRIPE_API_KEY is required',
      'STRIPE_WEBHOOK_SECRET is required',
    ]);
    expect(envProblemsOf(() => loadStripeSettings({ ...TEST_PLAN_ENV, STRIPE_API_KEY: KEY }))).toEqual([
      'STRIPE_WEBHOOK_SECRET: required when STRIPE_API_KEY is set (the endpoint signing secret, whsec_...)',
    ]);
  });

  it('names every malformed variable at once, plan ids included, without echoing a value', () => {
    const problems = envProblemsOf(() =>
      loadStripeSettings({
        PAYMENTS_HOBBY_SUBSCRIPTION_PLAN_ID: 'price_h',
        PAYMENTS_PRO_SUBSCRIPTION_PLAN_ID: 'price_p',
        STRIPE_API_KEY: 'pk_test_publishable999',
        STRIPE_WEBHOOK_SECRET: 'not-a-secret-777',
        STRIPE_API_URL: 'http://127.0.0.1:12111/v1',
        STRIPE_AUTOMATIC_TAX: 'yes',
        STRIPE_CUSTOMER_PORTAL_URL: 'portal',
      }),
    );
    const names = problems.map((problem) => problem.split(/[: ]/)[0]).sort();
    expect(names).toEqual(['PAYMENTS_CREDITS_10_PLAN_ID', 'STRIPE_API_KEY', 'STRIPE_API_URL', 'STRIPE_AUTOMATIC_TAX', 'STRIPE_CUSTOMER_PORTAL_URL', 'STRIPE_WEBHOOK_SECRET']);
    expect(problems).toContain('STRIPE_API_KEY: must be a Stripe secret key (sk_...) or restricted key (rk_...), not a publishable key');
    expect(problems).toContain('STRIPE_API_URL: must be an origin only (scheme, host, port), without a path, query or credentials');
    expect(problems.join('\n')).not.toMatch(/publishable999|777/);
  });

  it('lets overrides (the emulator wiring, tests) win over env', () => {
    const settings = loadStripeSettings(
      { STRIPE_API_KEY: KEY, STRIPE_WEBHOOK_SECRET: SECRET, STRIPE_API_URL: 'https://api.example.test' },
      { apiUrl: 'http://127.0.0.1:4000', apiKey: 'sk_test_emulator', webhookSecret: 'whsec_emulator', planIdDefaults: { hobby: 'e_h', pro: 'e_p', credits10: 'e_c' }, maxNetworkRetries: 0 },
    );
    expect(settings).toMatchObject({ apiUrl: 'http://127.0.0.1:4000', apiKey: 'sk_test_emulator', webhookSecret: 'whsec_emulator', maxNetworkRetries: 0 });
    expect(settings.planIds.toProcessor('hobby')).toBe('e_h');
    expect(envProblemsOf(() => loadStripeSettings(TEST_PLAN_ENV, { apiKey: KEY, webhookSecret: SECRET, apiUrl: 'ftp://x' }))).toEqual([
      'apiUrl override: must be an http(s) origin such as http://127.0.0.1:12111',
    ]);
  });
});

describe('apiOrigin', () => {
  it('splits an origin into the SDK host, port and protocol', () => {
    expect(apiOrigin('http://127.0.0.1:12111')).toEqual({ host: '127.0.0.1', port: 12111, protocol: 'http' });
    expect(apiOrigin('https://stripe.internal')).toEqual({ host: 'stripe.internal', port: 443, protocol: 'https' });
    expect(apiOrigin('http://[::1]:8080')).toEqual({ host: '::1', port: 8080, protocol: 'http' });
  });
});
