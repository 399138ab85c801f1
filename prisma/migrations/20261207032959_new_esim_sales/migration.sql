-- AlterTable
ALTER TABLE "Plan" ADD COLUMN "activationPolicy" TEXT;
ALTER TABLE "Plan" ADD COLUMN "countries" TEXT;

-- CreateTable
CREATE TABLE "EsimPurchase" (
    "orderId" TEXT NOT NULL PRIMARY KEY,
    "destination" TEXT NOT NULL,
    "partnerOrderRef" TEXT,
    "iccid" TEXT,
    "lpa" TEXT,
    "smdpAddress" TEXT,
    "activationCode" TEXT,
    "appleInstallUrl" TEXT,
    "apn" TEXT,
    "deliveredAt" DATETIME,
    "installedAt" DATETIME,
    "installNudgedAt" DATETIME,
    "partnerRefundRef" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "EsimPurchase_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "EsimPurchase_iccid_idx" ON "EsimPurchase"("iccid");

-- CreateIndex
CREATE INDEX "EsimPurchase_deliveredAt_installedAt_idx" ON "EsimPurchase"("deliveredAt", "installedAt");
