-- AlterTable
ALTER TABLE "AutoRenew" ADD COLUMN "starsAmount" INTEGER;
ALTER TABLE "AutoRenew" ADD COLUMN "starsChargeId" TEXT;
ALTER TABLE "AutoRenew" ADD COLUMN "starsPayload" TEXT;

-- AlterTable
ALTER TABLE "Order" ADD COLUMN "paidWith" TEXT;
ALTER TABLE "Order" ADD COLUMN "starsAmount" INTEGER;
ALTER TABLE "Order" ADD COLUMN "telegramChargeId" TEXT;

-- AlterTable
ALTER TABLE "Plan" ADD COLUMN "starsPrice" INTEGER;

-- CreateTable
CREATE TABLE "StarsPayment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "chargeId" TEXT NOT NULL,
    "telegramUserId" BIGINT NOT NULL,
    "userId" TEXT,
    "orderId" TEXT,
    "amount" INTEGER NOT NULL,
    "payload" TEXT NOT NULL,
    "recurring" BOOLEAN NOT NULL DEFAULT false,
    "outcome" TEXT NOT NULL,
    "refundReason" TEXT,
    "refundedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "StarsPayment_chargeId_key" ON "StarsPayment"("chargeId");

-- CreateIndex
CREATE INDEX "StarsPayment_orderId_idx" ON "StarsPayment"("orderId");

-- CreateIndex
CREATE INDEX "StarsPayment_outcome_updatedAt_idx" ON "StarsPayment"("outcome", "updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "AutoRenew_starsPayload_key" ON "AutoRenew"("starsPayload");

-- CreateIndex
CREATE UNIQUE INDEX "AutoRenew_starsChargeId_key" ON "AutoRenew"("starsChargeId");

-- CreateIndex
CREATE UNIQUE INDEX "Order_telegramChargeId_key" ON "Order"("telegramChargeId");
