// The plugin's part of a Wasp spec (Wasp 0.24+): main.wasp.ts puts it in its `spec`, and so does a Wasp
// app that installs the plugin (docs/WASP-OPEN-SAAS.md). Every reference goes to the pages or to a thin
// adapter in ./adapters; after a change here, run `npm run wasp:spec` (main.wasp, the DSL, follows it).
import { action, api, page, query, route } from "@wasp.sh/spec";
import { AuditLogPage } from "../client/pages/AuditLogPage" with { type: "ref" };
import { BillingPage } from "../client/pages/BillingPage" with { type: "ref" };
import { CheckoutResultPage } from "../client/pages/CheckoutResultPage" with { type: "ref" };
import { DeliveriesPage } from "../client/pages/DeliveriesPage" with { type: "ref" };
import { EmailsPage } from "../client/pages/EmailsPage" with { type: "ref" };
import { MembersPage } from "../client/pages/MembersPage" with { type: "ref" };
import { PricingPage } from "../client/pages/PricingPage" with { type: "ref" };
import {
  addWorkspaceMember,
  cancelSubscription,
  changePlan,
  createWorkspace,
  generateCheckoutSession,
  getAuditEvents,
  getBillingStats,
  getCustomerPortalUrl,
  getMyWorkspaces,
  getPaymentHistory,
  getWorkspaceBilling,
  getWorkspaceMembers,
  listFailedDeliveries,
  reconcileWorkspace,
  reconcileWorkspaces,
  refundPayment,
  replayDelivery,
  replayFailedDeliveries,
  resumeSubscription,
  spendCredits,
} from "./adapters/operations" with { type: "ref" };
import { paymentsMiddlewareConfigFn, paymentsWebhook, processorPaymentsWebhook } from "./adapters/webhook" with { type: "ref" };

/** Pricing, checkout result, billing, members, the audit log, failed deliveries and the local email inbox. */
export const billingPages = [
  route("PricingRoute", "/pricing", page(PricingPage)),
  route("CheckoutResultRoute", "/checkout", page(CheckoutResultPage, { authRequired: true })),
  route("BillingRoute", "/billing", page(BillingPage, { authRequired: true })),
  route("AuditLogRoute", "/admin/audit", page(AuditLogPage, { authRequired: true })),
  route("DeliveriesRoute", "/admin/deliveries", page(DeliveriesPage, { authRequired: true })),
  route("EmailsRoute", "/emails", page(EmailsPage)),
  route("MembersRoute", "/members", page(MembersPage, { authRequired: true })),
];

/** Every operation the standalone server serves, and the processors' webhook. */
export const billingOperations = [
  action(generateCheckoutSession, { entities: ["User", "Workspace", "Customer", "Subscription", "Membership", "AuditEvent"] }),
  query(getCustomerPortalUrl, { entities: ["User", "Workspace", "Customer", "Subscription", "Membership", "AuditEvent"] }),
  query(getWorkspaceBilling, { entities: ["Workspace", "Customer", "Subscription", "Membership"] }),
  action(spendCredits, { entities: ["Workspace", "Customer", "Subscription", "Membership", "CreditLedger", "AuditEvent"] }),
  action(changePlan, { entities: ["Workspace", "Customer", "Subscription", "Membership", "AuditEvent"] }),
  action(cancelSubscription, { entities: ["Workspace", "Customer", "Subscription", "Membership", "AuditEvent"] }),
  action(resumeSubscription, { entities: ["Workspace", "Customer", "Subscription", "Membership", "AuditEvent"] }),
  query(getPaymentHistory, { entities: ["Workspace", "Customer", "Subscription", "Membership", "Payment"] }),
  query(getBillingStats, { entities: ["Workspace", "Customer", "Subscription", "CreditLedger"] }),
  action(refundPayment, { entities: ["Payment", "AuditEvent"] }),
  query(listFailedDeliveries, { entities: ["WebhookDelivery"] }),
  action(replayDelivery, { entities: ["WebhookDelivery", "Workspace", "Customer", "Subscription", "Payment", "CreditLedger", "AuditEvent", "EmailOutbox"] }),
  action(replayFailedDeliveries, { entities: ["WebhookDelivery", "Workspace", "Customer", "Subscription", "Payment", "CreditLedger", "AuditEvent", "EmailOutbox"] }),
  action(reconcileWorkspace, { entities: ["Workspace", "Customer", "Subscription", "Payment", "CreditLedger", "WebhookDelivery", "AuditEvent", "EmailOutbox"] }),
  action(reconcileWorkspaces, { entities: ["Workspace", "Customer", "Subscription", "Payment", "CreditLedger", "WebhookDelivery", "AuditEvent", "EmailOutbox"] }),
  api("POST", "/payments-webhook", paymentsWebhook, {
    middlewareConfigFn: paymentsMiddlewareConfigFn,
    entities: ["Workspace", "Customer", "Subscription", "Payment", "CreditLedger", "WebhookDelivery", "AuditEvent", "EmailOutbox"],
    auth: false,
  }),
  api("POST", "/payments-webhook/:processorId", processorPaymentsWebhook, {
    middlewareConfigFn: paymentsMiddlewareConfigFn,
    entities: ["Workspace", "Customer", "Subscription", "Payment", "CreditLedger", "WebhookDelivery", "AuditEvent", "EmailOutbox"],
    auth: false,
  }),

  query(getAuditEvents, { entities: ["AuditEvent", "Membership"] }),

  query(getMyWorkspaces, { entities: ["Workspace", "Membership"] }),
  action(createWorkspace, { entities: ["Workspace", "Membership", "AuditEvent"] }),
  action(addWorkspaceMember, { entities: ["User", "Workspace", "Membership", "AuditEvent"] }),
  query(getWorkspaceMembers, { entities: ["User", "Membership"] }),
];
