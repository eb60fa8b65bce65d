import { z } from 'zod';
import { recordAudit } from '../../audit/recordAudit.js';
import { db } from '../../db/client.js';
import { HttpError } from '../../server/HttpError.js';
import type { Operation } from '../../server/operationContext.js';
import { validateArgs } from '../../server/validateArgs.js';
import { requireWorkspaceRole } from '../../workspaces/access.js';
import { callProcessor } from '../processorErrors.js';
import { processorFor, requireSubscription } from './subscriptionChangeGuards.js';

const argsSchema = z.object({
  workspaceId: z.string().min(1),
  /** true (the default): access continues until the period ends, then no renewal. false: ends now. */
  atPeriodEnd: z.boolean().default(true),
});

/**
 * Owners cancel the workspace's subscription. The state (cancelAtPeriodEnd, or canceled) and the owners'
 * email arrive by webhook through the engine. A cancellation already pending is a 409 and asks nothing
 * of the processor, so a second click changes nothing.
 */
export const cancelSubscription: Operation<unknown, { requested: true }> = async (rawArgs, context) => {
  const { workspaceId, atPeriodEnd } = validateArgs(argsSchema, rawArgs);
  const { user, workspace } = await requireWorkspaceRole(context, workspaceId, ['owner']);
  const processor = processorFor(workspace, 'cancelSubscription', 'cancel subscriptions');
  const subscriptionId = requireSubscription(workspace, 'live');
  if (atPeriodEnd && workspace.cancelAtPeriodEnd) {
    const until = workspace.currentPeriodEnd ? ` on ${workspace.currentPeriodEnd.toISOString()}` : '';
    throw new HttpError(409, `This subscription is already cancelled: it ends at the end of its period${until} (resumeSubscription undoes that)`);
  }
  await callProcessor(processor.id, () => processor.cancelSubscription(subscriptionId, { atPeriodEnd }));
  await recordAudit(db(), {
    workspaceId,
    actor: { type: 'user', userId: user.id },
    action: 'subscription.cancel_requested',
    target: subscriptionId,
    metadata: { atPeriodEnd, processor: processor.id },
  });
  return { requested: true };
};
