import type { PaymentProcessor } from './paymentProcessor.js';

/** The app's webhook route: `/payments-webhook`, or one processor's own `/payments-webhook/<id>`. */
export function webhookPathOf(processorId?: string): string {
  return processorId ? `/payments-webhook/${processorId}` : '/payments-webhook';
}

/** Where a processor sends webhooks: the app's public URL and the route. */
export function webhookUrlOf(appUrl: string, path = webhookPathOf()): string {
  return `${appUrl.replace(/\/+$/, '')}${path}`;
}

/**
 * The start-up check with real keys: what differs between the processor's webhook endpoint for the app
 * and what the plugin needs, as warning lines (it never stops the start); [] when it is right. null:
 * not checked (a local emulator, or a processor without a webhook endpoints API). A failed check is one
 * warning, without a secret (processor errors never carry the key).
 */
/** The start-up check of one processor, logged: a warning per difference, or one line saying it is right. */
export async function logWebhookEndpointCheck(processor: PaymentProcessor, appUrl: string, path: string): Promise<void> {
  const warnings = await webhookEndpointWarnings(processor, appUrl, path);
  for (const warning of warnings ?? []) console.warn(warning);
  if (warnings?.length === 0) console.log(`Webhook endpoint for ${webhookUrlOf(appUrl, path)}: as the plugin needs`);
}

export async function webhookEndpointWarnings(processor: PaymentProcessor, appUrl: string, path = webhookPathOf()): Promise<string[] | null> {
  if (processor.emulated || !processor.webhookEndpoint) return null;
  const url = webhookUrlOf(appUrl, path);
  try {
    return (await processor.webhookEndpoint.check({ url })).map((problem) => `Webhook endpoint: ${problem}`);
  } catch (error) {
    return [`Webhook endpoint for ${url} could not be checked: ${error instanceof Error ? error.message : String(error)}`];
  }
}
