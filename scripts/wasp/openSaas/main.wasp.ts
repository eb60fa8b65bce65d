// A Wasp app shaped like open-saas's template (its own auth by email, its own pages and operations, its
// User with user-level payment fields) with the billing plugin installed as docs/WASP-OPEN-SAAS.md says:
// the lines marked "billing plugin". `npm run wasp:compile` assembles it (scripts/wasp/assembleOpenSaas.ts)
// and runs `wasp compile` on it. Written for this check, not copied from open-saas.
import { action, app, page, query, route } from "@wasp.sh/spec";
import { EmailVerificationPage, LoginPage, PasswordResetPage, RequestPasswordResetPage, SignupPage } from "./src/auth/AuthPages" with { type: "ref" };
import { getEmailUserFields } from "./src/auth/userSignupFields" with { type: "ref" };
import { DemoAppPage } from "./src/demo-ai-app/DemoAppPage" with { type: "ref" };
import { createTask, getAllTasksByUser } from "./src/demo-ai-app/operations" with { type: "ref" };
import { serverEnvValidationSchema } from "./src/env" with { type: "ref" };
import { LandingPage } from "./src/landing-page/LandingPage" with { type: "ref" };
// billing plugin: its hook, its server setup, its pages and operations
import { onAfterSignup } from "./src/wasp/adapters/auth" with { type: "ref" };
import { setupBilling } from "./src/wasp/adapters/server" with { type: "ref" };
import { billingOperations, billingPages } from "./src/wasp/billing.wasp";

export default app({
  name: "OpenSaaS",
  wasp: { version: "^0.25.0" },
  title: "My Open SaaS App",
  auth: {
    userEntity: "User",
    methods: {
      email: {
        fromField: { name: "Open SaaS App", email: "me@example.com" },
        emailVerification: { clientRoute: "EmailVerificationRoute" },
        passwordReset: { clientRoute: "PasswordResetRoute" },
        userSignupFields: getEmailUserFields,
      },
    },
    onAuthFailedRedirectTo: "/login",
    onAuthSucceededRedirectTo: "/demo-app",
    // billing plugin: every new user owns a personal workspace
    onAfterSignup,
  },
  server: {
    // billing plugin: the outbox, billing sweep and processor start with Wasp's server
    setupFn: setupBilling,
    envValidationSchema: serverEnvValidationSchema,
  },
  emailSender: {
    provider: "Dummy",
    defaultFrom: { name: "Open SaaS App", email: "me@example.com" },
  },
  spec: [
    route("LandingPageRoute", "/", page(LandingPage)),
    route("LoginRoute", "/login", page(LoginPage)),
    route("SignupRoute", "/signup", page(SignupPage)),
    route("RequestPasswordResetRoute", "/request-password-reset", page(RequestPasswordResetPage)),
    route("PasswordResetRoute", "/password-reset", page(PasswordResetPage)),
    route("EmailVerificationRoute", "/email-verification", page(EmailVerificationPage)),
    route("DemoAppRoute", "/demo-app", page(DemoAppPage, { authRequired: true })),
    query(getAllTasksByUser, { entities: ["Task"] }),
    action(createTask, { entities: ["Task"] }),
    // billing plugin: in place of open-saas's own payment spec (src/payment/payment.wasp.ts)
    billingPages,
    billingOperations,
  ],
});
