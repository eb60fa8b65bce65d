import { describe, expect, it } from 'vitest';
import { firstFailureSinceLastSuccess, subscriptionInWords } from './format.js';
import { billing, payment } from './testing/fixtures.js';

describe('the subscription in words', () => {
  it('says when it renews, cancels or ended', () => {
    expect(subscriptionInWords(billing({}))).toEqual({ status: 'Active', detail: 'Renews on Dec 23, 2026.' });
    expect(subscriptionInWords(billing({ cancelAtPeriodEnd: true })).detail).toBe('Cancels on Dec 23, 2026. Access continues until then.');
    expect(subscriptionInWords(billing({ pendingPlan: 'hobby' })).detail).toBe('Switches to Hobby on Dec 23, 2026.');
    expect(subscriptionInWords(billing({ subscriptionStatus: 'canceled', hasActivePlan: false })).detail).toBe('Ended on Dec 23, 2026.');
    expect(subscriptionInWords(billing({ subscriptionStatus: null, plan: null, hasActivePlan: false })).status).toBe('No subscription');
  });

  it('says since when a payment is past due, from the first failure after the last success', () => {
    const payments = [payment('failed', '2026-11-20T10:00:00Z'), payment('failed', '2026-11-16T10:00:00Z'), payment('succeeded', '2026-10-16T10:00:00Z'), payment('failed', '2026-10-15T10:00:00Z')];
    const since = firstFailureSinceLastSuccess(payments);
    expect(since).toBe('2026-11-16T10:00:00Z');
    expect(subscriptionInWords(billing({ subscriptionStatus: 'past_due', graceEndsAt: '2026-11-30T10:00:00Z' }), since).detail).toMatch(
      /^Past due since Nov 16, 2026: .* Access ends on Nov 30, 2026 unless it goes through first;/,
    );
    expect(subscriptionInWords(billing({ subscriptionStatus: 'past_due', hasActivePlan: false }), since).detail).toMatch(/Access is suspended/);
    expect(firstFailureSinceLastSuccess([payment('succeeded', '2026-11-16T10:00:00Z')])).toBeUndefined();
  });
});
