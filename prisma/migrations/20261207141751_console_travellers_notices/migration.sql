-- AlterTable
ALTER TABLE "User" ADD COLUMN "name" TEXT;
ALTER TABLE "User" ADD COLUMN "nameKey" TEXT;
ALTER TABLE "User" ADD COLUMN "username" TEXT;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Notice" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "titles" JSONB NOT NULL,
    "bodies" JSONB NOT NULL,
    "audience" JSONB NOT NULL,
    "createdBy" BIGINT NOT NULL,
    "recipients" INTEGER NOT NULL DEFAULT 0,
    "publishedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "state" TEXT NOT NULL DEFAULT 'published',
    "scheduledFor" DATETIME
);
INSERT INTO "new_Notice" ("audience", "bodies", "createdBy", "id", "publishedAt", "recipients", "titles") SELECT "audience", "bodies", "createdBy", "id", "publishedAt", "recipients", "titles" FROM "Notice";
DROP TABLE "Notice";
ALTER TABLE "new_Notice" RENAME TO "Notice";
CREATE INDEX "Notice_publishedAt_idx" ON "Notice"("publishedAt");
CREATE INDEX "Notice_state_scheduledFor_idx" ON "Notice"("state", "scheduledFor");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "AutoRenew_userId_state_idx" ON "AutoRenew"("userId", "state");
