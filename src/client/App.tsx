import { useEffect, type ComponentType } from 'react';
import { Layout } from './components/Layout.js';
import { Link } from './components/Link.js';
import { AuditLogPage } from './pages/AuditLogPage.js';
import { BillingPage } from './pages/BillingPage.js';
import { CheckoutResultPage } from './pages/CheckoutResultPage.js';
import { DeliveriesPage } from './pages/DeliveriesPage.js';
import { EmailsPage } from './pages/EmailsPage.js';
import { LoginPage } from './pages/LoginPage.js';
import { MembersPage } from './pages/MembersPage.js';
import { PricingPage } from './pages/PricingPage.js';
import { SignupPage } from './pages/SignupPage.js';
import { navigate, useLocation } from './router.js';
import type { PagePath } from './routes.js';

function Home() {
  useEffect(() => navigate('/billing', { replace: true }), []);
  return null;
}

// Every path the server answers with index.html has its page here (the type makes sure of it).
const pages: Record<PagePath, ComponentType> = {
  '/': Home,
  '/login': LoginPage,
  '/signup': SignupPage,
  '/pricing': PricingPage,
  '/checkout': CheckoutResultPage,
  '/billing': BillingPage,
  '/admin/audit': AuditLogPage,
  '/admin/deliveries': DeliveriesPage,
  '/emails': EmailsPage,
  '/members': MembersPage,
};

function NotFound() {
  return (
    <Layout title="Page not found">
      <p>
        There is no page here. <Link to="/billing">Go to billing</Link>
      </p>
    </Layout>
  );
}

export function App() {
  const { pathname } = useLocation();
  const Page = Object.hasOwn(pages, pathname) ? pages[pathname as PagePath] : NotFound;
  return <Page />;
}
