import type { FakeEvent } from '../emulator/webhooks.js';

/** A charge.paid as the fake's API sends it, for tests that post a delivery themselves. */
export function fakeChargePaid(o: { workspaceId: string; chargeId: string; price: string; amount: number; customer?: string }): FakeEvent {
  const now = Date.now();
  return {
    id: `fevt_${o.chargeId}`,
    type: 'charge.paid',
    created: now,
    data: {
      object: {
        id: o.chargeId,
        customer: o.customer ?? `fcus_${o.workspaceId}`,
        price: o.price,
        subscription: null,
        amount: o.amount,
        currency: 'usd',
        amount_refunded: 0,
        failure_reason: null,
        attempted_at: now,
        refunded_at: null,
        metadata: { workspace_ref: o.workspaceId },
      },
    },
  };
}
