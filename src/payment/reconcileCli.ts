// `npm run billing:reconcile`: refetches every workspace of the configured processors from its processor
// and repairs what lost webhooks left behind (like the reconcileWorkspaces operation), audited as the
// system; prints what changed and exits 1 if some workspace could not be reconciled. Same env as `npm start`.
import { reconcileEach, reconcilingProcessor } from './reconciliation/reconcile.js';
import { runBillingCommand } from './billingCommand.js';

await runBillingCommand(async (processors) => {
  const reconciling = processors.map((processor) => {
    const canReconcile = reconcilingProcessor(processor);
    if (!canReconcile) throw new Error(`The ${processor.id} processor cannot be reconciled (no fetchCustomerState)`);
    return canReconcile;
  });
  const summary = await reconcileEach(reconciling, { type: 'system' });
  console.log(`Reconciled ${summary.workspaces} ${processors.map((p) => p.id).join(' and ')} workspaces: ${JSON.stringify(summary.byOutcome)}`);
  for (const r of summary.repaired) {
    console.log(`  repaired ${r.workspaceId}: ${r.changes.map((c) => `${c.event} ${c.target}`).join(', ')}`);
  }
  for (const f of summary.failed) console.log(`  could not reconcile ${f.workspaceId}: ${f.error}`);
  return summary.failed.length > 0 ? 1 : 0;
});
