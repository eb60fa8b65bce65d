import type { EmulatorClock } from './clock.js';

/** Something the emulator does at a time of its clock (a renewal, a payment retry, an expiry, ...). */
export interface DueAction {
  /** Unix seconds. */
  at: number;
  /** Among actions due at the same time, the lower rank runs first. */
  rank: number;
  run: () => void;
}

/**
 * The billing loop both emulators share: runs everything `dueActions()` schedules up to `targetSec` in time
 * order, each at its own time on the emulator clock (pinned while it runs), then leaves the clock there.
 * `dueActions` is asked again after every action, since an action schedules the next ones.
 */
export function runDueActions(clock: EmulatorClock, targetSec: number, dueActions: () => DueAction[]): void {
  let floor = clock.nowSec();
  for (let guard = 0; guard < 100_000; guard++) {
    let next: DueAction | undefined;
    for (const action of dueActions()) {
      if (!next || action.at < next.at || (action.at === next.at && action.rank < next.rank)) next = action;
    }
    if (!next || next.at > targetSec) break;
    floor = Math.max(floor, next.at);
    clock.pin(floor);
    next.run();
  }
  clock.settle(Math.max(floor, targetSec));
}
