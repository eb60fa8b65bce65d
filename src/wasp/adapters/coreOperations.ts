// The functions src/server/operations.ts registers for the standalone server, by name
// (src/wasp/waspSpec.test.ts checks the two lists are the same).
export { getAuditEvents } from '../../audit/getAuditEvents.js';
export { cancelSubscription } from '../../payment/operations/cancelSubscription.js';
export { changePlan } from '../../payment/operations/changePlan.js';
export { listFailedDeliveries, replayDelivery, replayFailedDeliveries } from '../../payment/operations/deliveryReplay.js';
export { generateCheckoutSession } from '../../payment/operations/generateCheckoutSession.js';
export { getBillingStats } from '../../payment/operations/getBillingStats.js';
export { getCustomerPortalUrl } from '../../payment/operations/getCustomerPortalUrl.js';
export { getPaymentHistory } from '../../payment/operations/getPaymentHistory.js';
export { getWorkspaceBilling } from '../../payment/operations/getWorkspaceBilling.js';
export { reconcileWorkspace, reconcileWorkspaces } from '../../payment/operations/reconcile.js';
export { refundPayment } from '../../payment/operations/refundPayment.js';
export { resumeSubscription } from '../../payment/operations/resumeSubscription.js';
export { spendCredits } from '../../payment/operations/spendCredits.js';
export { addWorkspaceMember, createWorkspace, getMyWorkspaces, getWorkspaceMembers } from '../../workspaces/operations.js';
