import { describe, expect, it } from 'vitest';
import { envProblemsOf } from '../../test/envProblems.js';
import { apiOriginRedirectTarget, LEMON_SQUEEZY_API_ORIGIN, redirect } from './apiOrigin.js';
import { describeLemonSqueezy } from './lemonSqueezyClient.js';
import { loadLemonSqueezySettings } from './lemonSqueezyConfig.js';
import { createLemonSqueezyProcessor } from './lemonSqueezyProcessor.js';
import { TEST_PLAN_ENV } from './testing/lemonSqueezyPayloads.js';

const KEY = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJjb25maWciOiJ0ZXN0In0.Y29uZmlnLWtleS1zaWc';
const SECRET = 'config_signing_secret_456';
const ENV = { ...TEST_PLAN_ENV, LEMONSQUEEZY_API_KEY: KEY, LEMONSQUEEZY_STORE_ID: '12345', LEMONSQUEEZY_WEBHOOK_SECRET: SECRET };



describe('Lemon Squeezy settings', () => {
  it('reads every variable; the API is api.lemonsqueezy.com unless the wiring says otherwise', () => {
    const settings = loadLemonSqueezySettings(ENV);
    expect(settings).toMatchObject({ apiKey: KEY, storeId: '12345', webhookSecret: SECRET, timeoutMs: 20_000 });
    expect(settings).not.toHaveProperty('apiUrl');
    expect(settings.planIds.toProcessor('credits10')).toBe(TEST_PLAN_ENV.PAYMENTS_CREDITS_10_PLAN_ID);
    expect(describeLemonSqueezy(settings)).toBe('Lemon Squeezy API at https://api.lemonsqueezy.com (store 12345)');
  });

  it('requires a key and, with a key, the store id and the webhook secret', () => {
    expect(envProblemsOf(() => loadLemonSqueezySettings(TEST_PLAN_ENV))).toEqual([
      'LEMONSQUEEZY_API_KEY is required',
      'LEMONSQUEEZY_STORE_ID is required',
      'LEMONSQUEEZY_WEBHOOK_SECRET is required',
    ]);
    expect(envProblemsOf(() => loadLemonSqueezySettings({ ...TEST_PLAN_ENV, LEMONSQUEEZY_API_KEY: KEY }))).toEqual([
      'LEMONSQUEEZY_STORE_ID: required when LEMONSQUEEZY_API_KEY is set (the numeric store id)',
      "LEMONSQUEEZY_WEBHOOK_SECRET: required when LEMONSQUEEZY_API_KEY is set (the webhook's signing secret)",
    ]);
  });

  it('names every malformed variable at once, variant ids included, without echoing a value', () => {
    const problems = envProblemsOf(() =>
      loadLemonSqueezySettings({
        PAYMENTS_HOBBY_SUBSCRIPTION_PLAN_ID: 'variant_hobby_777',
        PAYMENTS_PRO_SUBSCRIPTION_PLAN_ID: '502',
        PAYMENTS_CREDITS_10_PLAN_ID: '503',
        LEMONSQUEEZY_API_KEY: 'two words',
        LEMONSQUEEZY_STORE_ID: 'store-abc',
        LEMONSQUEEZY_WEBHOOK_SECRET: 's3c',
      }),
    );
    expect(problems).toEqual([
      'LEMONSQUEEZY_API_KEY: must be a Lemon Squeezy API key (one token, no spaces)',
      'LEMONSQUEEZY_STORE_ID: must be the numeric store id (Settings → Stores in Lemon Squeezy)',
      "LEMONSQUEEZY_WEBHOOK_SECRET: must be the webhook's signing secret (at least 6 characters)",
      'PAYMENTS_HOBBY_SUBSCRIPTION_PLAN_ID: must be a Lemon Squeezy variant id (digits)',
    ]);
    const variant = envProblemsOf(() => loadLemonSqueezySettings({ ...ENV, PAYMENTS_HOBBY_SUBSCRIPTION_PLAN_ID: 'variant_hobby_777' }));
    expect(variant).toEqual(['PAYMENTS_HOBBY_SUBSCRIPTION_PLAN_ID: must be a Lemon Squeezy variant id (digits)']);
    expect([...problems, ...variant].join('\n')).not.toMatch(/two words|store-abc|s3c\b|777/);
  });

  it('lets overrides (the emulator wiring, tests) win over env, and checks them', () => {
    const settings = loadLemonSqueezySettings(ENV, {
      apiUrl: 'http://127.0.0.1:4000/',
      apiKey: 'emulator-key',
      storeId: '1',
      webhookSecret: 'emulator_secret',
      planIdDefaults: { hobby: '11', pro: '12', credits10: '13' },
      timeoutMs: 1_000,
    });
    expect(settings).toMatchObject({ apiUrl: 'http://127.0.0.1:4000', apiKey: 'emulator-key', storeId: '1', webhookSecret: 'emulator_secret', timeoutMs: 1_000 });
    // Set variables still win over the emulator's seeded defaults.
    expect(settings.planIds.toProcessor('hobby')).toBe(TEST_PLAN_ENV.PAYMENTS_HOBBY_SUBSCRIPTION_PLAN_ID);
    expect(loadLemonSqueezySettings({}, { apiKey: 'k', storeId: '1', webhookSecret: 'emulator_secret', planIdDefaults: { hobby: '11', pro: '12', credits10: '13' } }).planIds.toProcessor('pro')).toBe('12');
    expect(envProblemsOf(() => loadLemonSqueezySettings(ENV, { apiUrl: 'ftp://x', storeId: 'abc' }))).toEqual([
      'storeId override: must be a numeric store id',
      'apiUrl override: must be an http(s) origin such as http://127.0.0.1:12112',
    ]);
    expect(envProblemsOf(() => loadLemonSqueezySettings(ENV, { apiUrl: 'http://127.0.0.1:4000/v1' }))).toEqual(['apiUrl override: must be an http(s) origin such as http://127.0.0.1:12112']);
  });
});

describe('the fetch redirect', () => {
  it('is not installed by a driver without an apiUrl: the SDK uses the plain global fetch', () => {
    const before = globalThis.fetch;
    expect(apiOriginRedirectTarget()).toBeUndefined();
    const processor = createLemonSqueezyProcessor(ENV);
    expect(globalThis.fetch).toBe(before);
    expect(apiOriginRedirectTarget()).toBeUndefined();
    expect(processor.describe!()).toBe('Lemon Squeezy API at https://api.lemonsqueezy.com (store 12345)');
    expect(processor.describe!()).not.toContain(KEY);
  });

  it('rewrites only the Lemon Squeezy origin', () => {
    const target = 'http://127.0.0.1:4000';
    expect(redirect(`${LEMON_SQUEEZY_API_ORIGIN}/v1/checkouts?x=1`, target)).toBe('http://127.0.0.1:4000/v1/checkouts?x=1');
    expect(redirect('https://api.lemonsqueezy.com.evil.test/v1/checkouts', target)).toBe('https://api.lemonsqueezy.com.evil.test/v1/checkouts');
    expect(redirect('http://api.lemonsqueezy.com/v1/checkouts', target)).toBe('http://api.lemonsqueezy.com/v1/checkouts');
    expect(redirect('https://app.lemonsqueezy.com/v1/x', target)).toBe('https://app.lemonsqueezy.com/v1/x');
    const other = new URL('https://example.test/a');
    expect(redirect(other, target)).toBe(other);
    expect(redirect('/relative', target)).toBe('/relative');
  });
});
