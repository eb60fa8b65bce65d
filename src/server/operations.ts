import { getAuditEvents } from '../audit/getAuditEvents.js';
import { cancelSubscription } from '../payment/operations/cancelSubscription.js';
import { changePlan } from '../payment/operations/changePlan.js';
import { listFailedDeliveries, replayDelivery, replayFailedDeliveries } from '../payment/operations/deliveryReplay.js';
import { generateCheckoutSession } from '../payment/operations/generateCheckoutSession.js';
import { getBillingStats } from '../payment/operations/getBillingStats.js';
import { getCustomerPortalUrl } from '../payment/operations/getCustomerPortalUrl.js';
import { getPaymentHistory } from '../payment/operations/getPaymentHistory.js';
import { getWorkspaceBilling } from '../payment/operations/getWorkspaceBilling.js';
import { reconcileWorkspace, reconcileWorkspaces } from '../payment/operations/reconcile.js';
import { refundPayment } from '../payment/operations/refundPayment.js';
import { resumeSubscription } from '../payment/operations/resumeSubscription.js';
import { spendCredits } from '../payment/operations/spendCredits.js';
import { addWorkspaceMember, createWorkspace, getMyWorkspaces, getWorkspaceMembers } from '../workspaces/operations.js';
import type { Operation } from './operationContext.js';

/** Every operation the server exposes at POST /operations/<name>; main.wasp declares the same ones. */
export const operations: Record<string, Operation<never, unknown>> = {
  generateCheckoutSession,
  getCustomerPortalUrl,
  getWorkspaceBilling,
  spendCredits,
  changePlan,
  cancelSubscription,
  resumeSubscription,
  getPaymentHistory,
  getBillingStats,
  refundPayment,
  listFailedDeliveries,
  replayDelivery,
  replayFailedDeliveries,
  reconcileWorkspace,
  reconcileWorkspaces,
  getAuditEvents,
  getMyWorkspaces,
  createWorkspace,
  addWorkspaceMember,
  getWorkspaceMembers,
};
