import { describe, expect, it } from 'vitest';
import { deliveryReason, isReplayable, replayOutcomeInWords, replaySummaryInWords } from './deliveryInWords.js';

describe('a delivery in words', () => {
  it('says why it was not applied: the missing link of a parked one, else the error', () => {
    expect(deliveryReason({ waitingFor: 'customer cus_1', lastError: 'customer cus_1 is not linked to a workspace yet' })).toBe('waiting for customer cus_1');
    expect(deliveryReason({ waitingFor: null, lastError: 'unknown plan "gold"' })).toBe('unknown plan "gold"');
    expect(deliveryReason({ waitingFor: null, lastError: null })).toBe('no error was recorded');
  });

  it('offers a replay for failed and parked deliveries, not ignored ones', () => {
    expect(['failed', 'parked', 'ignored'].map((status) => isReplayable({ status: status as 'failed' }))).toEqual([true, true, false]);
  });

  it('says what one replay did', () => {
    expect(replayOutcomeInWords('evt_1', { status: 'processed' })).toEqual({ tone: 'success', text: 'evt_1 applied.' });
    expect(replayOutcomeInWords('evt_1', { status: 'duplicate' }).text).toBe('evt_1 was already applied: nothing changed.');
    expect(replayOutcomeInWords('evt_1', { status: 'parked', waitingFor: 'subscription sub_1', reason: 'not linked' })).toEqual({
      tone: 'warning',
      text: 'evt_1 parked again, waiting for subscription sub_1.',
    });
    expect(replayOutcomeInWords('evt_1', { status: 'unmappable', error: 'payload invalid' }).text).toBe('evt_1 still failed: payload invalid');
  });

  it('sums up "replay all failed", counting only the outcomes that happened', () => {
    const byOutcome = { processed: 0, duplicate: 0, ignored: 0, parked: 0, failed: 0, unmappable: 0 };
    expect(replaySummaryInWords({ replayed: 0, byOutcome, stillFailing: [] })).toEqual({ tone: 'success', text: 'There were no failed deliveries to replay.' });
    expect(replaySummaryInWords({ replayed: 1, byOutcome: { ...byOutcome, processed: 1 }, stillFailing: [] })).toEqual({ tone: 'success', text: 'Replayed 1 failed delivery: 1 applied.' });
    const stillFailing = [{ deliveryId: 'd2', eventId: 'evt_2', type: 'invoice.paid', status: 'failed' as const, error: 'boom' }];
    expect(replaySummaryInWords({ replayed: 3, byOutcome: { ...byOutcome, processed: 2, failed: 1 }, stillFailing })).toEqual({
      tone: 'warning',
      text: 'Replayed 3 failed deliveries: 2 applied, 1 failed again. 1 still not applied: see the list.',
    });
  });
});
