// The Wasp glue of the billing plugin (Wasp 0.24+). The source of main.wasp (Wasp <= 0.23): after a
// change here, run `npm run wasp:spec`. Every reference goes to a thin adapter in src/wasp/adapters,
// which calls the functions the standalone server runs; `npm run wasp:compile` type-checks it all.
import { action, api, app, page, query, route } from "@wasp.sh/spec";
import { AuditLogPage } from "./src/client/pages/AuditLogPage" with { type: "ref" };
import { BillingPage } from "./src/client/pages/BillingPage" with { type: "ref" };
import { CheckoutResultPage } from "./src/client/pages/CheckoutResultPage" with { type: "ref" };
import { EmailsPage } from "./src/client/pages/EmailsPage" with { type: "ref" };
import { LoginPage } from "./src/client/pages/LoginPage" with { type: "ref" };
import { MembersPage } from "./src/client/pages/MembersPage" with { type: "ref" };
import { PricingPage } from "./src/client/pages/PricingPage" with { type: "ref" };
import { SignupPage } from "./src/client/pages/SignupPage" with { type: "ref" };
import { onAfterSignup, userSignupFields } from "./src/wasp/adapters/auth" with { type: "ref" };
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
} from "./src/wasp/adapters/operations" with { type: "ref" };
import { envValidationSchema, setupBilling } from "./src/wasp/adapters/server" with { type: "ref" };
import { paymentsMiddlewareConfigFn, paymentsWebhook } from "./src/wasp/adapters/webhook" with { type: "ref" };

export default app({
  name: "BillingPlugin",
  wasp: { version: "^0.25.0" },
  title: "Billing plugin",
  auth: {
    userEntity: "User",
    methods: {
      usernameAndPassword: { userSignupFields },
    },
    onAuthFailedRedirectTo: "/login",
    onAuthSucceededRedirectTo: "/billing",
    onAfterSignup,
  },
  server: {
    setupFn: setupBilling,
    envValidationSchema,
  },
  emailSender: {
    provider: "SMTP",
    defaultFrom: { name: "Billing", email: "billing@example.com" },
  },
  spec: [
    route("LoginRoute", "/login", page(LoginPage)),
    route("SignupRoute", "/signup", page(SignupPage)),
    route("PricingRoute", "/pricing", page(PricingPage)),
    route("CheckoutResultRoute", "/checkout", page(CheckoutResultPage, { authRequired: true })),
    route("BillingRoute", "/billing", page(BillingPage, { authRequired: true })),
    route("AuditLogRoute", "/admin/audit", page(AuditLogPage, { authRequired: true })),
    route("EmailsRoute", "/emails", page(EmailsPage)),
    route("MembersRoute", "/members", page(MembersPage, { authRequired: true })),

    action(generateCheckoutSession, { entities: ["User", "Workspace", "Membership", "AuditEvent"] }),
    query(getCustomerPortalUrl, { entities: ["User", "Workspace", "Membership", "AuditEvent"] }),
    query(getWorkspaceBilling, { entities: ["Workspace", "Membership"] }),
    action(spendCredits, { entities: ["Workspace", "Membership", "CreditLedger", "AuditEvent"] }),
    action(changePlan, { entities: ["Workspace", "Membership", "AuditEvent"] }),
    action(cancelSubscription, { entities: ["Workspace", "Membership", "AuditEvent"] }),
    action(resumeSubscription, { entities: ["Workspace", "Membership", "AuditEvent"] }),
    query(getPaymentHistory, { entities: ["Workspace", "Membership", "Payment"] }),
    query(getBillingStats, { entities: ["Workspace", "CreditLedger"] }),
    action(refundPayment, { entities: ["Payment", "AuditEvent"] }),
    query(listFailedDeliveries, { entities: ["WebhookDelivery"] }),
    action(replayDelivery, { entities: ["WebhookDelivery", "Workspace", "Payment", "CreditLedger", "AuditEvent", "EmailOutbox"] }),
    action(replayFailedDeliveries, { entities: ["WebhookDelivery", "Workspace", "Payment", "CreditLedger", "AuditEvent", "EmailOutbox"] }),
    action(reconcileWorkspace, { entities: ["Workspace", "Payment", "CreditLedger", "WebhookDelivery", "AuditEvent", "EmailOutbox"] }),
    action(reconcileWorkspaces, { entities: ["Workspace", "Payment", "CreditLedger", "WebhookDelivery", "AuditEvent", "EmailOutbox"] }),
    api("POST", "/payments-webhook", paymentsWebhook, {
      middlewareConfigFn: paymentsMiddlewareConfigFn,
      entities: ["Workspace", "Payment", "CreditLedger", "WebhookDelivery", "AuditEvent", "EmailOutbox"],
      auth: false,
    }),

    query(getAuditEvents, { entities: ["AuditEvent", "Membership"] }),

    query(getMyWorkspaces, { entities: ["Workspace", "Membership"] }),
    action(createWorkspace, { entities: ["Workspace", "Membership", "AuditEvent"] }),
    action(addWorkspaceMember, { entities: ["User", "Workspace", "Membership", "AuditEvent"] }),
    query(getWorkspaceMembers, { entities: ["User", "Membership"] }),
  ],
});
