import { defineUserSignupFields, type OnAfterSignupHook } from 'wasp/server/auth';
import { z } from 'zod';
import { emailSchema } from '../../auth/emailSchema.js';
import { coreEnv } from '../../config/env.js';
import { db } from '../../db/client.js';
import { createWorkspace, workspaceName } from '../../workspaces/operations.js';
import { coreUser } from './operation.js';

// Wasp's accounts (usernameAndPassword) sign up with their email as the username: the core knows a
// user by email (owners' emails, member invitations), and ADMIN_EMAILS makes site admins as it does
// on the standalone server.
export const userSignupFields = defineUserSignupFields({
  email: signupEmail,
  isAdmin: (data) => coreEnv().ADMIN_EMAILS.includes(signupEmail(data)),
});

// Wasp answers a thrown error with its message, as a validation error of the sign-up.
function signupEmail(data: { username?: unknown }): string {
  const email = emailSchema.safeParse(data.username);
  if (!email.success) throw new Error('The username must be your email address');
  return email.data;
}

// The sign-up page's optional workspace name, as the standalone sign-up takes it. The account exists by
// now, so a name that does not fit gives the default one rather than a failed sign-up.
const signupBody = z.object({ workspaceName });

/**
 * Like the standalone sign-up, every new user owns a personal workspace. An account without an email
 * (possible where User.email is optional, as in open-saas) gets none: it cannot use billing.
 */
export const onAfterSignup: OnAfterSignupHook = async ({ user, req }) => {
  if (!user.email) return;
  const name = signupBody.safeParse(req.body).data?.workspaceName ?? `${user.email}'s workspace`;
  await createWorkspace({ name }, { user: coreUser(user), entities: db() });
};
