import { createHash } from 'node:crypto';
import { z } from 'zod';
import { recordAudit } from '../../audit/recordAudit.js';
import { coreEnv } from '../../config/env.js';
import { db } from '../../db/client.js';
import type { Workspace } from '../../db/generated/client.js';
import { HttpError } from '../../server/HttpError.js';
import type { Operation } from '../../server/operationContext.js';
import { validateArgs } from '../../server/validateArgs.js';
import { requireWorkspaceRole } from '../../workspaces/access.js';
import { isEntitled } from '../entitlement.js';
import type { PaymentProcessor } from '../paymentProcessor.js';
import { getPlan, isPlanId } from '../plans.js';
import { callProcessor } from '../processorErrors.js';
import { paymentProcessor } from '../processors.js';
import { ensureSameProcessor } from './ensureSameProcessor.js';

const argsSchema = z.object({
  workspaceId: z.string().min(1),
  planId: z.string().refine(isPlanId, { error: (issue) => `unknown plan "${String(issue.input)}"` }),
});

/**
 * Owners buy subscriptions; any member may buy a credit pack for the workspace (credits are a shared
 * balance, so this lets a team top up without bothering the owner).
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
  const processor = paymentProcessor();
  ensureSameProcessor(workspace, processor);
  const customerId = await ensureCustomer(processor, workspace, user.email);
  const appUrl = coreEnv().APP_URL;
  const session = await callProcessor(processor.id, () =>
    processor.createCheckoutSession({
      workspace: { id: workspace.id, name: workspace.name },
      customerId,
      customerEmail: user.email,
      plan,
      processorPlanId: processor.planIds.toProcessor(plan.id),
      successUrl: `${appUrl}/checkout?status=success&workspaceId=${workspace.id}`,
      cancelUrl: `${appUrl}/checkout?status=canceled&workspaceId=${workspace.id}`,
      idempotencyKey: checkoutIdempotencyKey(workspace.id, plan.id, user.id),
    }),
  );
  await recordAudit(db(), {
    workspaceId: workspace.id,
    actor: { type: 'user', userId: user.id },
    action: 'checkout.created',
    target: session.sessionId,
    metadata: { planId: plan.id, processor: processor.id },
  });
  return session;
};

/** The processor's customer for this workspace: created once, stored before checkout, then reused. */
async function ensureCustomer(processor: PaymentProcessor, workspace: Workspace, email: string): Promise<string | null> {
  if (workspace.processorCustomerId || !processor.createCustomer) return workspace.processorCustomerId;
  const customerId = await callProcessor(processor.id, () =>
    processor.createCustomer!({ workspace: { id: workspace.id, name: workspace.name }, email }),
  );
  // A concurrent checkout may have stored one first; keep whichever landed.
  await db().workspace.updateMany({
    where: { id: workspace.id, processorCustomerId: null },
    data: { paymentProcessor: processor.id, processorCustomerId: customerId },
  });
  const stored = await db().workspace.findUniqueOrThrow({ where: { id: workspace.id }, select: { processorCustomerId: true } });
  return stored.processorCustomerId;
}

/** The same user asking for the same plan within a minute (a double click) gets the same session. */
function checkoutIdempotencyKey(workspaceId: string, planId: string, userId: string): string {
  const minute = Math.floor(Date.now() / 60_000);
  return createHash('sha256').update(`checkout:${workspaceId}:${planId}:${userId}:${minute}`).digest('hex').slice(0, 32);
}
