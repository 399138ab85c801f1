-- AlterTable
ALTER TABLE "Plan" ADD COLUMN     "activationPolicy" TEXT,
ADD COLUMN     "countries" TEXT;

-- CreateTable
CREATE TABLE "EsimPurchase" (
    "orderId" TEXT NOT NULL,
    "destination" TEXT NOT NULL,
    "partnerOrderRef" TEXT,
    "iccid" TEXT,
    "lpa" TEXT,
    "smdpAddress" TEXT,
    "activationCode" TEXT,
    "appleInstallUrl" TEXT,
    "apn" TEXT,
    "deliveredAt" TIMESTAMP(3),
    "installedAt" TIMESTAMP(3),
    "installNudgedAt" TIMESTAMP(3),
    "partnerRefundRef" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EsimPurchase_pkey" PRIMARY KEY ("orderId")
);

-- CreateIndex
CREATE INDEX "EsimPurchase_iccid_idx" ON "EsimPurchase"("iccid");

-- CreateIndex
CREATE INDEX "EsimPurchase_deliveredAt_installedAt_idx" ON "EsimPurchase"("deliveredAt", "installedAt");

-- AddForeignKey
ALTER TABLE "EsimPurchase" ADD CONSTRAINT "EsimPurchase_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
