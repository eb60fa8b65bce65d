import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { parseEnv } from '../../config/parseEnv.js';
import { loadProcessorPlanIds, type ProcessorPlanIds } from '../processorPlanIds.js';

const fakeEnvSchema = z.object({
  // Unset: a random secret per process, shared by the driver and its in-process API; never one in the source.
  FAKE_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
});

/** The prices the emulator's account has; PAYMENTS_*_PLAN_ID(_FAKE) overrides them. */
const FAKE_PLAN_ID_DEFAULTS = { hobby: 'fake_price_hobby', pro: 'fake_price_pro', credits10: 'fake_price_credits10' };

export interface FakeConfig {
  webhookSecret: string;
  planIds: ProcessorPlanIds;
}

/** The fake's env, validated: every problem named at once (parseEnv), no value echoed. */
export function loadFakeConfig(env: NodeJS.ProcessEnv): FakeConfig {
  const { FAKE_WEBHOOK_SECRET } = parseEnv(fakeEnvSchema, env);
  return {
    webhookSecret: FAKE_WEBHOOK_SECRET ?? `fake_whsec_${randomBytes(18).toString('base64url')}`,
    planIds: loadProcessorPlanIds(env, FAKE_PLAN_ID_DEFAULTS),
  };
}

export function fakeProductionProblems(): string[] {
  return ['the fake processor moves no money: choose a real one in production'];
}
