import { useState } from 'react';
import { api } from '@billing/backend';
import type { Delivery } from '../backend/types.js';
import { replayOutcomeInWords, replaySummaryInWords, type Said } from '../deliveryInWords.js';
import { DeliveriesTable } from '../components/DeliveriesTable.js';
import { ErrorNotice, Placeholder, StatusNotice } from '../components/Notice.js';
import { SignedInPage } from '../components/SignedInPage.js';
import { useAction } from '../useAction.js';
import { useCursorPages } from '../useCursorPages.js';

const PAGE_SIZE = 25;

/** Site admins see the signed webhook deliveries the engine could not apply, and replay them after a fix. */
export function DeliveriesPage() {
  return (
    <SignedInPage title="Deliveries">
      {(view) => (view.user.isAdmin ? <Deliveries /> : <p className="notice notice-info">Webhook deliveries are for site admins.</p>)}
    </SignedInPage>
  );
}

// What needs an operator: failed and parked. Ignored ones (not ours) are mostly other apps' traffic.
const NEEDS_ATTENTION: Delivery['status'][] = ['failed', 'parked'];

function Deliveries() {
  const [showIgnored, setShowIgnored] = useState(false);
  const pages = useCursorPages(async (cursor) => {
    const page = await api.listFailedDeliveries({ cursor, limit: PAGE_SIZE, statuses: showIgnored ? [...NEEDS_ATTENTION, 'ignored'] : NEEDS_ATTENTION });
    return { items: page.deliveries, nextCursor: page.nextCursor };
  }, [showIgnored]);
  const [said, setSaid] = useState<Said>();
  // One delivery, or every failed one when none is given; the list is read again after, as it changed.
  const replay = useAction(async (delivery?: Delivery) => {
    setSaid(undefined);
    const result = delivery
      ? replayOutcomeInWords(delivery.eventId, (await api.replayDelivery({ deliveryId: delivery.id })).outcome)
      : replaySummaryInWords(await api.replayFailedDeliveries({}));
    setSaid(result);
    pages.reload();
  });

  return (
    <section className="section" aria-labelledby="deliveries-heading" aria-busy={!pages.items && !pages.error}>
      <div className="section-header">
        <h2 id="deliveries-heading">Not applied</h2>
        <div className="actions">
          <label className="checkbox">
            <input type="checkbox" checked={showIgnored} onChange={(e) => setShowIgnored(e.target.checked)} /> Show ignored (not ours)
          </label>
          <button type="button" className="button" disabled={replay.busy} onClick={() => void replay.run()}>
            {replay.busy ? 'Replaying…' : 'Replay all failed'}
          </button>
        </div>
      </div>
      {said && <StatusNotice tone={said.tone}>{said.text}</StatusNotice>}
      <ErrorNotice error={replay.error ?? pages.error} />
      {pages.items ? (
        pages.items.length === 0 ? (
          <p className="muted">{showIgnored ? 'Every signed delivery was applied: none failed, is parked or was ignored.' : 'Nothing needs you: no delivery failed or is parked.'}</p>
        ) : (
          <DeliveriesTable deliveries={pages.items} replaying={replay.busy} onReplay={(delivery) => void replay.run(delivery)} />
        )
      ) : (
        !pages.error && <Placeholder lines={5} label="Loading deliveries" />
      )}
      {pages.hasMore && (
        <button type="button" className="button button-quiet" disabled={pages.loadingMore} onClick={pages.loadMore}>
          {pages.loadingMore ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}
