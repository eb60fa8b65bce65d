// `npm run billing:reconcile`: refetches every workspace of the configured processor from it and repairs
// what lost webhooks left behind (like the reconcileWorkspaces operation), audited as the system; prints
// what changed and exits 1 if some workspace could not be reconciled. Same env as `npm start`.
import { reconcileAll, reconcilingProcessor } from './reconciliation/reconcile.js';
import { runBillingCommand } from './billingCommand.js';

await runBillingCommand(async (processor) => {
  const reconciling = reconcilingProcessor(processor);
  if (!reconciling) throw new Error(`The ${processor.id} processor cannot be reconciled (no fetchCustomerState)`);
  const summary = await reconcileAll(reconciling, { type: 'system' });
  console.log(`Reconciled ${summary.workspaces} ${processor.id} workspaces: ${JSON.stringify(summary.byOutcome)}`);
  for (const r of summary.repaired) {
    console.log(`  repaired ${r.workspaceId}: ${r.changes.map((c) => `${c.event} ${c.target}`).join(', ')}`);
  }
  for (const f of summary.failed) console.log(`  could not reconcile ${f.workspaceId}: ${f.error}`);
  return summary.failed.length > 0 ? 1 : 0;
});
