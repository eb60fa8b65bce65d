// `npm run billing:replay`: replays every failed webhook delivery of the configured processors through
// the engine (like the replayFailedDeliveries operation) and prints a summary. Same env as `npm start`.
// With a local emulator (no processor key) it uses the running server's, else starts it on its saved state.
import { runBillingCommand } from './billingCommand.js';
import { replayFailedDeliveries } from './engine/replayDelivery.js';

await runBillingCommand(async (processors) => {
  const replaying = processors.map((processor) => {
    if (!processor.mapStoredPayload) throw new Error(`The ${processor.id} processor cannot replay deliveries (no mapStoredPayload)`);
    return { ...processor, mapStoredPayload: processor.mapStoredPayload };
  });
  const summary = await replayFailedDeliveries(replaying, { type: 'system' });
  console.log(`Replayed ${summary.replayed} failed ${processors.map((p) => p.id).join(' and ')} deliveries: ${JSON.stringify(summary.byOutcome)}`);
  for (const d of summary.stillFailing) console.log(`  still ${d.status}: ${d.type} ${d.eventId} (${d.deliveryId}): ${d.error}`);
  return summary.stillFailing.length > 0 ? 1 : 0;
});
