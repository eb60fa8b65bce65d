import { describe, expect, it } from 'vitest';
import { renderEmail, renderStoredEmail } from './templates.js';

const hostile = '<b>Acme & "Co"</b>';

describe('email templates', () => {
  it('payment_succeeded is a receipt with the plan, the amount and the paid date', () => {
    const email = renderEmail('payment_succeeded', {
      workspaceName: 'Acme',
      planName: 'Pro',
      amount: 2900,
      currency: 'usd',
      paidAt: '2026-11-23T10:00:00.000Z',
    });
    expect(email.subject).toBe('Receipt for Acme: $29.00');
    for (const part of [email.text, email.html]) {
      expect(part).toContain('Acme');
      expect(part).toContain('Plan: Pro');
      expect(part).toContain('Amount: $29.00');
      expect(part).toContain('Paid on: November 23, 2026');
    }
  });

  it('payment_succeeded names the credits of a credit pack', () => {
    const email = renderEmail('payment_succeeded', {
      workspaceName: 'Acme',
      credits: 1000,
      amount: 990,
      currency: 'eur',
      paidAt: '2026-11-23T10:00:00.000Z',
    });
    expect(email.text).toContain('Credits: 1,000 credits');
    expect(email.text).toContain('€9.90');
    expect(email.text).not.toContain('Plan:');
  });

  it('shows JPY without decimals and a three-decimal currency with three', () => {
    const yen = renderEmail('payment_succeeded', { workspaceName: 'Acme', amount: 500, currency: 'jpy', paidAt: '2026-11-23T10:00:00Z' });
    expect(yen.subject).toBe('Receipt for Acme: ¥500');
    expect(yen.text).toContain('Amount: ¥500\n');
    const dinar = renderEmail('payment_failed', { workspaceName: 'Acme', amount: 1500, currency: 'kwd' });
    expect(dinar.text).toContain('We could not collect KWD\u00a01.500 for Acme.');
  });

  it('payment_failed gives the reason and asks to update the payment method', () => {
    const email = renderEmail('payment_failed', {
      workspaceName: 'Acme',
      amount: 900,
      currency: 'usd',
      reason: 'Your card was declined.',
      billingUrl: 'https://app.example.com/workspaces/w1/billing?tab=card&x=1',
    });
    expect(email.subject).toBe('Payment failed for Acme');
    expect(email.text).toContain('We could not collect $9.00 for Acme.');
    expect(email.text).toContain('Reason: Your card was declined.');
    expect(email.text).toContain('update your payment method');
    expect(email.text).toContain('https://app.example.com/workspaces/w1/billing?tab=card&x=1');
    expect(email.html).toContain('<a href="https://app.example.com/workspaces/w1/billing?tab=card&amp;x=1">');
  });

  it('payment_failed without a reason or link still says what to do', () => {
    const email = renderEmail('payment_failed', { workspaceName: 'Acme', amount: 900, currency: 'usd', reason: null });
    expect(email.text).not.toContain('Reason');
    expect(email.text).toContain("update your payment method in the workspace's billing settings");
    expect(email.html).not.toContain('<a ');
  });

  it('subscription_cancelled says until when access lasts', () => {
    const email = renderEmail('subscription_cancelled', {
      workspaceName: 'Acme',
      planName: 'Pro',
      accessUntil: '2026-12-31T23:00:00.000Z',
    });
    expect(email.subject).toBe('Your Pro subscription for Acme is cancelled');
    expect(email.text).toContain('You keep access until December 31, 2026.');
    expect(email.html).toContain('You keep access until December 31, 2026.');
  });

  it('subscription_cancelled without a known period end falls back to the billing period', () => {
    const email = renderEmail('subscription_cancelled', { workspaceName: 'Acme', planName: null, accessUntil: null });
    expect(email.subject).toBe('Your subscription for Acme is cancelled');
    expect(email.text).toContain('until the end of the current billing period');
  });

  it('subscription_ended names the workspace and plan', () => {
    const email = renderEmail('subscription_ended', { workspaceName: 'Acme', planName: 'Hobby' });
    expect(email.subject).toBe('Your Hobby subscription for Acme has ended');
    expect(email.text).toContain('The Hobby subscription of Acme has ended');
  });

  it('credits_purchased gives the credits and the new balance', () => {
    const email = renderEmail('credits_purchased', { workspaceName: 'Acme', credits: 10, balance: 1, amount: 990, currency: 'usd' });
    expect(email.subject).toBe('10 credits added to Acme');
    expect(email.text).toContain('We added 10 credits to Acme.');
    expect(email.text).toContain('Amount paid: $9.90');
    expect(email.text).toContain('New balance: 1 credit');
    expect(email.html).toContain('New balance: 1 credit');
  });

  it('plan_changed names the new plan and the old one', () => {
    const email = renderEmail('plan_changed', { workspaceName: 'Acme', fromPlanName: 'Pro', toPlanName: 'Hobby' });
    expect(email.subject).toBe('Acme is now on the Hobby plan');
    expect(email.text).toContain('The subscription of Acme is now on the Hobby plan (it was on Pro).');
  });

  it('subscription_resumed says when it renews', () => {
    const email = renderEmail('subscription_resumed', { workspaceName: 'Acme', planName: 'Pro', renewsOn: '2026-12-31T23:00:00.000Z' });
    expect(email.subject).toBe('Your Pro subscription for Acme continues');
    expect(email.text).toContain('is no longer cancelled: it renews on December 31, 2026.');
    expect(renderEmail('subscription_resumed', { workspaceName: 'Acme', planName: null }).text).toContain('renews as usual');
  });

  it('trial_ending gives the date the first charge comes', () => {
    const email = renderEmail('trial_ending', { workspaceName: 'Acme', planName: 'Hobby', trialEnd: '2026-12-07T10:00:00.000Z' });
    expect(email.subject).toBe('Your free trial for Acme ends on December 7, 2026');
    expect(email.text).toContain('the payment method on file is charged');
  });

  it('the dunning steps: past due (with the date access lasts to), access ended, recovered', () => {
    const pastDue = renderEmail('subscription_past_due', { workspaceName: 'Acme', planName: 'Pro', accessUntil: '2026-12-08T10:00:00.000Z' });
    expect(pastDue.subject).toBe('Payment past due for Acme');
    expect(pastDue.text).toContain('The workspace keeps its features until December 8, 2026.');
    const ended = renderEmail('subscription_access_ended', { workspaceName: 'Acme', planName: 'Pro' });
    expect(ended.text).toContain('The Pro subscription of Acme is still past due, so its features are unavailable.');
    const recovered = renderEmail('subscription_recovered', { workspaceName: 'Acme', planName: null });
    expect(recovered.subject).toBe('Payment received: Acme is active again');
    expect(recovered.text).toContain('for the subscription of Acme went through');
  });

  it('refund_issued: this step, the total, and the credits taken back', () => {
    const partial = renderEmail('refund_issued', { workspaceName: 'Acme', amount: 300, currency: 'usd', paymentAmount: 990, totalRefunded: 300, creditsRevoked: 3 });
    expect(partial.subject).toBe('Refund of $3.00 for Acme');
    expect(partial.text).toContain('We refunded $3.00 of a $9.90 payment by Acme.');
    expect(partial.text).toContain('In all, $3.00 of it has been refunded.');
    expect(partial.text).toContain('3 credits bought with it were taken back.');
    const rest = renderEmail('refund_issued', { workspaceName: 'Acme', amount: 690, currency: 'usd', paymentAmount: 990, totalRefunded: 990, creditsRevoked: 0 });
    expect(rest.text).toContain('The payment is now refunded in full.');
    expect(rest.text).not.toContain('taken back');
  });

  it('escapes every interpolated value in the HTML, not in the text', () => {
    const escaped = '&lt;b&gt;Acme &amp; &quot;Co&quot;&lt;/b&gt;';
    const emails = [
      renderEmail('payment_succeeded', { workspaceName: hostile, planName: hostile, amount: 1, currency: 'usd', paidAt: '2026-01-01T00:00:00Z' }),
      renderEmail('payment_failed', { workspaceName: hostile, amount: 1, currency: 'usd', reason: hostile }),
      renderEmail('subscription_cancelled', { workspaceName: hostile, planName: hostile, accessUntil: '2026-01-01T00:00:00Z' }),
      renderEmail('subscription_ended', { workspaceName: hostile, planName: hostile }),
      renderEmail('credits_purchased', { workspaceName: hostile, credits: 5, balance: 5 }),
      renderEmail('plan_changed', { workspaceName: hostile, fromPlanName: hostile, toPlanName: hostile }),
      renderEmail('subscription_resumed', { workspaceName: hostile, planName: hostile }),
      renderEmail('trial_ending', { workspaceName: hostile, planName: hostile, trialEnd: '2026-01-01T00:00:00Z' }),
      renderEmail('subscription_past_due', { workspaceName: hostile, planName: hostile, accessUntil: '2026-01-01T00:00:00Z' }),
      renderEmail('subscription_access_ended', { workspaceName: hostile, planName: hostile }),
      renderEmail('subscription_recovered', { workspaceName: hostile, planName: hostile }),
      renderEmail('refund_issued', { workspaceName: hostile, amount: 1, currency: 'usd', paymentAmount: 1, totalRefunded: 1, creditsRevoked: 0 }),
    ];
    for (const email of emails) {
      expect(email.html).toContain(escaped);
      expect(email.html).not.toContain('<b>');
      expect(email.text).toContain(hostile);
    }
  });

  it('refuses an unknown template with a clear error', () => {
    expect(() => renderStoredEmail('welcome', {})).toThrow('Unknown email template "welcome" (known: payment_succeeded, ');
    expect(() => renderEmail('welcome' as 'subscription_ended', { workspaceName: 'Acme' })).toThrow('Unknown email template "welcome"');
  });

  it('refuses data that does not fit the template, naming the field', () => {
    expect(() => renderStoredEmail('subscription_cancelled', { workspaceName: 'Acme', accessUntil: 'next week' })).toThrow(
      /Invalid data for email template "subscription_cancelled":[\s\S]*accessUntil/,
    );
    expect(() => renderStoredEmail('payment_failed', { workspaceName: 'Acme', amount: '9.00', currency: 'usd' })).toThrow(/amount/);
  });
});
