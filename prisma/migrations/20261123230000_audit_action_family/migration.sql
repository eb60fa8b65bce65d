-- An action's text up to and including its first dot ("payment." for "payment.succeeded"; "" when it
-- has no dot, so "payment" is not in the family `payment.*`), so a family filter
-- (`payment.*`) is an equality the index serves in (createdAt, id) order, whatever the collation:
-- `action LIKE 'payment.%'` can use a btree only under the C collation.
ALTER TABLE "AuditEvent" ADD COLUMN "actionFamily" TEXT;
UPDATE "AuditEvent" SET "actionFamily" = substr(action, 1, strpos(action, '.'));
ALTER TABLE "AuditEvent" ALTER COLUMN "actionFamily" SET NOT NULL;

CREATE INDEX "AuditEvent_actionFamily_createdAt_id_idx" ON "AuditEvent"("actionFamily", "createdAt", "id");
