export const SECONDS_PER_DAY = 24 * 60 * 60;

/** LS's date-time format: `2026-11-23T10:00:00.000000Z`. */
export function isoTime(sec: number): string {
  return new Date(sec * 1000).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export function parseIsoTime(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
}

function daysInMonthUtc(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/**
 * One month or year after `startSec`, on the billing anchor's day of month (the last day in shorter
 * months: Jan 31 → Feb 28 → Mar 31), at the same time of day.
 */
export function addInterval(startSec: number, interval: 'month' | 'year', anchorDay: number): number {
  const start = new Date(startSec * 1000);
  const total = start.getUTCMonth() + (interval === 'month' ? 1 : 12);
  const year = start.getUTCFullYear() + Math.floor(total / 12);
  const month = total % 12;
  const day = Math.min(anchorDay, daysInMonthUtc(year, month));
  return Math.floor(Date.UTC(year, month, day, start.getUTCHours(), start.getUTCMinutes(), start.getUTCSeconds()) / 1000);
}
