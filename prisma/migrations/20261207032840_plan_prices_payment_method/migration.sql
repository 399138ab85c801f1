-- AlterTable
ALTER TABLE "Order" ADD COLUMN "paymentMethod" TEXT;
ALTER TABLE "Order" ADD COLUMN "prices" JSONB;

-- AlterTable
ALTER TABLE "Plan" ADD COLUMN "prices" JSONB;
