-- AlterTable
ALTER TABLE "User" ADD COLUMN "stripeCustomerId" TEXT;

-- CreateTable
CREATE TABLE "AutoRenew" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "setupExpiresAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "AutoRenew_lineId_fkey" FOREIGN KEY ("lineId") REFERENCES "Line" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "AutoRenew_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AutoRenewCharge" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "autoRenewId" TEXT NOT NULL,
    "lineId" TEXT NOT NULL,
    "periodKey" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "orderId" TEXT,
    "amountMinor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME,
    "paymentIntentId" TEXT,
    "failureCode" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "AutoRenewCharge_autoRenewId_fkey" FOREIGN KEY ("autoRenewId") REFERENCES "AutoRenew" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "AutoRenewCharge_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Order" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "lineId" TEXT NOT NULL,
    "planId" TEXT NOT NULL,
    "amountMinor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "stripeSessionId" TEXT,
    "checkoutUrl" TEXT,
    "checkoutExpiresAt" DATETIME,
    "stripePaymentIntentId" TEXT,
    "receiptUrl" TEXT,
    "providerRef" TEXT,
    "failureReason" TEXT,
    "previousExpiresAt" DATETIME,
    "newExpiresAt" DATETIME,
    "paidAt" DATETIME,
    "fulfilledAt" DATETIME,
    "refundedAt" DATETIME,
    "source" TEXT NOT NULL DEFAULT 'manual',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Order_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Order_lineId_fkey" FOREIGN KEY ("lineId") REFERENCES "Line" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Order_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Order" ("amountMinor", "checkoutExpiresAt", "checkoutUrl", "createdAt", "currency", "failureReason", "fulfilledAt", "id", "lineId", "newExpiresAt", "paidAt", "planId", "previousExpiresAt", "providerRef", "receiptUrl", "refundedAt", "state", "stripePaymentIntentId", "stripeSessionId", "updatedAt", "userId") SELECT "amountMinor", "checkoutExpiresAt", "checkoutUrl", "createdAt", "currency", "failureReason", "fulfilledAt", "id", "lineId", "newExpiresAt", "paidAt", "planId", "previousExpiresAt", "providerRef", "receiptUrl", "refundedAt", "state", "stripePaymentIntentId", "stripeSessionId", "updatedAt", "userId" FROM "Order";
DROP TABLE "Order";
ALTER TABLE "new_Order" RENAME TO "Order";
CREATE UNIQUE INDEX "Order_stripeSessionId_key" ON "Order"("stripeSessionId");
CREATE INDEX "Order_userId_createdAt_idx" ON "Order"("userId", "createdAt");
CREATE INDEX "Order_state_updatedAt_idx" ON "Order"("state", "updatedAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

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
