-- CreateTable
CREATE TABLE "Operator" (
    "telegramId" BIGINT NOT NULL,
    "role" TEXT NOT NULL,
    "name" TEXT,
    "username" TEXT,
    "addedBy" BIGINT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Operator_pkey" PRIMARY KEY ("telegramId")
);
