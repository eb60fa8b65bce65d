-- Billing model v2: a workspace's customers and subscriptions become records of their own (one workspace
-- to many, at any processor). Each workspace's one customer and one subscription move over with every
-- field; the workspace keeps its own facts (credits, datePaid, its one trial).
CREATE TABLE "Customer" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "processor" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Customer_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Customer_workspaceId_processor_key" ON "Customer"("workspaceId", "processor");
CREATE INDEX "Customer_processor_customerId_idx" ON "Customer"("processor", "customerId");
ALTER TABLE "Customer" ADD CONSTRAINT "Customer_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "Subscription" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "processor" TEXT NOT NULL,
    "subscriptionId" TEXT NOT NULL,
    "plan" TEXT,
    "status" "SubscriptionStatus" NOT NULL,
    "quantity" INTEGER NOT NULL DEFAULT 1,
    "currentPeriodEnd" TIMESTAMP(3),
    "cancelAtPeriodEnd" BOOLEAN NOT NULL DEFAULT false,
    "trialEnd" TIMESTAMP(3),
    "pendingPlan" TEXT,
    "processorUpdatedAt" TIMESTAMP(3),
    "pastDueSince" TIMESTAMP(3),
    "graceExpiredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Subscription_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Subscription_processor_subscriptionId_key" ON "Subscription"("processor", "subscriptionId");
CREATE INDEX "Subscription_workspaceId_idx" ON "Subscription"("workspaceId");
CREATE INDEX "Subscription_status_trialEnd_idx" ON "Subscription"("status", "trialEnd");
CREATE INDEX "Subscription_status_pastDueSince_idx" ON "Subscription"("status", "pastDueSince");
ALTER TABLE "Subscription" ADD CONSTRAINT "Subscription_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

INSERT INTO "Customer" ("id", "workspaceId", "processor", "customerId", "createdAt")
SELECT gen_random_uuid()::text, "id", "paymentProcessor", "processorCustomerId", "createdAt"
FROM "Workspace" WHERE "paymentProcessor" IS NOT NULL AND "processorCustomerId" IS NOT NULL;

-- The engine never let two workspaces hold one subscription (a payment goes to the one holding it); should
-- a database have such rows anyway, the most recently updated holder keeps it.
INSERT INTO "Subscription" ("id", "workspaceId", "processor", "subscriptionId", "plan", "status", "currentPeriodEnd",
  "cancelAtPeriodEnd", "trialEnd", "pendingPlan", "processorUpdatedAt", "pastDueSince", "graceExpiredAt", "createdAt")
SELECT DISTINCT ON ("paymentProcessor", "subscriptionId") gen_random_uuid()::text, "id", "paymentProcessor", "subscriptionId",
  "subscriptionPlan", "subscriptionStatus", "currentPeriodEnd", "cancelAtPeriodEnd", "trialEnd", "pendingPlan",
  "subscriptionUpdatedAt", "pastDueSince", "graceExpiredAt", COALESCE("subscriptionUpdatedAt", "createdAt")
FROM "Workspace"
WHERE "paymentProcessor" IS NOT NULL AND "subscriptionId" IS NOT NULL AND "subscriptionStatus" IS NOT NULL
ORDER BY "paymentProcessor", "subscriptionId", "subscriptionUpdatedAt" DESC NULLS LAST;

DROP INDEX "Workspace_paymentProcessor_processorCustomerId_idx";
DROP INDEX "Workspace_paymentProcessor_subscriptionId_idx";
DROP INDEX "Workspace_subscriptionStatus_trialEnd_idx";
DROP INDEX "Workspace_subscriptionStatus_pastDueSince_idx";
ALTER TABLE "Workspace"
  DROP COLUMN "paymentProcessor",
  DROP COLUMN "processorCustomerId",
  DROP COLUMN "subscriptionId",
  DROP COLUMN "subscriptionPlan",
  DROP COLUMN "subscriptionStatus",
  DROP COLUMN "cancelAtPeriodEnd",
  DROP COLUMN "currentPeriodEnd",
  DROP COLUMN "trialEnd",
  DROP COLUMN "subscriptionUpdatedAt",
  DROP COLUMN "pendingPlan",
  DROP COLUMN "pastDueSince",
  DROP COLUMN "graceExpiredAt";
