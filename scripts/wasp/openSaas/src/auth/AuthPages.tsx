import { ForgotPasswordForm, LoginForm, ResetPasswordForm, SignupForm, VerifyEmailForm } from 'wasp/client/auth';

// The app's own auth pages, with Wasp's forms: the plugin's log-in and sign-up pages are not installed.
export const LoginPage = () => <LoginForm />;
export const SignupPage = () => <SignupForm />;
export const RequestPasswordResetPage = () => <ForgotPasswordForm />;
export const PasswordResetPage = () => <ResetPasswordForm />;
export const EmailVerificationPage = () => <VerifyEmailForm />;
