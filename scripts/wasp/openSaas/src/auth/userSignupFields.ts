import { defineUserSignupFields } from 'wasp/server/auth';

const adminEmails = (process.env.ADMIN_EMAILS ?? '').split(',').map((email) => email.trim()).filter(Boolean);

export const getEmailUserFields = defineUserSignupFields({
  email: (data) => String(data.email),
  username: (data) => String(data.email),
  isAdmin: (data) => adminEmails.includes(String(data.email)),
});
