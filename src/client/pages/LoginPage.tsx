import { accounts } from '@billing/backend/accounts';
import { AuthForm } from '../components/AuthForm.js';
import { Field } from '../components/Field.js';
import { Layout } from '../components/Layout.js';

export function LoginPage() {
  return (
    <Layout title="Log in">
      <AuthForm
        submit={(fields) => accounts.login({ email: fields.email ?? '', password: fields.password ?? '' })}
        submitLabel="Log in"
        fallback="/billing"
        other={{ question: 'No account yet?', label: 'Sign up', path: '/signup' }}
      >
        <Field label="Email" name="email" type="email" autoComplete="email" required autoFocus />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required />
      </AuthForm>
    </Layout>
  );
}
