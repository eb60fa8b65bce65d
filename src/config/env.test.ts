import { describe, expect, it } from 'vitest';
import { envProblemsOf } from '../test/envProblems.js';
import { configuredProcessorIds, loadPaymentProcessors, processorIds } from '../payment/processors.js';
import { loadCoreEnv } from './env.js';
import { EnvError } from './parseEnv.js';



describe('core env', () => {
  it('runs with no configuration: every default filled in', () => {
    const env = loadCoreEnv({});
    expect(env).toMatchObject({ PORT: 3001, APP_URL: 'http://localhost:3001', PAYMENTS_PROCESSOR: 'stripe', ADMIN_EMAILS: [], SMTP_SECURE: false });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.SMTP_HOST).toBeUndefined();
  });

  it('names every malformed variable at once', () => {
    const problems = envProblemsOf(() => loadCoreEnv({ PORT: 'eighty', DATABASE_URL: 'mysql://x/y', SMTP_SECURE: 'yes', APP_URL: 'ftp://example.com' }));
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/^PORT: /m);
    expect(problems.join('\n')).toMatch(/^DATABASE_URL: must be a postgresql:\/\/ URL/m);
    expect(problems.join('\n')).toMatch(/^SMTP_SECURE: /m);
    expect(problems.join('\n')).toMatch(/^APP_URL: /m);
  });

  it('PAYMENTS_DUNNING_GRACE_DAYS: 7 by default, 0 to 90 whole days, anything else named', () => {
    expect(loadCoreEnv({}).PAYMENTS_DUNNING_GRACE_DAYS).toBe(7);
    expect(loadCoreEnv({ PAYMENTS_DUNNING_GRACE_DAYS: '0' }).PAYMENTS_DUNNING_GRACE_DAYS).toBe(0);
    for (const bad of ['seven', '-1', '1.5', '91']) {
      expect(envProblemsOf(() => loadCoreEnv({ PAYMENTS_DUNNING_GRACE_DAYS: bad }))).toEqual([expect.stringMatching(/^PAYMENTS_DUNNING_GRACE_DAYS: /)]);
    }
  });

  it('PAYMENTS_RECONCILE_INTERVAL_MINUTES: off by default, 1 to 10080 whole minutes, anything else named', () => {
    expect(loadCoreEnv({}).PAYMENTS_RECONCILE_INTERVAL_MINUTES).toBeUndefined();
    expect(loadCoreEnv({ PAYMENTS_RECONCILE_INTERVAL_MINUTES: '' }).PAYMENTS_RECONCILE_INTERVAL_MINUTES).toBeUndefined();
    expect(loadCoreEnv({ PAYMENTS_RECONCILE_INTERVAL_MINUTES: '15' }).PAYMENTS_RECONCILE_INTERVAL_MINUTES).toBe(15);
    for (const bad of ['hourly', '0', '2.5', '10081']) {
      expect(envProblemsOf(() => loadCoreEnv({ PAYMENTS_RECONCILE_INTERVAL_MINUTES: bad }))).toEqual([expect.stringMatching(/^PAYMENTS_RECONCILE_INTERVAL_MINUTES: /)]);
    }
  });

  it('treats empty variables as unset and normalises admin emails', () => {
    expect(loadCoreEnv({ PORT: '', ADMIN_EMAILS: ' Root@Example.com, ,ops@example.com' })).toMatchObject({ PORT: 3001, ADMIN_EMAILS: ['root@example.com', 'ops@example.com'] });
  });
});

describe('processor env', () => {
  it('refuses an unknown processor, naming the known ones', async () => {
    await expect(loadPaymentProcessors({ PAYMENTS_PROCESSOR: 'paypal' })).rejects.toThrow(`PAYMENTS_PROCESSOR: "paypal" is not a known processor; choose from: ${processorIds.join(', ')}`);
  });

  it('PAYMENTS_PROCESSORS: several, the first the default; every problem named at once', () => {
    const [first, second] = processorIds;
    expect(configuredProcessorIds({})).toEqual(['stripe']);
    expect(configuredProcessorIds({ PAYMENTS_PROCESSOR: second })).toEqual([second]);
    expect(configuredProcessorIds({ PAYMENTS_PROCESSORS: ` ${second}, ${first} ,` })).toEqual([second, first]);
    expect(configuredProcessorIds({ PAYMENTS_PROCESSORS: `${second},${first}`, PAYMENTS_PROCESSOR: second })).toEqual([second, first]);
    expect(() => configuredProcessorIds({ PAYMENTS_PROCESSORS: `${first},paypal,${first}`, PAYMENTS_PROCESSOR: second })).toThrow(
      [
        `PAYMENTS_PROCESSORS: "paypal" is not a known processor; choose from: ${processorIds.join(', ')}`,
        `PAYMENTS_PROCESSORS names ${first} twice`,
        `PAYMENTS_PROCESSOR=${second} disagrees with PAYMENTS_PROCESSORS, whose first (${first}) is the default: unset one`,
      ].join('\n'),
    );
  });

  it('names a malformed plan id variable', async () => {
    const error = await loadPaymentProcessors({ PAYMENTS_PRO_SUBSCRIPTION_PLAN_ID: 'price with spaces' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvError);
    expect((error as EnvError).problems).toEqual([expect.stringMatching(/^PAYMENTS_PRO_SUBSCRIPTION_PLAN_ID: must be a processor plan id/)]);
  });

  it('names a too-short webhook secret without echoing it', async () => {
    const error = (await loadPaymentProcessors({ PAYMENTS_PROCESSOR: 'fake', FAKE_WEBHOOK_SECRET: 'abc' }).catch((e: unknown) => e)) as EnvError;
    expect(error.problems).toEqual([expect.stringMatching(/^FAKE_WEBHOOK_SECRET: /)]);
    expect(error.message).not.toContain('abc');
  });
});
