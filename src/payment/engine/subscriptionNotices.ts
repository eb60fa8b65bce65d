import { recordAudit, type AuditActor } from '../../audit/recordAudit.js';
import type { Tx } from '../../db/client.js';
import { enqueueForWorkspaceOwners } from '../../email/outbox.js';
import { graceEndsAt } from '../entitlement.js';
import { isPlanId, plans } from '../plans.js';

/** The workspace a notice is about, as the engine holds it or the sweep read it. */
export interface NoticeTarget {
  id: string;
  name: string;
  subscriptionId: string | null;
  subscriptionPlan: string | null;
}

/** A stored plan's name; null for none, or one the catalog no longer has (the email says "subscription"). */
export function planNameOf(planId: string | null): string | null {
  return planId && isPlanId(planId) ? plans[planId].name : null;
}

// The trial and dunning steps: each an audit event plus an email to the owners, in the caller's
// transaction, written once - by the stored state's transition that makes it, or (trial ending, access
// ended: steps that come with time) by the billing sweep, after it claimed the step on the workspace row.

export async function noticeTrialEnding(tx: Tx, actor: AuditActor, w: NoticeTarget, trialEnd: Date): Promise<void> {
  await recordAudit(tx, { workspaceId: w.id, actor, action: 'subscription.trial_ending', target: w.subscriptionId, metadata: { trialEnd } });
  await enqueueForWorkspaceOwners(tx, w.id, 'trial_ending', { workspaceName: w.name, planName: planNameOf(w.subscriptionPlan), trialEnd: trialEnd.toISOString() });
}

export async function noticePastDue(tx: Tx, actor: AuditActor, w: NoticeTarget, pastDueSince: Date): Promise<void> {
  const accessUntil = graceEndsAt(pastDueSince);
  await recordAudit(tx, { workspaceId: w.id, actor, action: 'subscription.past_due', target: w.subscriptionId, metadata: { pastDueSince, accessUntil } });
  await enqueueForWorkspaceOwners(tx, w.id, 'subscription_past_due', { workspaceName: w.name, planName: planNameOf(w.subscriptionPlan), accessUntil: accessUntil.toISOString() });
}

export async function noticeAccessEnded(tx: Tx, actor: AuditActor, w: NoticeTarget, pastDueSince: Date): Promise<void> {
  await recordAudit(tx, { workspaceId: w.id, actor, action: 'subscription.access_ended', target: w.subscriptionId, metadata: { pastDueSince, reason: 'dunning grace period over' } });
  await enqueueForWorkspaceOwners(tx, w.id, 'subscription_access_ended', { workspaceName: w.name, planName: planNameOf(w.subscriptionPlan) });
}

export async function noticeRecovered(tx: Tx, actor: AuditActor, w: NoticeTarget, pastDue: { since: Date | null; accessHadEnded: boolean }): Promise<void> {
  await recordAudit(tx, { workspaceId: w.id, actor, action: 'subscription.recovered', target: w.subscriptionId, metadata: { pastDueSince: pastDue.since, accessHadEnded: pastDue.accessHadEnded } });
  await enqueueForWorkspaceOwners(tx, w.id, 'subscription_recovered', { workspaceName: w.name, planName: planNameOf(w.subscriptionPlan) });
}
