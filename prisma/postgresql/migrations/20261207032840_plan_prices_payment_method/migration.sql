-- AlterTable
ALTER TABLE "Plan" ADD COLUMN     "prices" JSONB;

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "paymentMethod" TEXT,
ADD COLUMN     "prices" JSONB;
