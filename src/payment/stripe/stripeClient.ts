import Stripe from 'stripe';
import type { StripeSettings } from './stripeConfig.js';

/** The API version stripe@23.1.0 is typed for; pinned so payloads match the types we map. */
export const STRIPE_API_VERSION = '2026-10-28.endive' as const;

type ClientSettings = Pick<StripeSettings, 'apiKey' | 'apiUrl' | 'maxNetworkRetries' | 'timeoutMs'>;

/** The real SDK; STRIPE_API_URL (or the apiUrl override) sends every call to another origin. */
export function createStripeClient(settings: ClientSettings): Stripe {
  return new Stripe(settings.apiKey, {
    apiVersion: STRIPE_API_VERSION,
    maxNetworkRetries: settings.maxNetworkRetries,
    timeout: settings.timeoutMs,
    ...(settings.apiUrl !== undefined && apiOrigin(settings.apiUrl)),
  });
}

/** http://127.0.0.1:12111 → { host: '127.0.0.1', port: 12111, protocol: 'http' }. */
export function apiOrigin(apiUrl: string): { host: string; port: number; protocol: 'http' | 'https' } {
  const url = new URL(apiUrl);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : protocol === 'http' ? 80 : 443,
    protocol,
  };
}

/** For the startup log: where the API is and which mode the key is in, never the key. */
export function describeStripe(settings: Pick<StripeSettings, 'apiKey' | 'apiUrl'>): string {
  const mode = /^(sk|rk)_live_/.test(settings.apiKey) ? 'live mode' : 'test mode';
  return `Stripe API at ${settings.apiUrl ?? 'https://api.stripe.com'} (${mode})`;
}
