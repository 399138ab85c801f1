-- AlterTable
ALTER TABLE "User" ADD COLUMN     "stripeCustomerId" TEXT;

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'manual';

-- CreateTable
CREATE TABLE "AutoRenew" (
    "id" TEXT NOT NULL,
    "lineId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "planCode" TEXT NOT NULL,
    "capMinor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "trigger" TEXT NOT NULL DEFAULT 'before_expiry',
    "lowDataMb" INTEGER,
    "state" TEXT NOT NULL,
    "paymentMethodId" TEXT,
    "cardBrand" TEXT,
    "cardLast4" TEXT,
    "setupSessionId" TEXT,
    "setupUrl" TEXT,
    "setupExpiresAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AutoRenew_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AutoRenewCharge" (
    "id" TEXT NOT NULL,
    "autoRenewId" TEXT NOT NULL,
    "lineId" TEXT NOT NULL,
    "periodKey" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "orderId" TEXT,
    "amountMinor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3),
    "paymentIntentId" TEXT,
    "failureCode" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AutoRenewCharge_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AutoRenew_lineId_key" ON "AutoRenew"("lineId");

-- CreateIndex
CREATE UNIQUE INDEX "AutoRenew_setupSessionId_key" ON "AutoRenew"("setupSessionId");

-- CreateIndex
CREATE INDEX "AutoRenew_state_idx" ON "AutoRenew"("state");

-- CreateIndex
CREATE UNIQUE INDEX "AutoRenewCharge_periodKey_key" ON "AutoRenewCharge"("periodKey");

-- CreateIndex
CREATE UNIQUE INDEX "AutoRenewCharge_orderId_key" ON "AutoRenewCharge"("orderId");

-- CreateIndex
CREATE INDEX "AutoRenewCharge_state_nextAttemptAt_idx" ON "AutoRenewCharge"("state", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "AutoRenewCharge_lineId_month_idx" ON "AutoRenewCharge"("lineId", "month");

-- CreateIndex
CREATE UNIQUE INDEX "User_stripeCustomerId_key" ON "User"("stripeCustomerId");

-- AddForeignKey
ALTER TABLE "AutoRenew" ADD CONSTRAINT "AutoRenew_lineId_fkey" FOREIGN KEY ("lineId") REFERENCES "Line"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AutoRenew" ADD CONSTRAINT "AutoRenew_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AutoRenewCharge" ADD CONSTRAINT "AutoRenewCharge_autoRenewId_fkey" FOREIGN KEY ("autoRenewId") REFERENCES "AutoRenew"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AutoRenewCharge" ADD CONSTRAINT "AutoRenewCharge_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE SET NULL ON UPDATE CASCADE;
