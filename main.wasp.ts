// The Wasp glue of the billing plugin (Wasp 0.24+): the app, its auth and server setup, the log-in and
// sign-up pages; the other pages, the operations and the webhook come from src/wasp/billing.wasp.ts.
// The source of main.wasp (Wasp <= 0.23): after a change here or there, run `npm run wasp:spec`.
// `npm run wasp:compile` type-checks it all.
import { app, page, route } from "@wasp.sh/spec";
import { LoginPage } from "./src/client/pages/LoginPage" with { type: "ref" };
import { SignupPage } from "./src/client/pages/SignupPage" with { type: "ref" };
import { onAfterSignup, userSignupFields } from "./src/wasp/adapters/auth" with { type: "ref" };
import { envValidationSchema, setupBilling } from "./src/wasp/adapters/server" with { type: "ref" };
import { billingOperations, billingPages } from "./src/wasp/billing.wasp";

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
    // The plugin's log-in and sign-up pages (usernameAndPassword, the email as username); an app with
    // auth pages of its own (open-saas) leaves these two out.
    route("LoginRoute", "/login", page(LoginPage)),
    route("SignupRoute", "/signup", page(SignupPage)),
    billingPages,
    billingOperations,
  ],
});
