import { Link } from 'wasp/client/router';

export function LandingPage() {
  return (
    <main>
      <h1>My Open SaaS App</h1>
      <Link to="/pricing">Pricing</Link> <Link to="/demo-app">Try the demo</Link>
    </main>
  );
}
