import { useId, type ReactNode } from 'react';
import { formatMoney } from '../../payment/money.js';
import type { Plan } from '../../payment/plans.js';

/**
 * One plan or credit pack from plans.ts: what it costs and gives (with its free trial, when the workspace
 * has not had one); `action` is what this user may do.
 */
export function PlanCard({ plan, current, trialOffered, action }: { plan: Plan; current: boolean; trialOffered: boolean; action?: (describedBy: string) => ReactNode }) {
  const headingId = useId();
  const trial = trialOffered && plan.trialDays ? `${plan.trialDays} days free, then billed` : 'Billed';
  const gives =
    plan.effect.kind === 'credits'
      ? `Adds ${plan.effect.amount} credits to the workspace balance. One-time payment.`
      : `${trial} every ${plan.price.interval ?? 'month'}. Cancel any time.`;
  return (
    <article className={current ? 'card plan plan-current' : 'card plan'} aria-labelledby={headingId}>
      <header className="plan-header">
        <h3 id={headingId}>{plan.name}</h3>
        {current && <span className="badge badge-current">Current plan</span>}
      </header>
      <p className="plan-price">
        {formatMoney(plan.price.amount, plan.price.currency)}
        {plan.price.interval && <span className="plan-interval"> / {plan.price.interval}</span>}
      </p>
      <p>{plan.description}</p>
      <p className="muted">{gives}</p>
      {action && <div className="plan-action">{action(headingId)}</div>}
    </article>
  );
}
