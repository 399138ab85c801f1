-- AlterTable
ALTER TABLE "User" ADD COLUMN     "name" TEXT,
ADD COLUMN     "nameKey" TEXT,
ADD COLUMN     "username" TEXT;

-- AlterTable
ALTER TABLE "Notice" ADD COLUMN     "scheduledFor" TIMESTAMP(3),
ADD COLUMN     "state" TEXT NOT NULL DEFAULT 'published';

-- CreateIndex
CREATE INDEX "Notice_state_scheduledFor_idx" ON "Notice"("state", "scheduledFor");

-- CreateIndex
CREATE INDEX "AutoRenew_userId_state_idx" ON "AutoRenew"("userId", "state");
