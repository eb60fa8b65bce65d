// `npm run billing:webhook-endpoint`: creates or updates each configured processor's webhook endpoint for
// APP_URL/payments-webhook (APP_URL/payments-webhook/<id> when several run) so it sends exactly the events the plugin handles (Stripe: in the pinned API
// version), and prints a new signing secret once. `-- --check` only says what differs. Same env as
// `npm start`; exit 0 when the endpoint is right, 1 when it is not or the processor refused.
import { runBillingCommand } from './billingCommand.js';
import { ProcessorError, type PaymentProcessor } from './paymentProcessor.js';
import { webhookRouteOf } from './processors.js';
import { webhookUrlOf } from './webhookEndpointCheck.js';

const checkOnly = process.argv.includes('--check');

await runBillingCommand(
  async (processors, env) => {
    let code = 0;
    for (const processor of processors) {
      try {
        code = Math.max(code, await setUp(processor, webhookUrlOf(env.APP_URL, webhookRouteOf(processor))));
      } catch (error) {
        // A processor that refused: its message names the step, never the key; a line and exit 1, not a stack trace.
        if (!(error instanceof ProcessorError)) throw error;
        console.error(error.message);
        code = 1;
      }
    }
    return code;
  },
  { database: false },
);

/** One processor's endpoint for `url`: checked or set up; 1 when it is not right or the processor refused. */
async function setUp(processor: PaymentProcessor, url: string): Promise<number> {
  const api = processor.webhookEndpoint;
  if (!api) {
    console.error(`The ${processor.id} processor has no webhook endpoints API: set its endpoint up in its dashboard, for ${url}`);
    return 1;
  }
  if (checkOnly) {
    const problems = await api.check({ url });
    for (const problem of problems) console.log(problem);
    if (problems.length === 0) console.log(`The ${processor.id} webhook endpoint for ${url} is right`);
    return problems.length > 0 ? 1 : 0;
  }
  const setup = await api.ensure({ url });
  const version = setup.apiVersion ? `, API version ${setup.apiVersion}` : '';
  console.log(`${processor.id} webhook endpoint ${setup.endpointId} for ${url}: ${setup.action}${version}`);
  console.log(`  events: ${setup.events.join(', ')}`);
  for (const old of setup.disabled ?? []) console.log(`  disabled endpoint ${old.endpointId}: ${old.why}`);
  if (setup.secret) {
    // Shown once, here only: the processor never shows it again and the plugin never logs it.
    console.log(`  signing secret (shown once): ${setup.secret}`);
    console.log(`  Set ${api.secretVariable} to it and restart the server. Until then its deliveries fail the signature check; the processor retries them.`);
  }
  return 0;
}
