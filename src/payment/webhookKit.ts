import type { IncomingHttpHeaders } from 'node:http';
import type { ParsedDelivery } from './events.js';

/**
 * What a processor folder ships for the suites that test every processor's webhook parsing at once (the
 * fuzz suite): as `src/payment/<name>/testing/webhookKit.ts` exporting `webhookKit`, found by glob.
 */
export interface WebhookKit {
  id: string;
  /** Its parseWebhook, configured for tests (a test secret and test plan ids; no network for these bodies). */
  parse(rawBody: Buffer, headers: IncomingHttpHeaders): ParsedDelivery | Promise<ParsedDelivery>;
  /** The headers that sign `rawBody` as the processor would. */
  sign(rawBody: Buffer): Record<string, string>;
  /** The headers it reads, for random header sets. */
  headerNames: string[];
}
