import { z } from 'zod';
import { db } from '../../db/client.js';
import { HttpError } from '../../server/HttpError.js';
import type { Operation } from '../../server/operationContext.js';
import { validateArgs } from '../../server/validateArgs.js';
import { requireSiteAdmin } from '../../workspaces/access.js';
import type { ReconcileOutcome } from '../engine/applyReconciliation.js';
import { paymentProcessor } from '../processors.js';
import { reconcileAll, reconcileOne, reconcilingProcessor, type ReconcileSummary } from '../reconciliation/reconcile.js';

// Site admins repair what lost webhooks left behind: the processor's current state through the engine.

const oneSchema = z.object({ workspaceId: z.string().min(1) });

/** Reconciles one workspace with its processor; 409 for a workspace billed through another processor. */
export const reconcileWorkspace: Operation<unknown, { workspaceId: string; outcome: ReconcileOutcome }> = async (rawArgs, context) => {
  const { workspaceId } = validateArgs(oneSchema, rawArgs);
  const user = requireSiteAdmin(context, 'reconcile billing');
  const workspace = await db().workspace.findUnique({ where: { id: workspaceId } });
  if (!workspace) throw new HttpError(404, `Workspace ${workspaceId} not found`);
  const processor = activeReconcilingProcessor();
  if (workspace.paymentProcessor && workspace.paymentProcessor !== processor.id) {
    throw new HttpError(409, `Workspace ${workspaceId} is billed through ${workspace.paymentProcessor}, but the app now uses ${processor.id}: it cannot be reconciled here`);
  }
  return { workspaceId, outcome: await reconcileOne(processor, workspace, { type: 'user', userId: user.id }) };
};

/** Reconciles every workspace of the active processor (what `npm run billing:reconcile` does). */
export const reconcileWorkspaces: Operation<unknown, ReconcileSummary> = async (rawArgs, context) => {
  validateArgs(z.object({}).strict(), rawArgs);
  const user = requireSiteAdmin(context, 'reconcile billing');
  return reconcileAll(activeReconcilingProcessor(), { type: 'user', userId: user.id });
};

function activeReconcilingProcessor() {
  const processor = paymentProcessor();
  const reconciling = reconcilingProcessor(processor);
  if (!reconciling) throw new HttpError(501, `The ${processor.id} processor cannot fetch a customer's state: its workspaces cannot be reconciled`);
  return reconciling;
}
