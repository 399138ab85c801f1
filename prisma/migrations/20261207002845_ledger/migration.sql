-- CreateTable
CREATE TABLE "LedgerEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "processor" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "orderId" TEXT,
    "method" TEXT,
    "amountMinor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "occurredAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ReconciliationIssue" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "processor" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "orderId" TEXT,
    "amountMinor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "detail" JSONB,
    "state" TEXT NOT NULL DEFAULT 'open',
    "notifiedAt" DATETIME,
    "resolvedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "LedgerEntry_orderId_idx" ON "LedgerEntry"("orderId");

-- CreateIndex
CREATE INDEX "LedgerEntry_occurredAt_idx" ON "LedgerEntry"("occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerEntry_processor_kind_externalId_key" ON "LedgerEntry"("processor", "kind", "externalId");

-- CreateIndex
CREATE INDEX "ReconciliationIssue_state_createdAt_idx" ON "ReconciliationIssue"("state", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ReconciliationIssue_processor_kind_externalId_key" ON "ReconciliationIssue"("processor", "kind", "externalId");
