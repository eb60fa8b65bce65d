import { billedWorkspace, BILLING_RECORDS } from '../payment/workspaceBilling.js';
import { db } from '../db/client.js';
import type { Owners } from './harness.js';
import { canonicalState, TEMPLATES, type History } from './histories.js';
import type { NoEffect } from './wire.js';

/** How the histories went over the wire; the fake processor's (its event ids are the histories') by default. */
export interface WireExpectations {
  processor: string;
  /** The delivery id of every one of the histories' own deliveries: each must end processed. */
  eventIds: string[];
  /** The processor's id of a history's subscription. */
  subscriptionIdOf(historySubscriptionId: string | null): string | null;
  /** Traffic that is not a history's: recorded as expected, and no trace in any workspace. */
  noEffect: (NoEffect & { eventId: string })[];
}

/**
 * Checks each history's workspace against its canonical state: plan, status, subscription, credits ==
 * canonical and == the ledger sum, one ledger row per money id, payments, each owner's outbox emails per
 * template (members none), every event id recorded as a processed delivery, and traffic that is not
 * ours recorded and without effect. Returns the violations.
 * `supersededMayBeMissing`: deliveries were reordered, so a superseded notice may rightly be unsent.
 */
export async function verifyHistories(histories: History[], workspaces: Owners[], options: { supersededMayBeMissing: boolean; wire?: WireExpectations }): Promise<string[]> {
  const wire = options.wire ?? { processor: 'fake', eventIds: histories.flatMap((h) => h.events.map((e) => e.delivery.id)), subscriptionIdOf: (id) => id, noEffect: [] };
  const violations: string[] = [];
  const ids = workspaces.map((w) => w.workspaceId);
  const rows = new Map((await db().workspace.findMany({ where: { id: { in: ids } }, include: BILLING_RECORDS })).map((w) => [w.id, billedWorkspace(w)]));
  const ledger = new Map(
    (await db().$queryRaw<{ workspaceId: string; sum: bigint; n: bigint; distinct: bigint }[]>`
      SELECT "workspaceId", SUM(amount) AS sum, COUNT(*) AS n, COUNT(DISTINCT "moneyId") AS distinct
      FROM "CreditLedger" WHERE "workspaceId" = ANY(${ids}) GROUP BY "workspaceId"`).map((r) => [r.workspaceId, r]),
  );
  const payments = new Map(
    (await db().$queryRaw<{ workspaceId: string; n: bigint }[]>`
      SELECT "workspaceId", COUNT(*) AS n FROM "Payment" WHERE "workspaceId" = ANY(${ids}) GROUP BY "workspaceId"`).map((r) => [r.workspaceId, Number(r.n)]),
  );
  const recipients = workspaces.flatMap((w) => [...w.owners, w.member]);
  const emails = new Map<string, number>();
  for (const r of await db().$queryRaw<{ recipient: string; template: string; n: bigint }[]>`
    SELECT recipient, template, COUNT(*) AS n FROM "EmailOutbox" WHERE recipient = ANY(${recipients}) GROUP BY recipient, template`) {
    emails.set(`${r.recipient} ${r.template}`, Number(r.n));
  }
  const { eventIds, processor } = wire;
  const unprocessed = await db().$queryRaw<{ eventId: string; status: string; lastError: string | null }[]>`
    SELECT "eventId", status::text, "lastError" FROM "WebhookDelivery" WHERE processor = ${processor} AND "eventId" = ANY(${eventIds}) AND status <> 'processed'`;
  // One array parameter: a large run has more event ids than a statement may have parameters.
  const [{ recorded }] = await db().$queryRaw<[{ recorded: number }]>`
    SELECT COUNT(*)::int AS recorded FROM "WebhookDelivery" WHERE processor = ${processor} AND "eventId" = ANY(${eventIds})`;
  if (recorded !== eventIds.length) violations.push(`lost events: ${eventIds.length - recorded} of ${eventIds.length} have no delivery row`);
  for (const u of unprocessed) violations.push(`delivery ${u.eventId} ended ${u.status}${u.lastError ? `: ${u.lastError}` : ''}`);
  violations.push(...(await verifyNoEffect(processor, wire.noEffect)));

  for (const [i, h] of histories.entries()) {
    const w = workspaces[i]!;
    const row = rows.get(w.workspaceId)!;
    const canonical = canonicalState(h);
    const want = { ...canonical, subscriptionId: wire.subscriptionIdOf(canonical.subscriptionId) };
    const got = {
      plan: row.subscriptionPlan,
      status: row.subscriptionStatus,
      subscriptionId: row.subscriptionId,
      cancelAtPeriodEnd: row.cancelAtPeriodEnd,
      credits: row.credits,
      payments: payments.get(w.workspaceId) ?? 0,
    };
    const problems: string[] = [];
    for (const key of Object.keys(got) as (keyof typeof got)[]) {
      if (got[key] !== want[key]) problems.push(`${key} ${JSON.stringify(got[key])} != canonical ${JSON.stringify(want[key])}`);
    }
    const l = ledger.get(w.workspaceId);
    if (Number(l?.sum ?? 0) !== row.credits) problems.push(`credits ${row.credits} != ledger sum ${l?.sum ?? 0}`);
    if (l && l.n !== l.distinct) problems.push(`double grant: ${l.n} ledger rows for ${l.distinct} money ids`);
    for (const owner of w.owners) {
      for (const t of TEMPLATES) {
        const n = emails.get(`${owner} ${t}`) ?? 0;
        // With deliveries reordered, a superseded notice (a failure whose recovery arrived first, a
        // cancellation already undone or ended, the receipt of a pack whose full refund arrived first)
        // is by design not sent: at most canonical, never more.
        const supersedable = options.supersededMayBeMissing && (t === 'payment_failed' || t === 'subscription_cancelled' || t === 'credits_purchased');
        if (supersedable ? n > want.emails[t] : n !== want.emails[t]) problems.push(`${t} emails to an owner: ${n} != canonical ${want.emails[t]}`);
      }
    }
    for (const t of TEMPLATES) if (emails.get(`${w.member} ${t}`)) problems.push(`member got ${t}`);
    if (problems.length) violations.push(`history ${h.index} (seed ${h.seed}, steps ${h.steps.join(' ')}): ${problems.join('; ')}`);
  }
  return violations;
}

/** Not ours: recorded with an expected status, and neither its money nor its subscription in any workspace. */
async function verifyNoEffect(processor: string, expected: WireExpectations['noEffect']): Promise<string[]> {
  if (expected.length === 0) return [];
  const violations: string[] = [];
  const statuses = new Map(
    (await db().$queryRaw<{ eventId: string; status: string; lastError: string | null }[]>`
      SELECT "eventId", status::text, "lastError" FROM "WebhookDelivery" WHERE processor = ${processor} AND "eventId" = ANY(${expected.map((e) => e.eventId)})`).map((r) => [r.eventId, r]),
  );
  for (const e of expected) {
    const row = statuses.get(e.eventId);
    if (!row) violations.push(`${e.trafficClass} delivery ${e.eventId} has no delivery row`);
    else if (!e.recordedAs.includes(row.status)) violations.push(`${e.trafficClass} delivery ${e.eventId} recorded ${row.status} (expected ${e.recordedAs.join(' or ')})${row.lastError ? `: ${row.lastError}` : ''}`);
  }
  const moneyIds = [...new Set(expected.flatMap((e) => e.moneyIds))];
  const subscriptionIds = [...new Set(expected.flatMap((e) => e.subscriptionIds))];
  const [traces] = await db().$queryRaw<[{ payments: number; ledger: number; workspaces: number }]>`
    SELECT (SELECT COUNT(*)::int FROM "Payment" WHERE "moneyId" = ANY(${moneyIds})) AS payments,
           (SELECT COUNT(*)::int FROM "CreditLedger" WHERE "moneyId" = ANY(${moneyIds})) AS ledger,
           (SELECT COUNT(*)::int FROM "Subscription" WHERE "subscriptionId" = ANY(${subscriptionIds})) AS workspaces`;
  if (traces.payments > 0) violations.push(`traffic not ours made ${traces.payments} payment rows`);
  if (traces.ledger > 0) violations.push(`traffic not ours made ${traces.ledger} credit ledger rows`);
  if (traces.workspaces > 0) violations.push(`traffic not ours set the subscription of ${traces.workspaces} workspaces`);
  return violations;
}
