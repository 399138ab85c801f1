-- CreateIndex
CREATE INDEX "Line_updatedAt_idx" ON "Line"("updatedAt");
