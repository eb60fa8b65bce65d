import { useCallback, useEffect, useState } from 'react';
import { api } from '@billing/backend';
import type { Payment } from '../backend/types.js';
import { formatMoney } from '../../payment/money.js';
import { formatDayAndTime, paymentStatus } from '../format.js';
import { ErrorNotice, Placeholder } from './Notice.js';

const PAGE_SIZE = 10;

export interface PaymentPages {
  payments: Payment[] | undefined;
  error: Error | undefined;
  loadingMore: boolean;
  hasMore: boolean;
  loadMore: () => void;
}

/** The workspace's payments, newest first, a page at a time (owners and workspace admins only). */
export function usePaymentPages(workspaceId: string, enabled: boolean): PaymentPages {
  const [payments, setPayments] = useState<Payment[]>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<Error>();
  const [loadingMore, setLoadingMore] = useState(false);

  const load = useCallback(
    async (after?: string) => {
      setLoadingMore(Boolean(after));
      try {
        const page = await api.getPaymentHistory({ workspaceId, limit: PAGE_SIZE, cursor: after });
        setPayments((earlier) => (after ? [...(earlier ?? []), ...page.payments] : page.payments));
        setCursor(page.nextCursor);
        setError(undefined);
      } catch (failure) {
        setError(failure instanceof Error ? failure : new Error(String(failure)));
      } finally {
        setLoadingMore(false);
      }
    },
    [workspaceId],
  );
  useEffect(() => {
    if (enabled) void load();
  }, [enabled, load]);

  const loadMore = () => {
    if (cursor) void load(cursor);
  };
  return { payments, error, loadingMore, hasMore: cursor !== null, loadMore };
}

export function PaymentHistory({ pages }: { pages: PaymentPages }) {
  if (!pages.payments) return pages.error ? <ErrorNotice error={pages.error} /> : <Placeholder lines={4} label="Loading payments" />;
  if (pages.payments.length === 0) return <p className="muted">No payments yet.</p>;
  return (
    <>
      <div className="table-scroll">
        <table>
          <caption className="visually-hidden">Payments, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">For</th>
              <th scope="col" className="numeric">Amount</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {pages.payments.map((payment) => (
              <PaymentRow key={payment.id} payment={payment} />
            ))}
          </tbody>
        </table>
      </div>
      <ErrorNotice error={pages.error} />
      {pages.hasMore && (
        <button type="button" className="button button-quiet" onClick={pages.loadMore} disabled={pages.loadingMore}>
          {pages.loadingMore ? 'Loading…' : 'Show older payments'}
        </button>
      )}
    </>
  );
}

function PaymentRow({ payment }: { payment: Payment }) {
  const status = paymentStatus(payment.status);
  return (
    <tr>
      <td className="nowrap">{formatDayAndTime(payment.occurredAt)}</td>
      <td>{payment.planName ?? 'Payment'}</td>
      <td className="numeric">
        {formatMoney(payment.amount, payment.currency)}
        {payment.amountRefunded > 0 && <span className="muted"> ({formatMoney(payment.amountRefunded, payment.currency)} refunded)</span>}
      </td>
      <td>
        <span className={`status status-${status.tone}`}>{status.label}</span>
      </td>
    </tr>
  );
}
