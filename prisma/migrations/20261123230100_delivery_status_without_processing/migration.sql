-- A delivery row is written as `processed` inside its own transaction (a rollback takes it back), so
-- `processing` is never stored any more. PostgreSQL cannot drop an enum value: recreate the type.
-- A row left `processing` by an older version was never committed as applied: it becomes `failed`,
-- so a replay can apply it.
ALTER TYPE "DeliveryStatus" RENAME TO "DeliveryStatus_old";
CREATE TYPE "DeliveryStatus" AS ENUM ('processed', 'failed', 'ignored');
ALTER TABLE "WebhookDelivery" ALTER COLUMN "status" TYPE "DeliveryStatus"
  USING (CASE "status"::text WHEN 'processing' THEN 'failed' ELSE "status"::text END)::"DeliveryStatus";
DROP TYPE "DeliveryStatus_old";
