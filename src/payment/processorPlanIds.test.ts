import { describe, expect, it } from 'vitest';
import { EnvError } from '../config/parseEnv.js';
import { checkoutModeOf, getPlan, plans, priceLabel } from './plans.js';
import { loadProcessorPlanIds } from './processorPlanIds.js';

const env = {
  PAYMENTS_HOBBY_SUBSCRIPTION_PLAN_ID: 'price_hobby',
  PAYMENTS_PRO_SUBSCRIPTION_PLAN_ID: 'price_pro',
  PAYMENTS_CREDITS_10_PLAN_ID: 'price_credits',
};

describe('plans', () => {
  it('decide the checkout mode by their effect', () => {
    expect(checkoutModeOf(plans.hobby)).toBe('subscription');
    expect(checkoutModeOf(plans.pro)).toBe('subscription');
    expect(checkoutModeOf(plans.credits10)).toBe('payment');
    expect(plans.credits10.effect).toEqual({ kind: 'credits', amount: 10 });
  });

  it('label prices from the amount and currency', () => {
    expect(priceLabel(plans.pro)).toBe('$29.00 / month');
    expect(priceLabel(plans.credits10)).toBe('$9.90');
  });

  it('fail clearly on an unknown plan', () => {
    expect(() => getPlan('enterprise')).toThrow('Unknown plan "enterprise"; known plans: hobby, pro, credits10');
    expect(() => getPlan('toString')).toThrow(/Unknown plan/);
  });
});

describe('processor plan ids', () => {
  it('map both ways', () => {
    const ids = loadProcessorPlanIds(env);
    expect(ids.toProcessor('pro')).toBe('price_pro');
    expect(ids.toPlan('price_credits')).toBe(plans.credits10);
    expect(ids.findPlan('price_unknown')).toBeUndefined();
  });

  it('fail clearly on an unknown id either way', () => {
    const ids = loadProcessorPlanIds(env);
    expect(() => ids.toPlan('price_unknown')).toThrow('No plan has the processor plan id "price_unknown" (check PAYMENTS_*_PLAN_ID)');
    expect(() => ids.toProcessor('gold')).toThrow(/Unknown plan "gold"/);
  });

  it('require every variable when there are no emulator defaults, naming each missing one', () => {
    const error = (() => {
      try {
        loadProcessorPlanIds({ PAYMENTS_PRO_SUBSCRIPTION_PLAN_ID: 'price_pro' });
      } catch (e) {
        return e as EnvError;
      }
    })();
    expect(error).toBeInstanceOf(EnvError);
    expect(error!.problems.sort()).toEqual(['PAYMENTS_CREDITS_10_PLAN_ID is required', 'PAYMENTS_HOBBY_SUBSCRIPTION_PLAN_ID is required']);
  });

  it('use emulator defaults only for variables that are not set', () => {
    const ids = loadProcessorPlanIds({ PAYMENTS_PRO_SUBSCRIPTION_PLAN_ID: 'price_custom' }, { hobby: 'd_hobby', pro: 'd_pro', credits10: 'd_credits' });
    expect([ids.toProcessor('hobby'), ids.toProcessor('pro'), ids.toProcessor('credits10')]).toEqual(['d_hobby', 'price_custom', 'd_credits']);
  });

  it('refuse two plans sharing one processor id', () => {
    expect(() => loadProcessorPlanIds({ ...env, PAYMENTS_PRO_SUBSCRIPTION_PLAN_ID: 'price_hobby' })).toThrow(/Two plans share the processor plan id price_hobby/);
  });
});
