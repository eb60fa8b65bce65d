import type { WorkspaceRef } from '../../events.js';
import { WebhookPayloadError } from '../../webhookErrors.js';

/**
 * The workspace an event belongs to: our id from metadata (or client_reference_id) when Stripe carries
 * it, plus the customer id the core falls back to. Never an email.
 */
export function workspaceRef(workspaceId: string | null | undefined, customerId: string | null | undefined, what: string): WorkspaceRef {
  if (!workspaceId && !customerId) {
    throw new WebhookPayloadError(`Stripe ${what} names no workspace (metadata.workspaceId) and no customer: it cannot be applied`);
  }
  return { ...(workspaceId && { workspaceId }), ...(customerId && { customerId }) };
}
