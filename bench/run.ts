// `npm run bench`: its own embedded PostgreSQL, then pipeline + floor, audit reads, operations, start-up,
// and growth; prints the tables and writes docs/PERFORMANCE.md. BENCH_SIZE=small for a quick run.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { measureAuditOverHttp, measureAuditReads, explainAuditReads } from './auditLog.js';
import { count, growTo, type GrowthState } from './bulkLoad.js';
import { loadConfig } from './config.js';
import { seed as seedDatabase, startBenchDatabase, type BenchDatabase } from './database.js';
import { APP_POOL_SIZE, runFloor } from './floor.js';
import { machineInfo } from './machine.js';
import { measureOperations } from './operations.js';
import { pipelineBreakdown, pipelineStatements, runPipeline, startAppServer, type AppServer } from './pipeline.js';
import { renderReport, renderConsoleSummary, type BenchResults, type LevelResult, type PipelineRow } from './report.js';
import { runRealPath } from './realPath/realPath.js';
import { measureRoundTrips } from './roundTrips.js';
import { measureStartup } from './startup.js';
import { nowMs } from './stats.js';
import { WRITTEN_TABLES } from './workload.js';

const config = loadConfig();
const t0 = nowMs();
const log = (line: string) => console.log(`[${((nowMs() - t0) / 1000).toFixed(0).padStart(4)} s] ${line}`);
log(`bench: size ${config.size}, ${config.durable ? 'durable (fsync on)' : 'non-durable (fsync off)'}; levels ${config.levels.join(', ')}; ${config.deliveries} deliveries per concurrency ${config.concurrencies.join('/')}`);

const results: BenchResults = { config, levels: [] };

if (!config.skip.has('startup')) {
  log('start-up: npm start, fresh DATA_DIR then the same dir again');
  results.startup = await measureStartup();
  for (const s of results.startup) log(`  ${s.label}: healthy after ${(s.healthyMs / 1000).toFixed(2)} s`);
}

const database: BenchDatabase = await startBenchDatabase(config.durable);
results.machine = machineInfo(database.serverVersion);
results.postgresSettings = database.settings;
const seed = await seedDatabase(database.pool, config.workspaces);
if (!config.skip.has('real')) {
  log(`real path: Stripe and Lemon Squeezy over HTTP to the app in its own process, naive peer beside it, floor; ${config.real.deliveries} deliveries per point`);
  results.realPath = await runRealPath(database, seed.workspaces, config.real, log);
}
const server: AppServer = await startAppServer();
results.appPoolSize = APP_POOL_SIZE;

async function rowCounts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of WRITTEN_TABLES) out[table] = await count(database.pool, table);
  return out;
}

async function pipelineAndFloor(concurrency: number, withRowCheck: boolean): Promise<PipelineRow> {
  const before = withRowCheck ? await rowCounts() : undefined;
  const pipeline = await runPipeline(server, seed.workspaces, config.deliveries, concurrency);
  const middle = withRowCheck ? await rowCounts() : undefined;
  const floor = await runFloor(database.url, seed.workspaces, config.deliveries, concurrency);
  const after = withRowCheck ? await rowCounts() : undefined;
  log(
    `  c=${concurrency}: pipeline ${pipeline.perSecond.toFixed(0)} ev/s p99 ${pipeline.latency.p99.toFixed(1)} ms; floor ${floor.perSecond.toFixed(0)} ev/s p99 ${floor.latency.p99.toFixed(1)} ms; ratio ${(pipeline.perSecond / floor.perSecond).toFixed(2)}` +
      (pipeline.errors + floor.errors ? `; errors ${pipeline.errors}/${floor.errors}: ${pipeline.firstError ?? floor.firstError}` : ''),
  );
  if (before && middle && after) {
    results.rowsPerDelivery = WRITTEN_TABLES.map((table) => ({
      table,
      pipeline: (middle[table]! - before[table]!) / config.deliveries,
      floor: (after[table]! - middle[table]!) / config.deliveries,
    }));
  }
  return { concurrency, pipeline, floor };
}

try {
  const growth: GrowthState = { audit: 0, other: 0 };
  for (const [index, level] of config.levels.entries()) {
    const isFirst = index === 0;
    const isLast = index === config.levels.length - 1;
    log(`level ${level.toLocaleString('en-US')} audit events: loading`);
    const loaded = await growTo(database.pool, growth, level, Math.round(level * config.otherTablesRatio), config.workspaces, log);
    const level_: LevelResult = { level, auditRows: loaded.audit, otherRows: await count(database.pool, 'WebhookDelivery'), loadSeconds: loaded.seconds, pipeline: [], audit: [] };
    results.levels.push(level_);

    if (!config.skip.has('pipeline')) {
      if (isFirst) {
        log(`pipeline: warm-up (${config.warmup} deliveries each way)`);
        await runPipeline(server, seed.workspaces, config.warmup, 4);
        await runFloor(database.url, seed.workspaces, config.warmup, 4);
        results.statements = await pipelineStatements(database, server, seed.workspaces);
      }
      log(`pipeline and floor at ${level.toLocaleString('en-US')} audit events`);
      const concurrencies = isFirst ? config.concurrencies : [config.growthConcurrency];
      for (const c of concurrencies) level_.pipeline.push(await pipelineAndFloor(c, isFirst && c === config.growthConcurrency));
      if (isFirst) {
        log('pipeline breakdown at concurrency 1');
        results.breakdown = await pipelineBreakdown(server, database.url, seed.workspaces, Math.min(config.deliveries, 1_000));
        for (const b of results.breakdown) log(`  ${b.stage}: p50 ${b.latency.p50.toFixed(2)} ms, CPU ${b.cpuMs.toFixed(2)} ms`);
        results.roundTrips = await measureRoundTrips(database.url, seed.workspaces[0]!.id, Math.min(500, Math.max(100, config.deliveries)));
        for (const b of results.roundTrips) log(`  ${b.label}: p50 ${b.summary.p50.toFixed(3)} ms`);
      }
    }

    if (!config.skip.has('audit')) {
      log(`audit reads at ${level_.auditRows.toLocaleString('en-US')} audit events`);
      level_.audit = await measureAuditReads(seed, level_.auditRows, config.auditSamples, log);
      if (isLast) {
        results.auditHttp = await measureAuditOverHttp(server.port, seed, level_.auditRows, config.auditSamples);
        results.plans = await explainAuditReads(database, seed, level_.auditRows);
      }
    }
  }

  if (!config.skip.has('operations')) {
    log('operations: generateCheckoutSession against the Stripe emulator, getWorkspaceBilling');
    results.operations = await measureOperations(database, database.pool, server.port, config.operationSamples, log);
  }
} finally {
  await server.close();
  await database.close();
}

results.durationSeconds = (nowMs() - t0) / 1000;
const out = path.resolve(import.meta.dirname, '..', config.out);
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, renderReport(results));
console.log(`\n${renderConsoleSummary(results)}\nWrote ${path.relative(process.cwd(), out)} in ${results.durationSeconds.toFixed(0)} s.`);
