import { z } from 'zod';
import { db } from '../../db/client.js';
import { HttpError } from '../../server/HttpError.js';
import type { Operation } from '../../server/operationContext.js';
import { validateArgs } from '../../server/validateArgs.js';
import { requireSiteAdmin } from '../../workspaces/access.js';
import type { ReconcileOutcome } from '../engine/applyReconciliation.js';
import type { PaymentProcessor } from '../paymentProcessor.js';
import { activePaymentProcessors, workspaceProcessor } from '../processors.js';
import { findBilledWorkspace } from '../workspaceBilling.js';
import { reconcileEach, reconcileOne, reconcilingProcessor, type ReconcileSummary } from '../reconciliation/reconcile.js';

// Site admins repair what lost webhooks left behind: the processor's current state through the engine.

const oneSchema = z.object({ workspaceId: z.string().min(1) });

/** Reconciles one workspace with its processor; 409 for a workspace billed through one the app no longer runs. */
export const reconcileWorkspace: Operation<unknown, { workspaceId: string; outcome: ReconcileOutcome }> = async (rawArgs, context) => {
  const { workspaceId } = validateArgs(oneSchema, rawArgs);
  const user = requireSiteAdmin(context, 'reconcile billing');
  const workspace = await findBilledWorkspace(db(), workspaceId);
  if (!workspace) throw new HttpError(404, `Workspace ${workspaceId} not found`);
  const processor = canReconcile(workspaceProcessor(workspace));
  return { workspaceId, outcome: await reconcileOne(processor, workspaceId, { type: 'user', userId: user.id }) };
};

/** Reconciles every workspace of every processor the app runs (what `npm run billing:reconcile` does). */
export const reconcileWorkspaces: Operation<unknown, ReconcileSummary> = async (rawArgs, context) => {
  validateArgs(z.object({}).strict(), rawArgs);
  const user = requireSiteAdmin(context, 'reconcile billing');
  return reconcileEach(activePaymentProcessors().map(canReconcile), { type: 'user', userId: user.id });
};

function canReconcile(processor: PaymentProcessor) {
  const reconciling = reconcilingProcessor(processor);
  if (!reconciling) throw new HttpError(501, `The ${processor.id} processor cannot fetch a customer's state: its workspaces cannot be reconciled`);
  return reconciling;
}
