-- AlterTable
ALTER TABLE "User" ADD COLUMN     "alertLowData" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "Line" ADD COLUMN     "dataLeftMb" INTEGER,
ADD COLUMN     "dataTotalMb" INTEGER,
ADD COLUMN     "dataUnlimited" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "usageCheckedAt" TIMESTAMP(3),
ADD COLUMN     "usageExpiresAt" TIMESTAMP(3),
ADD COLUMN     "usageStatus" TEXT;

-- AlterTable
ALTER TABLE "Plan" ADD COLUMN     "costMinor" INTEGER,
ADD COLUMN     "provider" TEXT;
