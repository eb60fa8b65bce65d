// Timing and summary helpers shared by every benchmark section.

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
}

/** Milliseconds since an arbitrary origin, with sub-millisecond resolution. */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Nearest-rank percentile of sorted samples. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, x) => sum + x, 0) / (sorted.length || 1);
  return { n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), mean, max: sorted.at(-1) ?? NaN };
}

export interface LoadResult {
  /** Per-item latency in ms. */
  latency: Summary;
  /** The raw latencies, so interleaved rounds of one point can be summarized together. */
  samples: number[];
  /** Items completed per second of wall time. */
  perSecond: number;
  wallMs: number;
  /** CPU time of this Node process (user + system) per completed item, in ms. */
  cpuMsPerItem: number;
  errors: number;
  firstError?: string;
}

/**
 * Runs `work` once per item with at most `concurrency` in flight (closed loop: each worker starts its
 * next item as soon as its previous one finishes). Latency is per item; throughput is items / wall time.
 */
export async function runClosedLoop<T>(items: T[], concurrency: number, work: (item: T, worker: number) => Promise<void>): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const start = nowMs();
  const cpu0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async (_, worker) => {
      while (next < items.length) {
        const item = items[next++]!;
        const t0 = nowMs();
        try {
          await work(item, worker);
          latencies.push(nowMs() - t0);
        } catch (error) {
          errors++;
          firstError ??= error instanceof Error ? error.message : String(error);
        }
      }
    }),
  );
  const wallMs = nowMs() - start;
  const cpu = process.cpuUsage(cpu0);
  const cpuMsPerItem = (cpu.user + cpu.system) / 1000 / (latencies.length || 1);
  return { latency: summarize(latencies), samples: latencies, perSecond: (latencies.length / wallMs) * 1000, wallMs, cpuMsPerItem, errors, firstError };
}

/**
 * Repeats `work` sequentially: at least `min` times, at most `max`, and stops early once `budgetMs`
 * is spent (slow queries get fewer samples, never fewer than `min`). One untimed warm-up run first.
 */
export async function sample(work: () => Promise<unknown>, opts: { min: number; max: number; budgetMs: number }): Promise<Summary> {
  await work();
  const samples: number[] = [];
  const start = nowMs();
  while (samples.length < opts.max && (samples.length < opts.min || nowMs() - start < opts.budgetMs)) {
    const t0 = nowMs();
    await work();
    samples.push(nowMs() - t0);
  }
  return summarize(samples);
}

export const fmtMs = (ms: number): string => (Number.isNaN(ms) ? '-' : ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
export const fmtRate = (n: number): string => (Number.isNaN(n) ? '-' : n >= 100 ? n.toFixed(0) : n.toFixed(1));
export const fmtCount = (n: number): string => n.toLocaleString('en-US');
