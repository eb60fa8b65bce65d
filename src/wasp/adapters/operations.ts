import type {
  AddWorkspaceMember,
  CancelSubscription,
  ChangePlan,
  CreateWorkspace,
  GenerateCheckoutSession,
  GetAuditEvents,
  GetBillingStats,
  GetCustomerPortalUrl,
  GetMyWorkspaces,
  GetPaymentHistory,
  GetWorkspaceBilling,
  GetWorkspaceMembers,
  ListFailedDeliveries,
  ReconcileWorkspace,
  ReconcileWorkspaces,
  RefundPayment,
  ReplayDelivery,
  ReplayFailedDeliveries,
  ResumeSubscription,
  SpendCredits,
} from 'wasp/server/operations';
import * as core from './coreOperations.js';
import { waspOperation } from './operation.js';

// Each operation the standalone server serves, wrapped; `satisfies` the type Wasp generates for the
// query or action main.wasp.ts declares: a missing declaration, or a result Wasp cannot serialize,
// fails `wasp compile`.
export const generateCheckoutSession = waspOperation(core.generateCheckoutSession) satisfies GenerateCheckoutSession;
export const getCustomerPortalUrl = waspOperation(core.getCustomerPortalUrl) satisfies GetCustomerPortalUrl;
export const getWorkspaceBilling = waspOperation(core.getWorkspaceBilling) satisfies GetWorkspaceBilling;
export const spendCredits = waspOperation(core.spendCredits) satisfies SpendCredits;
export const changePlan = waspOperation(core.changePlan) satisfies ChangePlan;
export const cancelSubscription = waspOperation(core.cancelSubscription) satisfies CancelSubscription;
export const resumeSubscription = waspOperation(core.resumeSubscription) satisfies ResumeSubscription;
export const getPaymentHistory = waspOperation(core.getPaymentHistory) satisfies GetPaymentHistory;
export const getBillingStats = waspOperation(core.getBillingStats) satisfies GetBillingStats;
export const refundPayment = waspOperation(core.refundPayment) satisfies RefundPayment;
export const listFailedDeliveries = waspOperation(core.listFailedDeliveries) satisfies ListFailedDeliveries;
export const replayDelivery = waspOperation(core.replayDelivery) satisfies ReplayDelivery;
export const replayFailedDeliveries = waspOperation(core.replayFailedDeliveries) satisfies ReplayFailedDeliveries;
export const reconcileWorkspace = waspOperation(core.reconcileWorkspace) satisfies ReconcileWorkspace;
export const reconcileWorkspaces = waspOperation(core.reconcileWorkspaces) satisfies ReconcileWorkspaces;
export const getAuditEvents = waspOperation(core.getAuditEvents) satisfies GetAuditEvents;
export const getMyWorkspaces = waspOperation(core.getMyWorkspaces) satisfies GetMyWorkspaces;
export const createWorkspace = waspOperation(core.createWorkspace) satisfies CreateWorkspace;
export const addWorkspaceMember = waspOperation(core.addWorkspaceMember) satisfies AddWorkspaceMember;
export const getWorkspaceMembers = waspOperation(core.getWorkspaceMembers) satisfies GetWorkspaceMembers;
