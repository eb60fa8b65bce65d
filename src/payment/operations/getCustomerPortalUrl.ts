import { z } from 'zod';
import { recordAudit } from '../../audit/recordAudit.js';
import { coreEnv } from '../../config/env.js';
import { db } from '../../db/client.js';
import { HttpError } from '../../server/HttpError.js';
import type { Operation } from '../../server/operationContext.js';
import { validateArgs } from '../../server/validateArgs.js';
import { requireWorkspaceRole } from '../../workspaces/access.js';
import { callProcessor } from '../processorErrors.js';
import { workspaceProcessor } from '../processors.js';

const argsSchema = z.object({ workspaceId: z.string().min(1) });

/** Owners only: the portal changes plans, payment methods and cancels. Fetched fresh on every click. */
export const getCustomerPortalUrl: Operation<unknown, { url: string }> = async (rawArgs, context) => {
  const { workspaceId } = validateArgs(argsSchema, rawArgs);
  const { user, workspace } = await requireWorkspaceRole(context, workspaceId, ['owner']);
  const processor = workspaceProcessor(workspace);
  if (!workspace.processorCustomerId) {
    throw new HttpError(409, 'This workspace has no billing account yet: buy a plan or credits first');
  }
  const customerId = workspace.processorCustomerId;
  const url = await callProcessor(processor.id, () =>
    processor.fetchCustomerPortalUrl({ customerId, returnUrl: `${coreEnv().APP_URL}/billing?workspaceId=${workspace.id}` }),
  );
  await recordAudit(db(), { workspaceId, actor: { type: 'user', userId: user.id }, action: 'portal.opened', target: customerId });
  return { url };
};
