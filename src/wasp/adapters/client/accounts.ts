// Logging in and signing up with Wasp's usernameAndPassword auth, the email as username (as
// src/wasp/adapters/auth.ts has it). A Wasp app with its own auth pages (open-saas) leaves these out.
import { login, signup } from 'wasp/client/auth';
import type { Accounts } from '../../../client/backend/types.js';
import { api } from './api.js';
import { failAsApiError } from './call.js';

type SignupData = Parameters<typeof signup>[0] & { workspaceName?: string };

export const accounts: Accounts = {
  login: async ({ email, password }) => {
    await failAsApiError(() => login({ username: email, password }));
    return api.me();
  },
  signup: async ({ email, password, workspaceName }) => {
    // Wasp's type asks for every signup field; the server's getters (auth.ts) decide email and isAdmin
    // themselves, from the username and ADMIN_EMAILS. onAfterSignup names the workspace workspaceName.
    const data: SignupData = { username: email, password, email, isAdmin: false, workspaceName };
    await failAsApiError(() => signup(data));
    await failAsApiError(() => login({ username: email, password }));
    return api.me();
  },
};
