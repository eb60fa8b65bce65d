/**
 * Calls `load` until `done` says its value shows the change (a webhook has landed), or until
 * `timeoutMs`. Resolves to the last value and whether it got there.
 */
export async function pollUntil<T>(
  load: () => Promise<T>,
  done: (value: T) => boolean,
  { intervalMs = 1000, timeoutMs = 30_000, signal }: { intervalMs?: number; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<{ value: T; reached: boolean }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await load();
    if (done(value)) return { value, reached: true };
    if (Date.now() >= deadline || signal?.aborted) return { value, reached: false };
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
