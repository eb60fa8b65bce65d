import { db } from '../db/client.js';
import { createWorkspaces, pool, postWebhook, type ServerProcesses } from './harness.js';
import { generateHistory, historySeed, int, prng, shuffle, type Rng } from './histories.js';
import type { TrafficClasses } from './trafficClasses.js';
import { verifyHistories } from './verifyHistories.js';
import type { WireDelivery, WireEncoder, WireHistory } from './wire.js';

export type ChaosMode = 'ordered sends, late retries' | 'full shuffle';

export interface ChaosFigures {
  mode: ChaosMode;
  processor: string;
  seed: number;
  histories: number;
  processes: number;
  classes: string[];
  events: number;
  deliveries: number;
  duplicates: number;
  twins: number;
  /** Deliveries of traffic that is not a history's own (foreign, unknown types). */
  noEffect: number;
  /** How that traffic was recorded: status -> deliveries. */
  noEffectRecorded: Record<string, number>;
  reorderings: number;
  /** Deliveries answered 503 (the processor's API was needed and did not answer in time), sent again as the processor would. */
  retriedUnavailable: number;
  violations: string[];
  /** The end of the servers' output when there are violations (their logged errors say why a delivery failed). */
  serverLog?: string;
  ms: number;
}

interface Planned {
  delivery: WireDelivery;
  /** Position of the wire event in its history's time order. */
  rank: number;
  kind: 'original' | 'duplicate' | 'twin';
}

/** Every delivery of a history: each wire event, its duplicates (same bytes, ×1–5 in all) and maybe its twin (the same fact under another delivery id). */
function plan(wire: WireHistory, rng: Rng): Planned[][] {
  return wire.events.map((event, rank) => {
    const copies: Planned[] = [{ delivery: event.delivery, rank, kind: 'original' }];
    for (let i = int(rng, 1, 5); i > 1; i--) copies.push({ delivery: event.delivery, rank, kind: 'duplicate' });
    if (rng() < 0.35) copies.push({ delivery: event.twin(), rank, kind: 'twin' });
    return copies;
  });
}

export interface ChaosRun {
  mode: ChaosMode;
  seed: number;
  histories: number;
  concurrency: number;
  servers: ServerProcesses;
  encoder: WireEncoder;
  classes: TrafficClasses;
}

const UNAVAILABLE_RETRIES = 5;

/**
 * Seeded histories, encoded as the processor sends them, delivered through the real HTTP webhook route
 * of several server processes on one PostgreSQL, with duplicates, twins, reordering and concurrency;
 * then every workspace checked against its history's canonical state (verifyHistories.ts).
 */
export async function runChaos({ mode, seed, histories: count, concurrency, servers, encoder, classes }: ChaosRun): Promise<ChaosFigures> {
  const started = Date.now();
  const rng = prng(seed ^ (mode === 'full shuffle' ? 0x5eed : 0));
  const workspaces = await createWorkspaces(count, (i) => 1 + (historySeed(seed, i) % 2));
  const histories = workspaces.map((w, i) => generateHistory(i, historySeed(seed, i), w.workspaceId));
  const wires = histories.map((h) => encoder.encode(h, rng, classes));
  const figures: ChaosFigures = {
    mode,
    processor: encoder.processor,
    seed,
    histories: count,
    processes: servers.urls.length,
    classes: [...classes],
    events: 0,
    deliveries: 0,
    duplicates: 0,
    twins: 0,
    noEffect: 0,
    noEffectRecorded: {},
    reorderings: 0,
    retriedUnavailable: 0,
    violations: [],
    ms: 0,
  };
  const send = async (index: number, p: Planned) => {
    const url = servers.urls[Math.floor(rng() * servers.urls.length)]!;
    figures.deliveries++;
    let res = await postWebhook(url, p.delivery.body, p.delivery.headers);
    // A 503 says "retry": the processor does (Stripe for three days), so the harness does too, a few times.
    for (let attempt = 1; res.status === 503 && attempt <= UNAVAILABLE_RETRIES; attempt++) {
      figures.retriedUnavailable++;
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
      res = await postWebhook(url, p.delivery.body, p.delivery.headers);
    }
    if (res.status !== 200) figures.violations.push(`history ${index}: ${p.delivery.type} ${p.delivery.eventId} answered ${res.status} ${res.body}`);
  };

  await pool(wires, concurrency, async (wire) => {
    const index = wire.history.index;
    const planned = plan(wire, rng);
    figures.events += wire.history.events.length;
    figures.noEffect += wire.events.filter((e) => e.noEffect).length;
    for (const copies of planned) for (const p of copies) if (p.kind !== 'original') figures[p.kind === 'duplicate' ? 'duplicates' : 'twins']++;
    if (mode === 'full shuffle') {
      // Timestamps carry the order; deliveries arrive in a random one, up to 3 at once per workspace
      // (an end before, between or after the states of its subscription; a refund before or after its
      // payment). No causal gate: D1 and D2 were fixed at the root.
      const ordered = shuffle(rng, planned.flat());
      let maxRank = -1;
      for (const p of ordered) {
        if (p.rank < maxRank) figures.reorderings++;
        maxRank = Math.max(maxRank, p.rank);
      }
      await pool(ordered, 3, (p) => send(index, p));
    } else {
      // The processor sends in order (each first copy answered before the next event); its retries
      // (duplicates and twins) arrive concurrently with the original or late, after newer events.
      const late: Planned[] = [];
      for (const [original, ...retries] of planned) {
        const now: Planned[] = [original!];
        for (const r of retries) (rng() < 0.5 ? now : late).push(r);
        const releasing = late.filter(() => rng() < 0.3);
        for (const r of releasing) late.splice(late.indexOf(r), 1);
        figures.reorderings += releasing.filter((r) => r.rank < original!.rank).length;
        await Promise.all([...now, ...releasing].map((p) => send(index, p)));
      }
      figures.reorderings += late.filter((r) => r.rank < wire.events.length - 1).length;
      await Promise.all(shuffle(rng, late).map((p) => send(index, p)));
    }
  });

  const noEffect = wires.flatMap((w) => w.events.flatMap((e) => (e.noEffect ? [{ ...e.noEffect, eventId: e.delivery.eventId }] : [])));
  const eventIds = wires.flatMap((w) => w.events.filter((e) => !e.noEffect).map((e) => e.delivery.eventId));
  figures.violations.push(
    ...(await verifyHistories(histories, workspaces, { supersededMayBeMissing: mode === 'full shuffle', wire: { processor: encoder.processor, eventIds, subscriptionIdOf: encoder.subscriptionIdOf, noEffect } })),
  );
  if (figures.violations.length) figures.serverLog = servers.output().split('\n').filter((line) => !line.includes('listening on')).slice(-20).join('\n');
  figures.noEffectRecorded = await recordedStatuses(encoder.processor, noEffect.map((e) => e.eventId));
  figures.ms = Date.now() - started;
  return figures;
}

async function recordedStatuses(processor: string, eventIds: string[]): Promise<Record<string, number>> {
  const rows = await db().$queryRaw<{ status: string; n: number }[]>`
    SELECT status::text, COUNT(*)::int AS n FROM "WebhookDelivery" WHERE processor = ${processor} AND "eventId" = ANY(${eventIds}) GROUP BY status ORDER BY status`;
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** Prints the run's figures; throws with the seed and the first violations if there are any. */
export function report(f: ChaosFigures): void {
  const line =
    `[chaos] ${f.processor}, ${f.mode}: seed ${f.seed}, ${f.histories} histories, ${f.events} events, ${f.deliveries} deliveries ` +
    `(${f.duplicates} duplicates, ${f.twins} same-money/state twins, ${f.reorderings} reordered), ` +
    `${f.noEffect} not ours [${f.classes.join(', ') || 'no classes'}] recorded ${JSON.stringify(f.noEffectRecorded)}, ` +
    `${f.processes} server processes, ${f.retriedUnavailable} answered 503 and were sent again, ${f.violations.length} violations, ${f.ms} ms`;
  console.log(line);
  if (f.violations.length) {
    throw new Error(`${line}\nReproduce with CHAOS_SEED=${f.seed} CHAOS_HISTORIES=${f.histories} CHAOS_PROCESSOR=${f.processor} CHAOS_CLASSES=${f.classes.join(',') || 'none'}\n${f.violations.slice(0, 20).join('\n')}\nServer output:\n${f.serverLog ?? ''}`);
  }
}
