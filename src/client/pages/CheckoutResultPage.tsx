import { useEffect, useState } from 'react';
import { api } from '@billing/backend';
import type { Billing, Workspace } from '../backend/types.js';
import type { Plan } from '../../payment/plans.js';
import { pendingCheckout, purchaseLanded } from '../checkout.js';
import { BillingSummary } from '../components/BillingSummary.js';
import { Link } from '../components/Link.js';
import { ErrorNotice, Placeholder, StatusNotice } from '../components/Notice.js';
import { SignedInPage } from '../components/SignedInPage.js';
import { subscriptionInWords } from '../format.js';
import { pollUntil } from '../poll.js';
import { useLocation } from '../router.js';
import { useAsync } from '../useAsync.js';

// How long the page waits for the webhook before saying it is taking longer than usual.
const CONFIRM_TIMEOUT_MS = 60_000;

/** Where the processor's hosted checkout returns to: /checkout?status=success|canceled&workspaceId=… */
export function CheckoutResultPage() {
  const status = useLocation().query.get('status');
  const cancelled = status === 'canceled' || status === 'cancelled' || status === 'cancel';
  return (
    <SignedInPage title={cancelled ? 'Checkout cancelled' : 'Your purchase'}>
      {({ workspace }) => {
        if (cancelled) return <BillingAsItStands workspace={workspace} note="You left the checkout: nothing was charged and your plan is unchanged." />;
        const pending = status === 'success' ? pendingCheckout(workspace.id) : null;
        if (pending) return <Confirming workspace={workspace} {...pending} />;
        // A success URL this tab did not start (another tab, a bookmark): show the state, claim nothing.
        return <BillingAsItStands workspace={workspace} note={`This page cannot tell which purchase this was (it was started elsewhere). Here is ${workspace.name}’s billing as it stands.`} />;
      }}
    </SignedInPage>
  );
}

function BillingAsItStands({ workspace, note }: { workspace: Workspace; note: string }) {
  const billing = useAsync(() => api.getWorkspaceBilling({ workspaceId: workspace.id }), [workspace.id]);
  return (
    <>
      <StatusNotice tone="info">{note}</StatusNotice>
      <CurrentBilling billing={billing.data} error={billing.error} />
      <NextSteps />
    </>
  );
}

/** Polls the billing state until it shows the purchase: a success only once the webhook has applied it. */
function Confirming({ workspace, plan, creditsBefore }: { workspace: Workspace; plan: Plan; creditsBefore: number }) {
  const [result, setResult] = useState<{ billing: Billing; landed: boolean }>();
  const [error, setError] = useState<Error>();
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    setResult(undefined);
    setError(undefined);
    pollUntil(() => api.getWorkspaceBilling({ workspaceId: workspace.id }), (b) => purchaseLanded(plan, creditsBefore, b), {
      timeoutMs: CONFIRM_TIMEOUT_MS,
      signal: abort.signal,
    }).then(
      ({ value, reached }) => !abort.signal.aborted && setResult({ billing: value, landed: reached }),
      (failure: unknown) => !abort.signal.aborted && setError(failure instanceof Error ? failure : new Error(String(failure))),
    );
    return () => abort.abort();
  }, [workspace.id, plan, creditsBefore, attempt]);

  if (error) return <ErrorNotice error={error} />;
  if (!result) {
    return (
      <StatusNotice busy>
        <strong>Processing your payment for {plan.name}…</strong>
        <p>The processor has sent you back; its confirmation is on the way. This page updates by itself.</p>
      </StatusNotice>
    );
  }
  if (!result.landed) {
    return (
      <>
        <StatusNotice tone="warning">
          <strong>Your payment is not confirmed yet.</strong>
          <p>Confirmations usually take seconds, but can take longer. Nothing is charged twice; you will get a receipt by email.</p>
          <button type="button" className="button" onClick={() => setAttempt((n) => n + 1)}>
            Check again
          </button>
        </StatusNotice>
        <CurrentBilling billing={result.billing} />
      </>
    );
  }
  const billing = result.billing;
  return (
    <>
      <StatusNotice tone="success">
        <strong>{landedMessage(plan, billing, workspace)}</strong>
      </StatusNotice>
      <CurrentBilling billing={billing} />
      <NextSteps />
    </>
  );
}

function landedMessage(plan: Plan, billing: Billing, workspace: Workspace): string {
  if (plan.effect.kind === 'credits') return `Payment received: ${plan.effect.amount} credits added. ${workspace.name} now has ${billing.credits} credits.`;
  const { detail } = subscriptionInWords(billing);
  // A trial takes no payment until it ends.
  if (billing.subscriptionStatus === 'trialing') return `Your ${plan.name} trial has started. ${detail}`;
  return `Payment received: ${plan.name} is active. ${detail}`;
}

function CurrentBilling({ billing, error }: { billing: Billing | undefined; error?: Error }) {
  if (error) return <ErrorNotice error={error} />;
  return <section className="card section">{billing ? <BillingSummary billing={billing} /> : <Placeholder />}</section>;
}

function NextSteps() {
  return (
    <p className="actions">
      <Link to="/billing" className="button">
        Go to billing
      </Link>
      <Link to="/pricing" className="button button-quiet">
        Back to pricing
      </Link>
    </p>
  );
}
