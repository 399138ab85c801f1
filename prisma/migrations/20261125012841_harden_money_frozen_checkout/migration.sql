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
    "altAmountMinor" INTEGER,
    "altCurrency" TEXT,
    "planTerms" TEXT,
    "checkoutAttempt" INTEGER NOT NULL DEFAULT 0,
    "checkoutVariant" TEXT,
    "checkoutLocale" TEXT,
    "summaryChatId" BIGINT,
    "summaryMessageId" INTEGER,
    CONSTRAINT "Order_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Order_lineId_fkey" FOREIGN KEY ("lineId") REFERENCES "Line" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Order_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Order" ("amountMinor", "checkoutExpiresAt", "checkoutUrl", "createdAt", "currency", "failureReason", "fulfilledAt", "id", "lineId", "newExpiresAt", "paidAt", "planId", "previousExpiresAt", "providerRef", "receiptUrl", "refundedAt", "source", "state", "stripePaymentIntentId", "stripeSessionId", "updatedAt", "userId") SELECT "amountMinor", "checkoutExpiresAt", "checkoutUrl", "createdAt", "currency", "failureReason", "fulfilledAt", "id", "lineId", "newExpiresAt", "paidAt", "planId", "previousExpiresAt", "providerRef", "receiptUrl", "refundedAt", "source", "state", "stripePaymentIntentId", "stripeSessionId", "updatedAt", "userId" FROM "Order";
DROP TABLE "Order";
ALTER TABLE "new_Order" RENAME TO "Order";
CREATE UNIQUE INDEX "Order_stripeSessionId_key" ON "Order"("stripeSessionId");
CREATE INDEX "Order_userId_createdAt_idx" ON "Order"("userId", "createdAt");
CREATE INDEX "Order_state_updatedAt_idx" ON "Order"("state", "updatedAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
