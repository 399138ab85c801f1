-- AlterTable
ALTER TABLE "Plan" ADD COLUMN "costMinor" INTEGER;
ALTER TABLE "Plan" ADD COLUMN "provider" TEXT;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Line" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "identifier" TEXT NOT NULL,
    "carrier" TEXT NOT NULL,
    "label" TEXT,
    "planCode" TEXT,
    "expiresAt" DATETIME,
    "verifiedAt" DATETIME NOT NULL,
    "unlinkedAt" DATETIME,
    "dataLeftMb" INTEGER,
    "dataTotalMb" INTEGER,
    "dataUnlimited" BOOLEAN NOT NULL DEFAULT false,
    "usageStatus" TEXT,
    "usageExpiresAt" DATETIME,
    "usageCheckedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Line_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Line" ("carrier", "createdAt", "expiresAt", "id", "identifier", "kind", "label", "planCode", "unlinkedAt", "updatedAt", "userId", "verifiedAt") SELECT "carrier", "createdAt", "expiresAt", "id", "identifier", "kind", "label", "planCode", "unlinkedAt", "updatedAt", "userId", "verifiedAt" FROM "Line";
DROP TABLE "Line";
ALTER TABLE "new_Line" RENAME TO "Line";
CREATE INDEX "Line_expiresAt_idx" ON "Line"("expiresAt");
CREATE INDEX "Line_updatedAt_idx" ON "Line"("updatedAt");
CREATE UNIQUE INDEX "Line_userId_identifier_key" ON "Line"("userId", "identifier");
CREATE TABLE "new_User" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "telegramId" BIGINT NOT NULL,
    "language" TEXT NOT NULL DEFAULT 'en',
    "languageSet" BOOLEAN NOT NULL DEFAULT false,
    "timezone" TEXT NOT NULL DEFAULT 'Asia/Jakarta',
    "timezoneSet" BOOLEAN NOT NULL DEFAULT false,
    "reachable" BOOLEAN NOT NULL DEFAULT true,
    "quietStart" INTEGER NOT NULL DEFAULT 22,
    "quietEnd" INTEGER NOT NULL DEFAULT 8,
    "alertExpiry" BOOLEAN NOT NULL DEFAULT true,
    "alertNotices" BOOLEAN NOT NULL DEFAULT true,
    "alertLowData" BOOLEAN NOT NULL DEFAULT true,
    "stripeCustomerId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_User" ("alertExpiry", "alertNotices", "createdAt", "id", "language", "languageSet", "quietEnd", "quietStart", "reachable", "stripeCustomerId", "telegramId", "timezone", "timezoneSet", "updatedAt") SELECT "alertExpiry", "alertNotices", "createdAt", "id", "language", "languageSet", "quietEnd", "quietStart", "reachable", "stripeCustomerId", "telegramId", "timezone", "timezoneSet", "updatedAt" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE UNIQUE INDEX "User_telegramId_key" ON "User"("telegramId");
CREATE UNIQUE INDEX "User_stripeCustomerId_key" ON "User"("stripeCustomerId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
