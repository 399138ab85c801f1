-- AlterTable
ALTER TABLE "Plan" ADD COLUMN "costChangedAt" DATETIME;
ALTER TABLE "Plan" ADD COLUMN "goneAt" DATETIME;
ALTER TABLE "Plan" ADD COLUMN "heldAt" DATETIME;
ALTER TABLE "Plan" ADD COLUMN "packageFamily" TEXT;
ALTER TABLE "Plan" ADD COLUMN "packageType" TEXT;
ALTER TABLE "Plan" ADD COLUMN "previousCostMinor" INTEGER;

-- CreateTable
CREATE TABLE "ClaimCode" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "codeHash" TEXT NOT NULL,
    "iccid" TEXT NOT NULL,
    "issuedBy" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "claimedAt" DATETIME,
    "claimedBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "PartnerStatus" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "open" BOOLEAN NOT NULL DEFAULT false,
    "openedAt" DATETIME,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "detail" JSONB,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "ClaimCode_codeHash_key" ON "ClaimCode"("codeHash");

-- CreateIndex
CREATE INDEX "ClaimCode_iccid_idx" ON "ClaimCode"("iccid");

-- CreateIndex
CREATE INDEX "ClaimCode_expiresAt_idx" ON "ClaimCode"("expiresAt");

-- CreateIndex
CREATE INDEX "ProcessedEvent_createdAt_idx" ON "ProcessedEvent"("createdAt");
