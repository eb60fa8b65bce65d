import type { Delivery, ReplayOutcome, ReplaySummary } from './backend/types.js';
import type { Tone } from './format.js';

const statuses: Record<Delivery['status'], { label: string; tone: Tone }> = {
  failed: { label: 'Failed', tone: 'bad' },
  parked: { label: 'Parked', tone: 'warning' },
  ignored: { label: 'Ignored', tone: 'neutral' },
  processed: { label: 'Applied', tone: 'good' },
};

export function deliveryStatus(status: Delivery['status']): { label: string; tone: Tone } {
  return statuses[status];
}

/** Why a delivery was not applied: a parked one's missing link says it best, else the engine's error. */
export function deliveryReason(delivery: Pick<Delivery, 'lastError' | 'waitingFor'>): string {
  if (delivery.waitingFor) return `waiting for ${delivery.waitingFor}`;
  return delivery.lastError ?? 'no error was recorded';
}

/** Ignored deliveries are not ours to apply; failed and parked ones may apply once the cause is fixed. */
export function isReplayable(delivery: Pick<Delivery, 'status'>): boolean {
  return delivery.status === 'failed' || delivery.status === 'parked';
}

export interface Said {
  tone: 'success' | 'warning';
  text: string;
}

/** One replay's outcome, for the notice above the list. */
export function replayOutcomeInWords(eventId: string, outcome: ReplayOutcome): Said {
  switch (outcome.status) {
    case 'processed':
      return { tone: 'success', text: `${eventId} applied.` };
    case 'duplicate':
      return { tone: 'success', text: `${eventId} was already applied: nothing changed.` };
    case 'ignored':
      return { tone: 'warning', text: `${eventId} ignored: ${outcome.reason}` };
    case 'parked':
      return { tone: 'warning', text: `${eventId} parked again, waiting for ${outcome.waitingFor}.` };
    case 'failed':
    case 'unmappable':
      return { tone: 'warning', text: `${eventId} still failed: ${outcome.error}` };
  }
}

const outcomeNames: Record<keyof ReplaySummary['byOutcome'], string> = {
  processed: 'applied',
  duplicate: 'already applied',
  ignored: 'ignored',
  parked: 'parked',
  failed: 'failed again',
  unmappable: 'unreadable',
};

/** "Replay all failed": how many were replayed, and what became of them. */
export function replaySummaryInWords(summary: ReplaySummary): Said {
  if (summary.replayed === 0) return { tone: 'success', text: 'There were no failed deliveries to replay.' };
  const counts = Object.entries(summary.byOutcome)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${outcomeNames[status as keyof typeof outcomeNames]}`);
  const failing = summary.stillFailing.length;
  return {
    tone: failing === 0 ? 'success' : 'warning',
    text: `Replayed ${summary.replayed} failed ${summary.replayed === 1 ? 'delivery' : 'deliveries'}: ${counts.join(', ')}.${failing ? ` ${failing} still not applied: see the list.` : ''}`,
  };
}
