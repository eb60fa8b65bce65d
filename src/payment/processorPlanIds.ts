import { z } from 'zod';
import { parseEnv } from '../config/parseEnv.js';
import { allPlans, getPlan, UnknownPlanError, type Plan } from './plans.js';

/** Maps our plan ids to the processor's (price / variant ids) and back, failing clearly on unknown ids. */
export interface ProcessorPlanIds {
  toProcessor(planId: string): string;
  toPlan(processorPlanId: string): Plan;
  /** toPlan, but undefined for a price that is not one of ours (e.g. a one-off invoice item). */
  findPlan(processorPlanId: string): Plan | undefined;
}

const planIdSchema = z.string().trim().regex(/^[A-Za-z0-9_\-:.]+$/, 'must be a processor plan id (letters, digits, _ - : .)');

/**
 * Reads every plan's `PAYMENTS_*_PLAN_ID`. `defaults` fills in ids a local emulator seeded, so a
 * processor in emulator mode needs no configuration; otherwise each variable is required.
 */
export function loadProcessorPlanIds(env: NodeJS.ProcessEnv, defaults: Partial<Record<string, string>> = {}): ProcessorPlanIds {
  const schema = z.object(
    Object.fromEntries(
      allPlans.map((plan) => {
        const fallback = defaults[plan.id];
        return [plan.processorPlanIdEnv, fallback === undefined ? planIdSchema : planIdSchema.default(fallback)];
      }),
    ),
  );
  const parsed = parseEnv(schema, env) as Record<string, string>;
  const byPlan = new Map(allPlans.map((plan) => [plan.id, parsed[plan.processorPlanIdEnv]!]));
  const duplicates = [...byPlan.values()].filter((id, index, ids) => ids.indexOf(id) !== index);
  if (duplicates.length > 0) throw new Error(`Two plans share the processor plan id ${duplicates[0]}: each PAYMENTS_*_PLAN_ID must differ`);
  const byProcessorId = new Map(allPlans.map((plan) => [byPlan.get(plan.id)!, plan]));

  return {
    toProcessor(planId) {
      return byPlan.get(getPlan(planId).id)!;
    },
    toPlan(processorPlanId) {
      const plan = byProcessorId.get(processorPlanId);
      if (!plan) throw new UnknownPlanError(`No plan has the processor plan id "${processorPlanId}" (check PAYMENTS_*_PLAN_ID)`);
      return plan;
    },
    findPlan(processorPlanId) {
      return byProcessorId.get(processorPlanId);
    },
  };
}
