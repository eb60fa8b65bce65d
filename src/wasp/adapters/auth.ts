import { defineUserSignupFields, type OnAfterSignupHook } from 'wasp/server/auth';
import { emailSchema } from '../../auth/emailSchema.js';
import { coreEnv } from '../../config/env.js';
import { db } from '../../db/client.js';
import { createWorkspace } from '../../workspaces/operations.js';
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

/** Like the standalone sign-up, every new user owns a personal workspace. */
export const onAfterSignup: OnAfterSignupHook = async ({ user }) => {
  await createWorkspace({ name: `${user.email}'s workspace` }, { user: coreUser(user), entities: db() });
};
