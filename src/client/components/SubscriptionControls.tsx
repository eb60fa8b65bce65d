import { useState } from 'react';
import { api } from '@billing/backend';
import type { Billing } from '../backend/types.js';
import { pollUntil } from '../poll.js';
import { useAction } from '../useAction.js';
import { ErrorNotice, StatusNotice } from './Notice.js';

/**
 * An owner's buttons: the processor's customer portal, and cancel at period end / resume. Each change
 * is a request to the processor; the page waits for its webhook before showing the new state.
 */
export function SubscriptionControls({ billing, onChanged }: { billing: Billing; onChanged: () => void }) {
  const workspaceId = billing.workspaceId;
  const [confirmingCancel, setConfirmingCancel] = useState(false);
  const [waitingFor, setWaitingFor] = useState<string>();

  const portal = useAction(async () => {
    const { url } = await api.getCustomerPortalUrl({ workspaceId });
    window.location.assign(url);
  });
  const change = useAction(async (cancel: boolean) => {
    setConfirmingCancel(false);
    if (cancel) await api.cancelSubscription({ workspaceId, atPeriodEnd: true });
    else await api.resumeSubscription({ workspaceId });
    setWaitingFor(cancel ? 'Cancellation requested: waiting for the processor to confirm…' : 'Resume requested: waiting for the processor to confirm…');
    try {
      await pollUntil(() => api.getWorkspaceBilling({ workspaceId }), (b) => b.cancelAtPeriodEnd === cancel);
    } finally {
      setWaitingFor(undefined);
      onChanged();
    }
  });

  const live = billing.hasActivePlan;
  return (
    <div className="controls">
      <div className="actions">
        <button type="button" className="button" disabled={!billing.customerId || portal.busy} onClick={() => void portal.run()}>
          {portal.busy ? 'Opening the billing portal…' : 'Manage billing'}
        </button>
        {live && !billing.cancelAtPeriodEnd && !confirmingCancel && (
          <button type="button" className="button button-quiet" disabled={change.busy} onClick={() => setConfirmingCancel(true)}>
            Cancel subscription
          </button>
        )}
        {live && billing.cancelAtPeriodEnd && (
          <button type="button" className="button button-quiet" disabled={change.busy} onClick={() => void change.run(false)}>
            Resume subscription
          </button>
        )}
      </div>
      {!billing.customerId && <p className="hint">The billing portal opens after your first purchase.</p>}
      {confirmingCancel && (
        <div className="confirm" role="group" aria-label="Confirm cancellation">
          <p>Cancel at the end of the current period? The plan stays active until then, and you can resume before it ends.</p>
          <div className="actions">
            <button type="button" className="button button-danger" onClick={() => void change.run(true)} autoFocus>
              Cancel at period end
            </button>
            <button type="button" className="button button-quiet" onClick={() => setConfirmingCancel(false)}>
              Keep my plan
            </button>
          </div>
        </div>
      )}
      {waitingFor && <StatusNotice busy>{waitingFor}</StatusNotice>}
      <ErrorNotice error={portal.error ?? change.error} />
    </div>
  );
}
