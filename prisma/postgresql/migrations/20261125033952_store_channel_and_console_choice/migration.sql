-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "storeId" TEXT;

-- AlterTable
ALTER TABLE "ConsoleSession" ADD COLUMN     "chosenAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "StoreVisit" (
    "id" TEXT NOT NULL,
    "storeId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StoreVisit_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "StoreVisit_userId_at_idx" ON "StoreVisit"("userId", "at");

-- CreateIndex
CREATE INDEX "StoreVisit_storeId_at_idx" ON "StoreVisit"("storeId", "at");

-- CreateIndex
CREATE INDEX "Order_storeId_paidAt_idx" ON "Order"("storeId", "paidAt");

-- CreateIndex
CREATE INDEX "ConsoleSession_operatorId_chosenAt_idx" ON "ConsoleSession"("operatorId", "chosenAt");
