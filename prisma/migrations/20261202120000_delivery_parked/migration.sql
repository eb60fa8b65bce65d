-- A delivery of ours whose customer or subscription is not linked to a workspace yet waits, parked, for that link.
ALTER TYPE "DeliveryStatus" ADD VALUE 'parked';

ALTER TABLE "WebhookDelivery" ADD COLUMN "waitingFor" TEXT;

-- The engine looks up the parked deliveries a new link releases.
CREATE INDEX "WebhookDelivery_processor_waitingFor_idx" ON "WebhookDelivery"("processor", "waitingFor");

-- A payment that names its subscription is matched to the workspace holding it.
CREATE INDEX "Workspace_paymentProcessor_subscriptionId_idx" ON "Workspace"("paymentProcessor", "subscriptionId");
