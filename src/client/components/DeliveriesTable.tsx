import type { Delivery } from '../backend/types.js';
import { deliveryReason, deliveryStatus, isReplayable } from '../deliveryInWords.js';
import { formatDayAndTime } from '../format.js';

/** Deliveries the engine did not apply, newest first; failed and parked ones can be replayed from their row. */
export function DeliveriesTable({ deliveries, replaying, onReplay }: { deliveries: Delivery[]; replaying: boolean; onReplay: (delivery: Delivery) => void }) {
  return (
    <div className="table-scroll">
      <table>
        <caption className="visually-hidden">Deliveries not applied, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Received</th>
            <th scope="col">Processor</th>
            <th scope="col">Event</th>
            <th scope="col">Status</th>
            <th scope="col" className="numeric">
              Attempts
            </th>
            <th scope="col">Why</th>
            <th scope="col">
              <span className="visually-hidden">Replay</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((delivery) => {
            const status = deliveryStatus(delivery.status);
            return (
              <tr key={delivery.id} data-testid="delivery-row">
                <td className="nowrap">{formatDayAndTime(delivery.receivedAt)}</td>
                <td>{delivery.processor}</td>
                <td>
                  <code className="delivery-type">{delivery.type}</code>
                  <code className="delivery-event-id">{delivery.eventId}</code>
                </td>
                <td>
                  <span className={`status status-${status.tone}`}>{status.label}</span>
                </td>
                <td className="numeric">{delivery.attempts}</td>
                <td className="delivery-reason">{deliveryReason(delivery)}</td>
                <td>
                  {isReplayable(delivery) && (
                    <button type="button" className="button button-small button-quiet" disabled={replaying} aria-label={`Replay ${delivery.eventId}`} onClick={() => onReplay(delivery)}>
                      Replay
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
