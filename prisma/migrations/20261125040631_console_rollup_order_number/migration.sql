-- AlterTable
ALTER TABLE "Order" ADD COLUMN "number" TEXT;

-- CreateTable
CREATE TABLE "ConsoleDay" (
    "offsetMinutes" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "day" INTEGER NOT NULL,
    "buckets" TEXT NOT NULL,
    "asOf" DATETIME NOT NULL,

    PRIMARY KEY ("offsetMinutes", "kind", "day")
);

-- CreateTable
CREATE TABLE "ConsoleRollup" (
    "offsetMinutes" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "watermark" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "Order_number_idx" ON "Order"("number");

-- CreateIndex
CREATE INDEX "Order_updatedAt_idx" ON "Order"("updatedAt");

-- Backfill: the number every existing order already shows (orderNumber in src/domain/order-state.ts).
UPDATE "Order" SET "number" = 'KU-' || upper(substr("id", -8));
