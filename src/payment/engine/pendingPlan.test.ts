import { describe, expect, it } from 'vitest';
import { billedPlanOf, resolvePlan } from './pendingPlan.js';

// The rule alone (the catalog has two subscription plans, so "another plan" cannot be reached over HTTP).
const end = new Date('2027-01-01T00:00:00Z');
const stored = { subscriptionId: 'sub_1', subscriptionPlan: 'pro', pendingPlan: 'hobby', currentPeriodEnd: end };
const state = (planId: string | null, o: { status?: 'active' | 'canceled'; currentPeriodEnd?: Date | null; subscriptionId?: string } = {}) => ({
  subscriptionId: o.subscriptionId ?? 'sub_1',
  planId,
  status: o.status ?? 'active',
  currentPeriodEnd: o.currentPeriodEnd === undefined ? end : o.currentPeriodEnd,
});

describe('resolvePlan', () => {
  it('keeps the paid plan while the period lasts, applies the pending one when it rolls over', () => {
    expect(resolvePlan(stored, state('hobby'))).toEqual({ planId: 'pro', pendingPlan: 'hobby' });
    expect(resolvePlan(stored, state('pro'))).toEqual({ planId: 'pro', pendingPlan: 'hobby' });
    expect(resolvePlan(stored, state('hobby', { currentPeriodEnd: new Date('2027-02-01T00:00:00Z') }))).toEqual({ planId: 'hobby', pendingPlan: null });
  });

  it('another plan in the same period wins at once; an end ends on the paid plan; another subscription or nothing pending is the processor’s plan', () => {
    expect(resolvePlan(stored, state('team'))).toEqual({ planId: 'team', pendingPlan: null });
    expect(resolvePlan(stored, state('hobby', { status: 'canceled' }))).toEqual({ planId: 'pro', pendingPlan: null });
    expect(resolvePlan(stored, state('hobby', { subscriptionId: 'sub_2' }))).toEqual({ planId: 'hobby', pendingPlan: null });
    expect(resolvePlan({ ...stored, pendingPlan: null }, state('hobby'))).toEqual({ planId: 'hobby', pendingPlan: null });
  });
});

describe('billedPlanOf', () => {
  it('the plan the processor bills the workspace’s subscription on; nothing for another subscription or a plan the catalog lacks', () => {
    expect(billedPlanOf(stored, 'sub_1')).toBe('hobby');
    expect(billedPlanOf({ ...stored, pendingPlan: null }, 'sub_1')).toBe('pro');
    expect(billedPlanOf(stored, 'sub_2')).toBeNull();
    expect(billedPlanOf(stored, undefined)).toBeNull();
    expect(billedPlanOf({ ...stored, pendingPlan: null, subscriptionPlan: 'retired' }, 'sub_1')).toBeNull();
  });
});
