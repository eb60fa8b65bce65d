-- DropIndex
DROP INDEX "Workspace_paymentProcessor_processorCustomerId_key";

-- CreateIndex
CREATE INDEX "Workspace_paymentProcessor_processorCustomerId_idx" ON "Workspace"("paymentProcessor", "processorCustomerId");
