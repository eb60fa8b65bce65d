-- Trials (one per workspace), dunning (past_due with a grace period) and downgrades deferred to the
-- period end. Existing rows: a workspace that has had a trial (trialEnd set) has used it; one already
-- past_due starts its grace at its last stored state's time (no earlier time is known).
ALTER TABLE "Workspace"
  ADD COLUMN "pendingPlan" TEXT,
  ADD COLUMN "trialUsedAt" TIMESTAMP(3),
  ADD COLUMN "trialEndingNotifiedAt" TIMESTAMP(3),
  ADD COLUMN "pastDueSince" TIMESTAMP(3),
  ADD COLUMN "graceExpiredAt" TIMESTAMP(3);

UPDATE "Workspace" SET "trialUsedAt" = COALESCE("subscriptionUpdatedAt", now()) WHERE "trialEnd" IS NOT NULL;
UPDATE "Workspace" SET "pastDueSince" = COALESCE("subscriptionUpdatedAt", now()) WHERE "subscriptionStatus" = 'past_due';

CREATE INDEX "Workspace_subscriptionStatus_trialEnd_idx" ON "Workspace"("subscriptionStatus", "trialEnd");
CREATE INDEX "Workspace_subscriptionStatus_pastDueSince_idx" ON "Workspace"("subscriptionStatus", "pastDueSince");
