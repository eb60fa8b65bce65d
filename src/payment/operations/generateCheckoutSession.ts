import { createHash } from 'node:crypto';
import { z } from 'zod';
import { recordAudit } from '../../audit/recordAudit.js';
import { coreEnv } from '../../config/env.js';
import { db } from '../../db/client.js';
import { HttpError } from '../../server/HttpError.js';
import type { Operation } from '../../server/operationContext.js';
import { validateArgs } from '../../server/validateArgs.js';
import { requireWorkspaceRole } from '../../workspaces/access.js';
import { recordCustomer } from '../engine/intents.js';
import { isEntitled } from '../entitlement.js';
import type { PaymentProcessor } from '../paymentProcessor.js';
import { getPlan, isPlanId } from '../plans.js';
import { callProcessor } from '../processorErrors.js';
import { workspaceProcessor } from '../processors.js';
import { trialToOffer } from '../trial.js';
import { customerAt, type BilledWorkspace } from '../workspaceBilling.js';

const argsSchema = z.object({
  workspaceId: z.string().min(1),
  planId: z.string().refine(isPlanId, { error: (issue) => `unknown plan "${String(issue.input)}"` }),
});

/**
 * Owners buy subscriptions; any member may buy a credit pack for the workspace (credits are a shared
 * balance, so this lets a team top up without bothering the owner). A plan's free trial is asked for
 * only while the workspace has not had one (trial.ts).
 */
export const generateCheckoutSession: Operation<unknown, { sessionUrl: string; sessionId: string }> = async (rawArgs, context) => {
  const { workspaceId, planId } = validateArgs(argsSchema, rawArgs);
  const plan = getPlan(planId);
  const isSubscription = plan.effect.kind === 'subscription';
  const { user, workspace } = await requireWorkspaceRole(context, workspaceId, isSubscription ? ['owner'] : ['owner', 'admin', 'member']);
  if (isSubscription && isEntitled(workspace.subscriptionStatus)) {
    throw new HttpError(409, 'This workspace already has an active subscription: change or cancel it from the customer portal', {
      useCustomerPortal: true,
    });
  }
  const processor = workspaceProcessor(workspace);
  const customerId = await ensureCustomer(processor, workspace);
  const appUrl = coreEnv().APP_URL;
  const idempotencyKey = await checkoutIdempotencyKey(workspace.id, plan.id, user.id);
  const trialDays = trialToOffer(plan, workspace);
  const session = await callProcessor(processor.id, () =>
    processor.createCheckoutSession({
      workspace: { id: workspace.id, name: workspace.name },
      customerId,
      customerEmail: user.email,
      plan,
      processorPlanId: processor.planIds.toProcessor(plan.id),
      successUrl: `${appUrl}/checkout?status=success&workspaceId=${workspace.id}`,
      cancelUrl: `${appUrl}/checkout?status=canceled&workspaceId=${workspace.id}`,
      idempotencyKey,
      trialDays,
    }),
  );
  await recordAudit(db(), {
    workspaceId: workspace.id,
    actor: { type: 'user', userId: user.id },
    action: 'checkout.created',
    target: session.sessionId,
    metadata: { planId: plan.id, processor: processor.id, trialDays },
  });
  return session;
};

/** The workspace's customer at this processor: created once, stored before checkout, then reused. */
async function ensureCustomer(processor: PaymentProcessor, workspace: BilledWorkspace): Promise<string | null> {
  const existing = await customerAt(db(), workspace.id, processor.id);
  if (existing || !processor.createCustomer) return existing;
  // The first owner is the billing contact whoever clicks: the same request (and idempotency key) for every
  // caller, so another member's retry after a lost answer gets that customer instead of a key mismatch.
  const { user: contact } = await db().membership.findFirstOrThrow({
    where: { workspaceId: workspace.id, role: 'owner' },
    orderBy: [{ createdAt: 'asc' }, { userId: 'asc' }],
    select: { user: { select: { email: true } } },
    relationLoadStrategy: 'join',
  });
  const customerId = await callProcessor(processor.id, () =>
    processor.createCustomer!({ workspace: { id: workspace.id, name: workspace.name }, email: contact.email }),
  );
  return recordCustomer(db(), workspace.id, processor.id, customerId);
}

/**
 * The same user asking for the same plan gets the same key until a session has been handed out to them
 * (audited `checkout.created`): the SDK's retries and the user's retry after a failure - even minutes
 * later, after timeouts - are one request to the processor, so a session it created but whose answer was
 * lost is returned instead of made again (a time bucket split such a retry in two). A session handed out
 * in the last DOUBLE_CLICK_MS and not paid yet still counts as not handed out: a double click is one
 * session however fast the first click was answered, and a second purchase right after a paid one is new.
 */
async function checkoutIdempotencyKey(workspaceId: string, planId: string, userId: string): Promise<string> {
  const mine = { workspaceId, actorId: userId, action: 'checkout.created', metadata: { path: ['planId'], equals: planId } };
  const [handedOut, recent] = await Promise.all([
    db().auditEvent.count({ where: mine }),
    db().auditEvent.findMany({ where: { ...mine, createdAt: { gte: new Date(Date.now() - DOUBLE_CLICK_MS) } }, select: { target: true } }),
  ]);
  const sessions = recent.flatMap((a) => (a.target ? [a.target] : []));
  const paid = sessions.length === 0 ? 0 : await db().auditEvent.count({ where: { workspaceId, action: 'checkout.completed', target: { in: sessions } } });
  const stillOpen = recent.length - paid;
  return createHash('sha256').update(`checkout:${workspaceId}:${planId}:${userId}:${handedOut - stillOpen}`).digest('hex').slice(0, 32);
}

/** How close a click may follow a session handed out and still be the same click. */
const DOUBLE_CLICK_MS = 10_000;
