import { runDueActions, type DueAction } from '../../../emulators/shared/scheduler.js';
import { parseIsoTime } from './clock.js';
import type { EmulatorContext } from './context.js';
import { autoUnpause, expire, renew, retry, skipPausedPeriod } from './lifecycle.js';

function dueActions(ctx: EmulatorContext): DueAction[] {
  const actions: DueAction[] = [];
  for (const sub of ctx.store.subscriptions.values()) {
    const attrs = sub.attributes;
    switch (attrs.status) {
      case 'active':
      case 'on_trial':
        actions.push({ at: sub.periodEnd, rank: 2, run: () => renew(ctx, sub) });
        break;
      case 'past_due': {
        const at = parseIsoTime(attrs.renews_at);
        if (at !== null) actions.push({ at, rank: 1, run: () => retry(ctx, sub) });
        break;
      }
      case 'cancelled': {
        const at = attrs.ends_at ? parseIsoTime(attrs.ends_at) : null;
        if (at !== null) actions.push({ at, rank: 0, run: () => expire(ctx, sub) });
        break;
      }
      case 'paused': {
        const resumesAt = attrs.pause?.resumes_at ? parseIsoTime(attrs.pause.resumes_at) : null;
        if (resumesAt !== null) actions.push({ at: resumesAt, rank: 0, run: () => autoUnpause(ctx, sub) });
        actions.push({ at: sub.periodEnd, rank: 2, run: () => skipPausedPeriod(ctx, sub) });
        break;
      }
      default:
        break;
    }
  }
  return actions;
}

/**
 * Runs everything scheduled up to `targetSec` (fractions allowed) in time order (renewals, retries, expiries, pause ends),
 * each at its own time on the emulator clock, then leaves the clock there.
 */
export function advanceTo(ctx: EmulatorContext, targetSec: number): void {
  runDueActions(ctx.clock, targetSec, () => dueActions(ctx));
}

/** Runs what fell due while the wall clock moved on (before a request looks at the objects). */
export function catchUp(ctx: EmulatorContext): void {
  advanceTo(ctx, ctx.clock.nowSec());
}
