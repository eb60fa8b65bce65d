import { db } from '../db/client.js';
import type { Owners } from './harness.js';
import { canonicalState, TEMPLATES, type History } from './histories.js';

/**
 * Checks each history's workspace against its canonical state: plan, status, subscription, credits ==
 * canonical and == the ledger sum, one ledger row per money id, payments, each owner's outbox emails per
 * template (members none), and every event id recorded as a processed delivery. Returns the violations.
 * `supersededMayBeMissing`: deliveries were reordered, so a superseded notice may rightly be unsent.
 */
export async function verifyHistories(histories: History[], workspaces: Owners[], options: { supersededMayBeMissing: boolean }): Promise<string[]> {
  const violations: string[] = [];
  const ids = workspaces.map((w) => w.workspaceId);
  const rows = new Map((await db().workspace.findMany({ where: { id: { in: ids } } })).map((w) => [w.id, w]));
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
  const eventIds = histories.flatMap((h) => h.events.map((e) => e.delivery.id));
  const unprocessed = await db().$queryRaw<{ eventId: string; status: string }[]>`
    SELECT "eventId", status::text FROM "WebhookDelivery" WHERE processor = 'fake' AND "eventId" = ANY(${eventIds}) AND status <> 'processed'`;
  // One array parameter: a large run has more event ids than a statement may have parameters.
  const [{ recorded }] = await db().$queryRaw<[{ recorded: number }]>`
    SELECT COUNT(*)::int AS recorded FROM "WebhookDelivery" WHERE processor = 'fake' AND "eventId" = ANY(${eventIds})`;
  if (recorded !== eventIds.length) violations.push(`lost events: ${eventIds.length - recorded} of ${eventIds.length} have no delivery row`);
  for (const u of unprocessed) violations.push(`delivery ${u.eventId} ended ${u.status}`);

  for (const [i, h] of histories.entries()) {
    const w = workspaces[i]!;
    const row = rows.get(w.workspaceId)!;
    const want = canonicalState(h);
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
