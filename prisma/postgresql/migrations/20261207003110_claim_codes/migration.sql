-- AlterTable
ALTER TABLE "Plan" ADD COLUMN     "costChangedAt" TIMESTAMP(3),
ADD COLUMN     "goneAt" TIMESTAMP(3),
ADD COLUMN     "heldAt" TIMESTAMP(3),
ADD COLUMN     "packageFamily" TEXT,
ADD COLUMN     "packageType" TEXT,
ADD COLUMN     "previousCostMinor" INTEGER;

-- CreateTable
CREATE TABLE "ClaimCode" (
    "id" TEXT NOT NULL,
    "codeHash" TEXT NOT NULL,
    "iccid" TEXT NOT NULL,
    "issuedBy" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "claimedAt" TIMESTAMP(3),
    "claimedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ClaimCode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PartnerStatus" (
    "key" TEXT NOT NULL,
    "open" BOOLEAN NOT NULL DEFAULT false,
    "openedAt" TIMESTAMP(3),
    "failures" INTEGER NOT NULL DEFAULT 0,
    "detail" JSONB,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PartnerStatus_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "ClaimCode_codeHash_key" ON "ClaimCode"("codeHash");

-- CreateIndex
CREATE INDEX "ClaimCode_iccid_idx" ON "ClaimCode"("iccid");

-- CreateIndex
CREATE INDEX "ClaimCode_expiresAt_idx" ON "ClaimCode"("expiresAt");

-- CreateIndex
CREATE INDEX "ProcessedEvent_createdAt_idx" ON "ProcessedEvent"("createdAt");
