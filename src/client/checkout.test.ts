import { describe, expect, it } from 'vitest';
import { purchaseLanded } from './checkout.js';
import { billing } from './testing/fixtures.js';
import { plans } from '../payment/plans.js';

describe('purchaseLanded', () => {
  it('is true for a credit pack only once the balance has risen by the pack', () => {
    expect(purchaseLanded(plans.credits10, 5, billing({ credits: 14 }))).toBe(false);
    expect(purchaseLanded(plans.credits10, 5, billing({ credits: 15 }))).toBe(true);
  });

  it('is true for a subscription only once the workspace is entitled to that plan', () => {
    expect(purchaseLanded(plans.pro, 0, billing({ plan: 'hobby' }))).toBe(false);
    expect(purchaseLanded(plans.pro, 0, billing({ subscriptionStatus: 'incomplete', hasActivePlan: false }))).toBe(false);
    expect(purchaseLanded(plans.pro, 0, billing({}))).toBe(true);
  });
});
