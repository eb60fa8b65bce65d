import type { WorkspaceRef } from '../../events.js';
import { WebhookPayloadError } from '../../webhookErrors.js';

/**
 * The workspace an event belongs to: our id from the checkout's custom data when Lemon Squeezy carries
 * it, plus the customer id the core falls back to. Never an email.
 */
export function workspaceRef(workspaceId: string | undefined, customerId: string | undefined, eventName: string): WorkspaceRef {
  if (!workspaceId && !customerId) {
    throw new WebhookPayloadError(`Lemon Squeezy ${eventName} names no workspace (meta.custom_data.workspace_id) and no customer: it cannot be applied`);
  }
  return { ...(workspaceId && { workspaceId }), ...(customerId && { customerId }) };
}
