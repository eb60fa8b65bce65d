import { api } from '@billing/backend';
import type { Payment } from '../backend/types.js';
import { formatMoney } from '../../payment/money.js';
import { formatDayAndTime, paymentStatus } from '../format.js';
import { useCursorPages, type CursorPages } from '../useCursorPages.js';
import { ErrorNotice, Placeholder } from './Notice.js';

const PAGE_SIZE = 10;

export type PaymentPages = CursorPages<Payment>;

/** The workspace's payments, newest first, a page at a time (owners and workspace admins only). */
export function usePaymentPages(workspaceId: string, enabled: boolean): PaymentPages {
  return useCursorPages(
    async (cursor) => {
      const page = await api.getPaymentHistory({ workspaceId, limit: PAGE_SIZE, cursor });
      return { items: page.payments, nextCursor: page.nextCursor };
    },
    [workspaceId],
    enabled,
  );
}

export function PaymentHistory({ pages }: { pages: PaymentPages }) {
  if (!pages.items) return pages.error ? <ErrorNotice error={pages.error} /> : <Placeholder lines={4} label="Loading payments" />;
  if (pages.items.length === 0) return <p className="muted">No payments yet.</p>;
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
            {pages.items.map((payment) => (
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
