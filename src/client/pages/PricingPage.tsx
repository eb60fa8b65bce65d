import { useState, type ReactNode } from 'react';
import { api } from '@billing/backend';
import type { Billing } from '../backend/types.js';
import { allPlans, type Plan } from '../../payment/plans.js';
import { startCheckout } from '../checkout.js';
import { Layout } from '../components/Layout.js';
import { Link } from '../components/Link.js';
import { ErrorNotice, Placeholder, StatusNotice } from '../components/Notice.js';
import { PlanCard } from '../components/PlanCard.js';
import { SignedInPage, type WorkspaceView } from '../components/SignedInPage.js';
import { aRole } from '../format.js';
import { pollUntil } from '../poll.js';
import { useSession } from '../session.js';
import { useAction } from '../useAction.js';
import { useAsync } from '../useAsync.js';

const subscriptions = allPlans.filter((plan) => plan.effect.kind === 'subscription');
const creditPacks = allPlans.filter((plan) => plan.effect.kind === 'credits');

/** Plans and credit packs; signed in, with the workspace's current plan and what the user's role may buy. */
export function PricingPage() {
  const session = useSession();
  if (session.status !== 'signed-out') return <SignedInPage title="Pricing">{(view) => <WorkspacePricing view={view} />}</SignedInPage>;
  return (
    <Layout title="Pricing">
      <PlanSections renderAction={() => <Link to="/signup?next=/pricing" className="button">Sign up to buy</Link>} />
    </Layout>
  );
}

function PlanSections({ renderAction, current, trialOffered = true, intro }: {
  renderAction: (plan: Plan, describedBy: string) => ReactNode;
  current?: (plan: Plan) => boolean;
  trialOffered?: boolean;
  intro?: { plans?: ReactNode; credits?: ReactNode };
}) {
  return (
    <>
      <section aria-labelledby="plans-heading" className="section">
        <h2 id="plans-heading">Plans</h2>
        {intro?.plans}
        <div className="plan-grid">
          {subscriptions.map((plan) => (
            <PlanCard key={plan.id} plan={plan} current={current?.(plan) ?? false} trialOffered={trialOffered} action={(id) => renderAction(plan, id)} />
          ))}
        </div>
      </section>
      <section aria-labelledby="credits-heading" className="section">
        <h2 id="credits-heading">Credit packs</h2>
        {intro?.credits}
        <div className="plan-grid">
          {creditPacks.map((plan) => (
            <PlanCard key={plan.id} plan={plan} current={false} trialOffered={false} action={(id) => renderAction(plan, id)} />
          ))}
        </div>
      </section>
    </>
  );
}

function WorkspacePricing({ view: { workspace } }: { view: WorkspaceView }) {
  const billing = useAsync(() => api.getWorkspaceBilling({ workspaceId: workspace.id }), [workspace.id]);
  const [switching, setSwitching] = useState<Plan>();
  const buy = useAction((plan: Plan, current: Billing) => startCheckout(workspace.id, plan, current));
  // The processor makes the change (an upgrade now, a downgrade may wait for the period end: pendingPlan);
  // the new state arrives by webhook.
  const switchPlan = useAction(async (plan: Plan) => {
    await api.changePlan({ workspaceId: workspace.id, planId: plan.id });
    setSwitching(plan);
    await pollUntil(() => api.getWorkspaceBilling({ workspaceId: workspace.id }), (b) => b.plan === plan.id || b.pendingPlan === plan.id);
    setSwitching(undefined);
    billing.reload();
  });

  if (!billing.data) return billing.error ? <ErrorNotice error={billing.error} /> : <Placeholder lines={6} />;
  const current = billing.data;
  const isOwner = workspace.role === 'owner';
  const busy = buy.busy || switchPlan.busy;

  const renderAction = (plan: Plan, describedBy: string) => {
    if (plan.effect.kind === 'credits') {
      return (
        <button type="button" className="button" aria-describedby={describedBy} disabled={busy} onClick={() => void buy.run(plan, current)}>
          Buy credits
        </button>
      );
    }
    if (!isOwner) return null;
    if (current.hasActivePlan && current.plan === plan.id) return <button type="button" className="button button-quiet" disabled>Your current plan</button>;
    const label = current.hasActivePlan ? `Switch to ${plan.name}` : `Upgrade to ${plan.name}`;
    const onClick = () => void (current.hasActivePlan ? switchPlan.run(plan) : buy.run(plan, current));
    return (
      <button type="button" className="button" disabled={busy} onClick={onClick}>
        {label}
      </button>
    );
  };

  return (
    <>
      <ErrorNotice error={buy.error ?? switchPlan.error} />
      {buy.busy && <StatusNotice busy>Opening the secure checkout page…</StatusNotice>}
      {switching && <StatusNotice busy>Switching to {switching.name}: waiting for the processor to confirm…</StatusNotice>}
      <PlanSections
        current={(plan) => current.hasActivePlan && current.plan === plan.id}
        trialOffered={!current.trialUsed && !current.hasActivePlan}
        renderAction={renderAction}
        intro={{
          plans: !isOwner && (
            <p className="notice notice-info">
              You are {aRole[workspace.role]} of {workspace.name}: only its owners can subscribe or change the
              plan. You can buy credit packs.
            </p>
          ),
          credits: <p className="muted">{workspace.name} has {current.credits} credits.</p>,
        }}
      />
    </>
  );
}
