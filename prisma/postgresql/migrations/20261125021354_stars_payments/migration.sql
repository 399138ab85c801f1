-- AlterTable
ALTER TABLE "Plan" ADD COLUMN     "starsPrice" INTEGER;

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "paidWith" TEXT,
ADD COLUMN     "starsAmount" INTEGER,
ADD COLUMN     "telegramChargeId" TEXT;

-- AlterTable
ALTER TABLE "AutoRenew" ADD COLUMN     "starsAmount" INTEGER,
ADD COLUMN     "starsChargeId" TEXT,
ADD COLUMN     "starsPayload" TEXT;

-- CreateTable
CREATE TABLE "StarsPayment" (
    "id" TEXT NOT NULL,
    "chargeId" TEXT NOT NULL,
    "telegramUserId" BIGINT NOT NULL,
    "userId" TEXT,
    "orderId" TEXT,
    "amount" INTEGER NOT NULL,
    "payload" TEXT NOT NULL,
    "recurring" BOOLEAN NOT NULL DEFAULT false,
    "outcome" TEXT NOT NULL,
    "refundReason" TEXT,
    "refundedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StarsPayment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "StarsPayment_chargeId_key" ON "StarsPayment"("chargeId");

-- CreateIndex
CREATE INDEX "StarsPayment_orderId_idx" ON "StarsPayment"("orderId");

-- CreateIndex
CREATE INDEX "StarsPayment_outcome_updatedAt_idx" ON "StarsPayment"("outcome", "updatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Order_telegramChargeId_key" ON "Order"("telegramChargeId");

-- CreateIndex
CREATE UNIQUE INDEX "AutoRenew_starsPayload_key" ON "AutoRenew"("starsPayload");

-- CreateIndex
CREATE UNIQUE INDEX "AutoRenew_starsChargeId_key" ON "AutoRenew"("starsChargeId");
