/**
 * Traffic a real processor account sends that is not the app's, on request (tests of relevance, offline):
 * - `other-product`: an existing customer (default: the newest) subscribes to another product of the
 *   account, through a checkout the app did not make (no app metadata).
 * - `other-customer`: someone the app has never seen buys that product.
 * - `unknown-event`: an event of a type the app does not act on.
 * Each emulator's foreignTraffic.ts makes its real objects and events, and may add kinds of its own.
 */
export type ForeignTraffic = { kind: 'other-product'; customerId?: string } | { kind: 'other-customer' } | { kind: 'unknown-event' };
