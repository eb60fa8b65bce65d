/**
 * The emulator clock (both emulators): the wall clock plus an offset that `advanceClock` grows. While the
 * billing loop runs a scheduled action it pins the clock to that action's time, so objects and webhooks
 * carry it.
 */
export class EmulatorClock {
  private offsetMs = 0;
  private pinnedSec: number | null = null;

  /** `roundSettle`: `settle` rounds the target to whole milliseconds (Lemon Squeezy; Stripe keeps fractions). */
  constructor(private readonly options: { roundSettle: boolean } = { roundSettle: false }) {}

  nowMs(): number {
    return this.pinnedSec !== null ? this.pinnedSec * 1000 : Date.now() + this.offsetMs;
  }

  /** Unix seconds, as in Stripe's `created` fields. */
  nowSec(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  pin(sec: number): void {
    this.pinnedSec = sec;
  }

  /** How far the clock runs ahead of the wall clock, in ms (what a state file keeps). */
  get offset(): number {
    return this.offsetMs;
  }

  /**
   * Restores a saved clock: the saved offset, but never earlier than the time the clock read when it was
   * saved (should the wall clock have gone back since).
   */
  restore(offsetMs: number, savedNowMs: number): void {
    this.pinnedSec = null;
    this.offsetMs = Math.max(offsetMs, savedNowMs - Date.now());
  }

  /** Unpins and moves the running clock so that it now reads `sec`. Never moves backwards. */
  settle(sec: number): void {
    this.pinnedSec = null;
    const target = this.options.roundSettle ? Math.round(sec * 1000) : sec * 1000;
    if (target > Date.now() + this.offsetMs) this.offsetMs = target - Date.now();
  }
}
