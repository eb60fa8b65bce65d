import type { WorkspaceRef } from '../../events.js';
import type { ProcessorPlanIds } from '../../processorPlanIds.js';
import { WebhookPayloadError } from '../../webhookErrors.js';

/** What every mapper gets besides its parsed object: the event's time and our plan ids. */
export interface MapContext {
  created: Date;
  planIds: ProcessorPlanIds;
}

/** The workspace an object is about: our id from metadata, its customer as the fallback (never an email). */
export function workspaceRefOf(object: { customer: string; metadata: { workspace_ref?: string } }): WorkspaceRef {
  const ref: WorkspaceRef = { customerId: object.customer };
  if (object.metadata.workspace_ref !== undefined) ref.workspaceId = object.metadata.workspace_ref;
  return ref;
}

/** Our plan id for a price a subscription or checkout is on: one of ours, or the payload is unreadable. */
export function planOfPrice(price: string, planIds: ProcessorPlanIds): string {
  const plan = planIds.findPlan(price);
  if (!plan) throw new WebhookPayloadError(`price ${price} is not one of our plans (PAYMENTS_*_PLAN_ID)`);
  return plan.id;
}
