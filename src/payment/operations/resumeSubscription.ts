import { z } from 'zod';
import { recordAudit } from '../../audit/recordAudit.js';
import { db } from '../../db/client.js';
import { HttpError } from '../../server/HttpError.js';
import type { Operation } from '../../server/operationContext.js';
import { validateArgs } from '../../server/validateArgs.js';
import { requireWorkspaceRole } from '../../workspaces/access.js';
import { callProcessor } from '../processorErrors.js';
import { processorFor, requireSubscription } from './subscriptionChangeGuards.js';

const argsSchema = z.object({ workspaceId: z.string().min(1) });

/** Owners undo a pending cancellation at period end; the state arrives by webhook. 409 when none is pending. */
export const resumeSubscription: Operation<unknown, { requested: true }> = async (rawArgs, context) => {
  const { workspaceId } = validateArgs(argsSchema, rawArgs);
  const { user, workspace } = await requireWorkspaceRole(context, workspaceId, ['owner']);
  const processor = processorFor(workspace, 'resumeSubscription', 'resume subscriptions');
  const subscriptionId = requireSubscription(workspace, 'live');
  if (!workspace.cancelAtPeriodEnd) {
    throw new HttpError(409, 'Nothing to resume: this subscription is not cancelled');
  }
  await callProcessor(processor.id, () => processor.resumeSubscription(subscriptionId));
  await recordAudit(db(), {
    workspaceId,
    actor: { type: 'user', userId: user.id },
    action: 'subscription.resume_requested',
    target: subscriptionId,
    metadata: { processor: processor.id },
  });
  return { requested: true };
};
