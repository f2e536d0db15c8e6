-- CreateTable
CREATE TABLE "Payout" (
    "id" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "miraklCycleId" TEXT NOT NULL,
    "cycleCreatedAt" TIMESTAMP(3),
    "currency" TEXT,
    "amountToSeller" DECIMAL(14,2) NOT NULL DEFAULT 0,
    "amountToOperator" DECIMAL(14,2) NOT NULL DEFAULT 0,
    "payOutState" TEXT,
    "payOutReference" TEXT,
    "paidAt" TIMESTAMP(3),
    "failureReason" TEXT,
    "voucherNumber" TEXT,
    "linesStatus" TEXT NOT NULL DEFAULT 'PENDING',
    "linesCursor" TIMESTAMP(3),
    "linesSyncedAt" TIMESTAMP(3),
    "lineCount" INTEGER NOT NULL DEFAULT 0,
    "orderCount" INTEGER NOT NULL DEFAULT 0,
    "flagCount" INTEGER NOT NULL DEFAULT 0,
    "summary" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Payout_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PayoutTransaction" (
    "id" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "miraklId" TEXT NOT NULL,
    "miraklCycleId" TEXT,
    "type" TEXT NOT NULL,
    "amount" DECIMAL(14,2) NOT NULL,
    "currency" TEXT,
    "miraklOrderId" TEXT,
    "orderLineId" TEXT,
    "miraklRefundId" TEXT,
    "paymentState" TEXT,
    "dateCreated" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PayoutTransaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PayoutSyncState" (
    "connectionId" TEXT NOT NULL,
    "tl02Calls" TIMESTAMP(3)[] DEFAULT ARRAY[]::TIMESTAMP(3)[],
    "lastRunAt" TIMESTAMP(3),
    "lastSuccessAt" TIMESTAMP(3),
    "lastError" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PayoutSyncState_pkey" PRIMARY KEY ("connectionId")
);

-- CreateIndex
CREATE INDEX "Payout_shop_cycleCreatedAt_idx" ON "Payout"("shop", "cycleCreatedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Payout_connectionId_miraklCycleId_key" ON "Payout"("connectionId", "miraklCycleId");

-- CreateIndex
CREATE INDEX "PayoutTransaction_connectionId_miraklCycleId_idx" ON "PayoutTransaction"("connectionId", "miraklCycleId");

-- CreateIndex
CREATE INDEX "PayoutTransaction_connectionId_miraklOrderId_idx" ON "PayoutTransaction"("connectionId", "miraklOrderId");

-- CreateIndex
CREATE UNIQUE INDEX "PayoutTransaction_connectionId_miraklId_key" ON "PayoutTransaction"("connectionId", "miraklId");
