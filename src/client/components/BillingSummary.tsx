import type { Billing } from '../backend/types.js';
import { planName, subscriptionInWords, type Tone } from '../format.js';

/** Plan, status in words and credits: the billing state as the last webhook left it. */
export function BillingSummary({ billing, pastDueSince }: { billing: Billing; pastDueSince?: string }) {
  const words = subscriptionInWords(billing, pastDueSince);
  const attention = billing.cancelAtPeriodEnd || billing.subscriptionStatus === 'past_due';
  const tone: Tone = !billing.hasActivePlan ? 'neutral' : attention ? 'warning' : 'good';
  return (
    <dl className="summary">
      <div>
        <dt>Plan</dt>
        <dd className="summary-value">{billing.subscriptionStatus ? planName(billing.plan) : 'Free'}</dd>
      </div>
      <div>
        <dt>Status</dt>
        <dd>
          <span className={`status status-${tone}`}>{words.status}</span>
          <span className="summary-detail">{words.detail}</span>
        </dd>
      </div>
      <div>
        <dt>Credits</dt>
        <dd className="summary-value" data-testid="credits-balance">
          {billing.credits}
        </dd>
      </div>
    </dl>
  );
}
