import { isPlanId } from '../plans.js';
import { WebhookPayloadError } from '../webhookErrors.js';

/*
 * Our ids travel as checkout custom data: Lemon Squeezy returns it as `meta.custom_data` on the order and
 * on every later event of the subscription that order started (and of its invoices).
 *
 * The keys are snake_case on purpose. @lemonsqueezy/lemonsqueezy.js 4 converts every camelCase key it
 * sends to snake_case, custom data included (lmsqueezy/lemonsqueezy.js#54): `custom: { workspaceId }`
 * reaches Lemon Squeezy, and comes back in webhooks, as `workspace_id`. Writing the keys as they travel
 * keeps what we send, what the API stores and what we read the same. Reading also accepts the camelCase
 * spelling, for custom data set without the SDK (a checkout link's `checkout[custom][workspaceId]=...`).
 */
export const CUSTOM_DATA_KEYS = { workspaceId: 'workspace_id', planId: 'plan_id' } as const;

export function ourCustomData(ids: { workspaceId: string; planId: string }): { workspace_id: string; plan_id: string } {
  return { [CUSTOM_DATA_KEYS.workspaceId]: ids.workspaceId, [CUSTOM_DATA_KEYS.planId]: ids.planId };
}

export interface OurCustomData {
  workspaceId?: string;
  /** Validated: one of our plans. */
  planId?: string;
}

/** Our ids from `meta.custom_data` (absent for a checkout this app did not create). */
export function readCustomData(custom: Record<string, unknown> | null | undefined, eventName: string): OurCustomData {
  const workspaceId = readString(custom, 'workspaceId', eventName);
  const planId = readString(custom, 'planId', eventName);
  if (planId !== undefined && !isPlanId(planId)) {
    throw new WebhookPayloadError(`Lemon Squeezy ${eventName} payload invalid: meta.custom_data.${CUSTOM_DATA_KEYS.planId}: unknown plan "${planId}"`);
  }
  return { ...(workspaceId !== undefined && { workspaceId }), ...(planId !== undefined && { planId }) };
}

function readString(custom: Record<string, unknown> | null | undefined, key: keyof typeof CUSTOM_DATA_KEYS, eventName: string): string | undefined {
  if (!custom) return undefined;
  const wireKey = CUSTOM_DATA_KEYS[key];
  const [path, value] = custom[wireKey] !== undefined ? [wireKey, custom[wireKey]] : [key, custom[key]];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new WebhookPayloadError(`Lemon Squeezy ${eventName} payload invalid: meta.custom_data.${path}: must be a string`);
  return value;
}
