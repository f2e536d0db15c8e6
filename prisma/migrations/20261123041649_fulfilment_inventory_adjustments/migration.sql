-- AlterTable
ALTER TABLE "OrderLink" ADD COLUMN     "previousShopifyOrderIds" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "FulfillmentLink" ADD COLUMN     "sentCarrierCode" TEXT,
ADD COLUMN     "sentTrackingNumber" TEXT;

-- AlterTable
ALTER TABLE "InventorySku" ADD COLUMN     "driftSeenAt" TIMESTAMP(3),
ADD COLUMN     "lastDrift" INTEGER;

-- CreateTable
CREATE TABLE "ReconciliationRun" (
    "id" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'RUNNING',
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "skuCount" INTEGER NOT NULL DEFAULT 0,
    "differences" INTEGER NOT NULL DEFAULT 0,
    "pushedLines" INTEGER NOT NULL DEFAULT 0,
    "miraklCalls" INTEGER NOT NULL DEFAULT 0,
    "shopifyCalls" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,

    CONSTRAINT "ReconciliationRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MiraklAdjustment" (
    "id" TEXT NOT NULL,
    "orderLinkId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "request" JSONB NOT NULL,
    "result" JSONB,
    "claim" TEXT,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MiraklAdjustment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ReconciliationRun_connectionId_startedAt_idx" ON "ReconciliationRun"("connectionId", "startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "MiraklAdjustment_dedupeKey_key" ON "MiraklAdjustment"("dedupeKey");

-- CreateIndex
CREATE INDEX "MiraklAdjustment_orderLinkId_idx" ON "MiraklAdjustment"("orderLinkId");
