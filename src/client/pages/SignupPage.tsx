import { accounts } from '@billing/backend/accounts';
import { AuthForm } from '../components/AuthForm.js';
import { Field } from '../components/Field.js';
import { Layout } from '../components/Layout.js';

export function SignupPage() {
  return (
    <Layout title="Create your account">
      <AuthForm
        submit={(fields) =>
          accounts.signup({ email: fields.email ?? '', password: fields.password ?? '', workspaceName: fields.workspaceName?.trim() || undefined })
        }
        submitLabel="Sign up"
        fallback="/pricing"
        other={{ question: 'Already have an account?', label: 'Log in', path: '/login' }}
      >
        <Field label="Email" name="email" type="email" autoComplete="email" required autoFocus />
        <Field label="Password" name="password" type="password" autoComplete="new-password" required minLength={8} hint="At least 8 characters." />
        <Field label="Workspace name (optional)" name="workspaceName" maxLength={100} hint="Billing belongs to a workspace; you can invite your team to it." />
      </AuthForm>
    </Layout>
  );
}
