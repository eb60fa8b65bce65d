/**
 * How a webhook endpoint's event list differs from the events the plugin handles (`wanted`): what it
 * does not send and what it sends beyond them. `*` (Stripe: every event type) lacks nothing but is extra.
 */
export function compareEvents(wanted: readonly string[], actual: readonly string[]): { missing: string[]; extra: string[]; same: boolean } {
  const missing = actual.includes('*') ? [] : wanted.filter((event) => !actual.includes(event));
  const extra = [...new Set(actual)].filter((event) => !wanted.includes(event));
  return { missing, extra, same: missing.length === 0 && extra.length === 0 };
}
