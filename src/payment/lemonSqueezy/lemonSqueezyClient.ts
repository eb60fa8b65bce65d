import { lemonSqueezySetup } from '@lemonsqueezy/lemonsqueezy.js';
import { installApiOriginRedirect, LEMON_SQUEEZY_API_ORIGIN } from './apiOrigin.js';
import type { LemonSqueezySettings } from './lemonSqueezyConfig.js';

/**
 * Sets up the SDK for one driver: its API key and, only when an apiUrl is configured, the fetch wrapper
 * that sends its requests there (apiOrigin.ts).
 *
 * The SDK keeps the key in module state, not per client: ONE PROCESS TALKS TO ONE LEMON SQUEEZY ACCOUNT.
 * A second driver with another key replaces the first one's key for every later call.
 *
 * No `onError` hook: every call's error comes back in its result and is classified in one place
 * (lemonSqueezyErrors.ts); a hook would only report it a second time.
 */
export function setUpLemonSqueezySdk(settings: Pick<LemonSqueezySettings, 'apiKey' | 'apiUrl'>): void {
  lemonSqueezySetup({ apiKey: settings.apiKey });
  if (settings.apiUrl !== undefined) installApiOriginRedirect(settings.apiUrl);
}

/** For the startup log: where the API is and which store, never the key. */
export function describeLemonSqueezy(settings: Pick<LemonSqueezySettings, 'apiUrl' | 'storeId'>): string {
  return `Lemon Squeezy API at ${settings.apiUrl ?? LEMON_SQUEEZY_API_ORIGIN} (store ${settings.storeId})`;
}
