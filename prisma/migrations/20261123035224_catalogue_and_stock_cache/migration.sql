-- AlterTable
ALTER TABLE "SkuMapping" ADD COLUMN     "matchStatus" TEXT NOT NULL DEFAULT 'UNMATCHED',
ADD COLUMN     "offerQuantity" INTEGER,
ADD COLUMN     "offerSeenAt" TIMESTAMP(3),
ADD COLUMN     "offerTitle" TEXT,
ADD COLUMN     "tracked" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "OrderLink" ADD COLUMN     "acceptanceDecision" JSONB,
ADD COLUMN     "lastError" TEXT;

-- CreateTable
CREATE TABLE "StockLevel" (
    "shop" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "available" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StockLevel_pkey" PRIMARY KEY ("shop","inventoryItemId","locationId")
);

-- CreateIndex
CREATE INDEX "StockLevel_shop_inventoryItemId_idx" ON "StockLevel"("shop", "inventoryItemId");

-- CreateIndex
CREATE INDEX "SkuMapping_connectionId_matchStatus_idx" ON "SkuMapping"("connectionId", "matchStatus");
