-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "altAmountMinor" INTEGER,
ADD COLUMN     "altCurrency" TEXT,
ADD COLUMN     "checkoutAttempt" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "checkoutLocale" TEXT,
ADD COLUMN     "checkoutVariant" TEXT,
ADD COLUMN     "planTerms" TEXT,
ADD COLUMN     "summaryChatId" BIGINT,
ADD COLUMN     "summaryMessageId" INTEGER;
