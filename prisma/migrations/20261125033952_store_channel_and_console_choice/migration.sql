-- AlterTable
ALTER TABLE "ConsoleSession" ADD COLUMN "chosenAt" DATETIME;

-- AlterTable
ALTER TABLE "Order" ADD COLUMN "storeId" TEXT;

-- CreateTable
CREATE TABLE "StoreVisit" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "storeId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "at" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "StoreVisit_userId_at_idx" ON "StoreVisit"("userId", "at");

-- CreateIndex
CREATE INDEX "StoreVisit_storeId_at_idx" ON "StoreVisit"("storeId", "at");

-- CreateIndex
CREATE INDEX "ConsoleSession_operatorId_chosenAt_idx" ON "ConsoleSession"("operatorId", "chosenAt");

-- CreateIndex
CREATE INDEX "Order_storeId_paidAt_idx" ON "Order"("storeId", "paidAt");
