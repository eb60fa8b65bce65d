import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * Saving an emulator's state file (the Stripe and the Lemon Squeezy emulator): atomic writes, batched off
 * the request path. What goes into the file, and reading it back, is each emulator's own (persistence.ts).
 */

/** Writes `data` to a temporary file beside `file`, flushes it to disk, then renames it over `file`. */
export async function writeAtomically(file: string, data: string): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    try {
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/**
 * Saves the state off the request path: `schedule()` after a change; changes within `delayMs` are saved
 * together, and one write runs at a time (a change during a write is saved by the next one). `close()`
 * writes what is pending and rejects if that last write failed; a failed write is otherwise logged and
 * tried again on the next change.
 */
export class StateWriter {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private dirty = false;
  private closed = false;
  private failure: unknown = null;

  constructor(
    readonly file: string,
    private readonly serialize: () => string,
    private readonly delayMs = 25,
  ) {
    mkdirSync(path.dirname(file), { recursive: true });
  }

  schedule(): void {
    if (this.closed) return;
    this.dirty = true;
    if (!this.timer && !this.running) this.arm();
  }

  /** Writes what is pending and stops saving; rejects if that last write fails. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.running) await this.running;
    if (this.dirty) await this.drain();
    if (this.failure !== null) {
      const reason = this.failure instanceof Error ? this.failure.message : String(this.failure);
      throw new Error(`The emulator could not save its state to ${this.file}: ${reason}`);
    }
  }

  private arm(): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.drain();
    }, this.delayMs);
  }

  private drain(): Promise<void> {
    this.running ??= this.writeWhileDirty().finally(() => {
      this.running = null;
      // A change that came in as the last write ended (a failed write waits for the next change or close).
      if (this.dirty && this.failure === null && !this.closed && !this.timer) this.arm();
    });
    return this.running;
  }

  private async writeWhileDirty(): Promise<void> {
    // Yield once so `running` is set before anything below can finish.
    await Promise.resolve();
    while (this.dirty) {
      this.dirty = false;
      try {
        await writeAtomically(this.file, this.serialize());
        this.failure = null;
      } catch (error) {
        if (this.failure === null) console.error(`[emulator] could not save its state to ${this.file}:`, error);
        this.failure = error;
        this.dirty = true;
        return;
      }
    }
  }
}

/**
 * The URL of an emulator that is running on `stateFile` now (another process's: the server's), or null:
 * the URL the file saved, if an emulator answers there. A shell command uses it instead of starting a
 * second emulator on the same file, which would overwrite the server's saves and, catching up its clock,
 * bill renewals of its own.
 */
export async function runningEmulatorUrl(stateFile: string): Promise<string | null> {
  let baseUrl: unknown;
  try {
    baseUrl = (JSON.parse(await readFile(stateFile, 'utf8')) as { baseUrl?: unknown }).baseUrl;
  } catch {
    return null; // no file yet (nothing ran), or one being replaced: nothing to share
  }
  if (typeof baseUrl !== 'string') return null;
  try {
    const answer = await fetch(`${baseUrl}/_emulator/now`, { signal: AbortSignal.timeout(1_000) });
    return answer.ok ? baseUrl : null;
  } catch {
    return null;
  }
}
