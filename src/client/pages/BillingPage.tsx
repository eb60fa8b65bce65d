import { api } from '@billing/backend';
import { BillingSummary } from '../components/BillingSummary.js';
import { Link } from '../components/Link.js';
import { ErrorNotice, Placeholder } from '../components/Notice.js';
import { PaymentHistory, usePaymentPages } from '../components/PaymentHistory.js';
import { SignedInPage, type WorkspaceView } from '../components/SignedInPage.js';
import { SubscriptionControls } from '../components/SubscriptionControls.js';
import { firstFailureSinceLastSuccess } from '../format.js';
import { useAsync } from '../useAsync.js';
import { useInterval } from '../useInterval.js';

// Changes made in the processor's portal, and renewals, arrive by webhook: the page keeps up.
const REFRESH_MS = 5_000;

/** The account's billing: plan and status in words, credits, payments, and the owner's controls. */
export function BillingPage() {
  return <SignedInPage title="Billing">{(view) => <WorkspaceBilling view={view} />}</SignedInPage>;
}

function WorkspaceBilling({ view: { workspace } }: { view: WorkspaceView }) {
  const billing = useAsync(() => api.getWorkspaceBilling({ workspaceId: workspace.id }), [workspace.id]);
  const readsPayments = workspace.role !== 'member';
  const payments = usePaymentPages(workspace.id, readsPayments);
  useInterval(billing.reload, REFRESH_MS);

  if (!billing.data) return billing.error ? <ErrorNotice error={billing.error} /> : <Placeholder lines={6} />;
  const pastDueSince = payments.items && firstFailureSinceLastSuccess(payments.items);
  return (
    <>
      <section className="card section" aria-labelledby="plan-heading">
        <h2 id="plan-heading">{workspace.name}</h2>
        <BillingSummary billing={billing.data} pastDueSince={pastDueSince} />
        {workspace.role === 'owner' ? (
          <SubscriptionControls billing={billing.data} onChanged={billing.reload} />
        ) : (
          <p className="notice notice-info">
            Only the workspace’s owners can manage billing (payment method, invoices, cancellation). You can{' '}
            <Link to="/pricing">buy credit packs</Link>.
          </p>
        )}
        {!billing.data.hasActivePlan && workspace.role === 'owner' && (
          <p>
            <Link to="/pricing">See plans</Link>
          </p>
        )}
      </section>
      <section className="section" aria-labelledby="payments-heading">
        <h2 id="payments-heading">Recent payments</h2>
        {readsPayments ? <PaymentHistory pages={payments} /> : <p className="muted">Payment history is visible to the workspace’s owners and admins.</p>}
      </section>
    </>
  );
}
