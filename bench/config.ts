// Sizes for `npm run bench`. BENCH_SIZE=small|medium|full (default full) picks a preset; single
// BENCH_* variables override it (see docs/PERFORMANCE.md "How to run"). BENCH_DURABLE=false turns fsync off.

export interface BenchConfig {
  size: string;
  /** Webhook deliveries measured per concurrency level (pipeline and floor each). */
  deliveries: number;
  /** Untimed deliveries before measuring (JIT, Prisma's query caches, the connection pool). */
  warmup: number;
  concurrencies: number[];
  /** Concurrency of the pipeline/floor figure repeated at every growth level. */
  growthConcurrency: number;
  workspaces: number;
  /** Audit events (and the growth of the other tables) at each level, ascending; the last is the headline. */
  levels: number[];
  /** The other tables the pipeline writes (deliveries, payments, ledger, outbox) grow to this share of each level. */
  otherTablesRatio: number;
  auditSamples: { min: number; max: number; budgetMs: number };
  operationSamples: number;
  /** The real path (bench/realPath): deliveries per point (ours and the naive peer each), its levels, warm-up and profile size. */
  real: { deliveries: number; concurrencies: number[]; warmup: number; profileDeliveries: number };
  /** fsync on, as `npm start` runs; BENCH_DURABLE=false gives the old non-durable figures (fsync off). */
  durable: boolean;
  /** Sections to skip: real, pipeline, audit, operations, startup. */
  skip: Set<string>;
  out: string;
}

const presets: Record<string, Omit<BenchConfig, 'size' | 'skip' | 'out' | 'durable'>> = {
  small: {
    real: { deliveries: 200, concurrencies: [1, 4, 16], warmup: 40, profileDeliveries: 200 },
    deliveries: 200,
    warmup: 40,
    concurrencies: [1, 4, 16, 64],
    growthConcurrency: 16,
    workspaces: 100,
    levels: [20_000],
    otherTablesRatio: 0.5,
    auditSamples: { min: 5, max: 20, budgetMs: 500 },
    operationSamples: 40,
  },
  medium: {
    real: { deliveries: 1_000, concurrencies: [1, 4, 16], warmup: 200, profileDeliveries: 1_000 },
    deliveries: 1_000,
    warmup: 100,
    concurrencies: [1, 4, 16, 64],
    growthConcurrency: 16,
    workspaces: 1_000,
    levels: [10_000, 100_000],
    otherTablesRatio: 0.5,
    auditSamples: { min: 5, max: 40, budgetMs: 1_500 },
    operationSamples: 100,
  },
  full: {
    real: { deliveries: 1_000, concurrencies: [1, 4, 16], warmup: 200, profileDeliveries: 1_000 },
    deliveries: 2_000,
    warmup: 200,
    concurrencies: [1, 4, 16, 64],
    growthConcurrency: 16,
    workspaces: 1_000,
    levels: [10_000, 100_000, 1_000_000],
    otherTablesRatio: 0.5,
    auditSamples: { min: 5, max: 40, budgetMs: 1_500 },
    operationSamples: 200,
  },
};

const list = (value: string | undefined): number[] | undefined =>
  value ? value.split(',').map((part) => Number(part.trim().replace(/_/g, ''))).filter((n) => Number.isFinite(n) && n > 0) : undefined;
const num = (value: string | undefined): number | undefined => (value && Number.isFinite(Number(value)) ? Number(value) : undefined);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const size = env.BENCH_SIZE ?? 'full';
  const preset = presets[size];
  if (!preset) throw new Error(`BENCH_SIZE=${size}: choose one of ${Object.keys(presets).join(', ')}`);
  const levels = list(env.BENCH_LEVELS) ?? (num(env.BENCH_AUDIT_EVENTS) ? [num(env.BENCH_AUDIT_EVENTS)!] : preset.levels);
  return {
    ...preset,
    size,
    deliveries: num(env.BENCH_DELIVERIES) ?? preset.deliveries,
    warmup: num(env.BENCH_WARMUP) ?? preset.warmup,
    concurrencies: list(env.BENCH_CONCURRENCY) ?? preset.concurrencies,
    workspaces: num(env.BENCH_WORKSPACES) ?? preset.workspaces,
    levels: [...levels].sort((a, b) => a - b),
    operationSamples: num(env.BENCH_OPERATION_SAMPLES) ?? preset.operationSamples,
    real: { ...preset.real, deliveries: num(env.BENCH_REAL_DELIVERIES) ?? preset.real.deliveries, concurrencies: list(env.BENCH_REAL_CONCURRENCY) ?? preset.real.concurrencies },
    durable: env.BENCH_DURABLE !== 'false',
    skip: new Set((env.BENCH_SKIP ?? '').split(',').map((s) => s.trim()).filter(Boolean)),
    out: env.BENCH_OUT ?? 'docs/PERFORMANCE.md',
  };
}
