import { z } from 'zod';
import { HttpError } from '../../server/HttpError.js';
import type { Operation } from '../../server/operationContext.js';
import { validateArgs } from '../../server/validateArgs.js';
import { requireUser } from '../../workspaces/access.js';
import { computeBillingStats, type BillingStats } from '../billingStats.js';

const argsSchema = z.object({}).strict();

/** Site admins only: MRR by plan and currency, paying workspaces, credits sold and outstanding. */
export const getBillingStats: Operation<unknown, BillingStats> = async (rawArgs, context) => {
  validateArgs(argsSchema, rawArgs);
  const user = requireUser(context);
  if (!user.isAdmin) throw new HttpError(403, 'Only site admins can read billing stats');
  return computeBillingStats();
};
