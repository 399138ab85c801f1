-- DropIndex
DROP INDEX "Line_expiresAt_idx";

-- CreateIndex
CREATE INDEX "Line_expiresAt_id_idx" ON "Line"("expiresAt", "id");
