-- AlterTable
ALTER TABLE "User" ADD COLUMN     "alertExpiry" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "alertNotices" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "quietEnd" INTEGER NOT NULL DEFAULT 8,
ADD COLUMN     "quietStart" INTEGER NOT NULL DEFAULT 22,
ADD COLUMN     "timezoneSet" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "noticeId" TEXT;

-- CreateTable
CREATE TABLE "Notice" (
    "id" TEXT NOT NULL,
    "titles" JSONB NOT NULL,
    "bodies" JSONB NOT NULL,
    "audience" JSONB NOT NULL,
    "createdBy" BIGINT NOT NULL,
    "recipients" INTEGER NOT NULL DEFAULT 0,
    "publishedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Notice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JobLease" (
    "name" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "until" TIMESTAMP(3) NOT NULL,
    "lastRunAt" TIMESTAMP(3),

    CONSTRAINT "JobLease_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE INDEX "Notice_publishedAt_idx" ON "Notice"("publishedAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_noticeId_state_idx" ON "OutboxMessage"("noticeId", "state");

-- AddForeignKey
ALTER TABLE "OutboxMessage" ADD CONSTRAINT "OutboxMessage_noticeId_fkey" FOREIGN KEY ("noticeId") REFERENCES "Notice"("id") ON DELETE SET NULL ON UPDATE CASCADE;
