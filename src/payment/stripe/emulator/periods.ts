const DAY = 24 * 60 * 60;

function daysInMonthUtc(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/**
 * The end of a billing period that starts at `startSec`: one calendar month or year later, on the anchor's
 * day of month (clamped to shorter months, as Stripe does: Jan 31 → Feb 28 → Mar 31).
 */
export function periodEnd(startSec: number, interval: string, anchorSec: number = startSec): number {
  const start = new Date(startSec * 1000);
  const anchorDay = new Date(anchorSec * 1000).getUTCDate();
  switch (interval) {
    case 'day':
      return startSec + DAY;
    case 'week':
      return startSec + 7 * DAY;
    case 'month':
    case 'year': {
      const months = interval === 'month' ? 1 : 12;
      const total = start.getUTCMonth() + months;
      const year = start.getUTCFullYear() + Math.floor(total / 12);
      const month = total % 12;
      const day = Math.min(anchorDay, daysInMonthUtc(year, month));
      return Math.floor(
        Date.UTC(year, month, day, start.getUTCHours(), start.getUTCMinutes(), start.getUTCSeconds()) / 1000,
      );
    }
    default:
      throw new Error(`Unsupported interval: ${interval}`);
  }
}

export const SECONDS_PER_DAY = DAY;
