-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" TIMESTAMP(3),
    "accessToken" TEXT NOT NULL,
    "userId" BIGINT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT,
    "collaborator" BOOLEAN DEFAULT false,
    "emailVerified" BOOLEAN DEFAULT false,
    "refreshToken" TEXT,
    "refreshTokenExpires" TIMESTAMP(3),

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Shop" (
    "domain" TEXT NOT NULL,
    "installedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Shop_pkey" PRIMARY KEY ("domain")
);

-- CreateTable
CREATE TABLE "MarketplaceConnection" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "baseUrl" TEXT NOT NULL,
    "miraklShopId" TEXT,
    "miraklShopName" TEXT,
    "apiKeyEncrypted" TEXT NOT NULL,
    "apiKeyLast4" TEXT NOT NULL,
    "platformConfig" JSONB NOT NULL DEFAULT '{}',
    "carriers" JSONB NOT NULL DEFAULT '[]',
    "shippingTypes" JSONB NOT NULL DEFAULT '[]',
    "reasons" JSONB NOT NULL DEFAULT '[]',
    "settingsRefreshedAt" TIMESTAMP(3),
    "currency" TEXT,
    "orderTaxMode" TEXT NOT NULL DEFAULT 'TAX_INCLUDED',
    "marketplaceAutoAccepts" BOOLEAN NOT NULL DEFAULT false,
    "partialAcceptance" BOOLEAN NOT NULL DEFAULT false,
    "partialCancel" BOOLEAN NOT NULL DEFAULT false,
    "multiShipment" BOOLEAN NOT NULL DEFAULT false,
    "allowUnregisteredCarrier" BOOLEAN NOT NULL DEFAULT true,
    "addressBeforeAcceptance" BOOLEAN NOT NULL DEFAULT false,
    "acceptancePolicy" TEXT NOT NULL DEFAULT 'ACCEPT_AUTOMATICALLY',
    "acceptanceWindowMinutes" INTEGER NOT NULL DEFAULT 2880,
    "acceptanceEscalationMinutes" INTEGER NOT NULL DEFAULT 120,
    "customerPolicy" TEXT NOT NULL DEFAULT 'NOTIFICATION_EMAIL',
    "sharedCustomerEmail" TEXT,
    "pollIntervalSeconds" INTEGER NOT NULL DEFAULT 60,
    "backfillHours" INTEGER NOT NULL DEFAULT 48,
    "stockPushIntervalSeconds" INTEGER NOT NULL DEFAULT 60,
    "reconcileIntervalMinutes" INTEGER NOT NULL DEFAULT 30,
    "safetyStockMode" TEXT NOT NULL DEFAULT 'FIXED',
    "safetyStockValue" INTEGER NOT NULL DEFAULT 0,
    "locationIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "autoSendRefunds" BOOLEAN NOT NULL DEFAULT false,
    "unacknowledgedShipmentMinutes" INTEGER NOT NULL DEFAULT 60,
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "pausedReason" TEXT,
    "lastOrderPollAt" TIMESTAMP(3),
    "ordersCursor" TIMESTAMP(3),
    "lastBackfillAt" TIMESTAMP(3),
    "lastStockPushAt" TIMESTAMP(3),
    "lastReconcileAt" TIMESTAMP(3),
    "lastSettingsError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MarketplaceConnection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SkuMapping" (
    "id" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "offerSku" TEXT NOT NULL,
    "shopifyVariantId" TEXT,
    "shopifyInventoryItemId" TEXT,
    "shopifySku" TEXT,
    "productTitle" TEXT,
    "source" TEXT NOT NULL DEFAULT 'MANUAL',
    "safetyStockOverride" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SkuMapping_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CarrierMapping" (
    "id" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "shopifyCarrierKey" TEXT NOT NULL,
    "shopifyCarrierName" TEXT NOT NULL,
    "miraklCarrierCode" TEXT,
    "useUnregistered" BOOLEAN NOT NULL DEFAULT false,
    "source" TEXT NOT NULL DEFAULT 'MANUAL',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CarrierMapping_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrderLink" (
    "id" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "miraklOrderId" TEXT NOT NULL,
    "miraklCommercialId" TEXT,
    "miraklState" TEXT NOT NULL,
    "miraklLastUpdated" TIMESTAMP(3) NOT NULL,
    "miraklCreatedAt" TIMESTAMP(3) NOT NULL,
    "acceptanceDeadline" TIMESTAMP(3),
    "shippingDeadline" TIMESTAMP(3),
    "acceptanceStatus" TEXT NOT NULL DEFAULT 'PENDING',
    "acceptedAt" TIMESTAMP(3),
    "importStatus" TEXT NOT NULL DEFAULT 'WAITING',
    "importClaim" TEXT,
    "importClaimedAt" TIMESTAMP(3),
    "importAttempts" INTEGER NOT NULL DEFAULT 0,
    "holdReason" TEXT,
    "shopifyOrderId" TEXT,
    "shopifyOrderName" TEXT,
    "shopifyState" TEXT,
    "replacedByOrderId" TEXT,
    "sellerReferenceSent" BOOLEAN NOT NULL DEFAULT false,
    "fulfilmentStatus" TEXT NOT NULL DEFAULT 'NONE',
    "shippedAt" TIMESTAMP(3),
    "commissionTotal" DECIMAL(14,2),
    "totalPrice" DECIMAL(14,2),
    "currency" TEXT,
    "snapshot" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OrderLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FulfillmentLink" (
    "id" TEXT NOT NULL,
    "orderLinkId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "shopifyFulfillmentId" TEXT NOT NULL,
    "trackingCompany" TEXT,
    "trackingNumber" TEXT,
    "trackingUrl" TEXT,
    "lines" JSONB NOT NULL DEFAULT '[]',
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "holdReason" TEXT,
    "miraklShipmentId" TEXT,
    "origin" TEXT NOT NULL DEFAULT 'SHOPIFY',
    "sentAt" TIMESTAMP(3),
    "acknowledgedAt" TIMESTAMP(3),
    "lastError" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FulfillmentLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RefundRequest" (
    "id" TEXT NOT NULL,
    "orderLinkId" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "shopifyRefundId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'OPEN',
    "lines" JSONB NOT NULL DEFAULT '[]',
    "shopifyAmount" DECIMAL(14,2),
    "reasonCode" TEXT,
    "miraklRefundIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "sendClaim" TEXT,
    "sentAt" TIMESTAMP(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RefundRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InventorySku" (
    "id" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "offerSku" TEXT NOT NULL,
    "dirty" BOOLEAN NOT NULL DEFAULT false,
    "dirtySince" TIMESTAMP(3),
    "computedQty" INTEGER,
    "pushedQty" INTEGER,
    "pushedAt" TIMESTAMP(3),
    "miraklQty" INTEGER,
    "miraklSeenAt" TIMESTAMP(3),
    "lastImportId" TEXT,
    "lastError" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InventorySku_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StockImport" (
    "id" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "miraklImportId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'SUBMITTING',
    "lineCount" INTEGER NOT NULL,
    "lines" JSONB NOT NULL,
    "linesInError" INTEGER,
    "errorReport" TEXT,
    "submittedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "StockImport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "eventId" TEXT,
    "topic" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "apiVersion" TEXT,
    "triggeredAt" TIMESTAMP(3),
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'RECEIVED',
    "error" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMP(3),

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SyncEvent" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "connectionId" TEXT,
    "entityType" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "level" TEXT NOT NULL DEFAULT 'info',
    "message" TEXT NOT NULL,
    "data" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SyncEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Task" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "connectionId" TEXT,
    "dedupeKey" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "severity" TEXT NOT NULL DEFAULT 'warning',
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "actionLabel" TEXT,
    "actionUrl" TEXT,
    "entityType" TEXT,
    "entityId" TEXT,
    "dueAt" TIMESTAMP(3),
    "escalatedAt" TIMESTAMP(3),
    "status" TEXT NOT NULL DEFAULT 'OPEN',
    "resolvedAt" TIMESTAMP(3),
    "resolvedBy" TEXT,
    "occurrences" INTEGER NOT NULL DEFAULT 1,
    "data" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Task_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MarketplaceConnection_shop_idx" ON "MarketplaceConnection"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "MarketplaceConnection_shop_name_key" ON "MarketplaceConnection"("shop", "name");

-- CreateIndex
CREATE INDEX "SkuMapping_shopifyInventoryItemId_idx" ON "SkuMapping"("shopifyInventoryItemId");

-- CreateIndex
CREATE UNIQUE INDEX "SkuMapping_connectionId_offerSku_key" ON "SkuMapping"("connectionId", "offerSku");

-- CreateIndex
CREATE UNIQUE INDEX "CarrierMapping_connectionId_shopifyCarrierKey_key" ON "CarrierMapping"("connectionId", "shopifyCarrierKey");

-- CreateIndex
CREATE INDEX "OrderLink_shop_importStatus_idx" ON "OrderLink"("shop", "importStatus");

-- CreateIndex
CREATE INDEX "OrderLink_shopifyOrderId_idx" ON "OrderLink"("shopifyOrderId");

-- CreateIndex
CREATE INDEX "OrderLink_connectionId_miraklState_idx" ON "OrderLink"("connectionId", "miraklState");

-- CreateIndex
CREATE UNIQUE INDEX "OrderLink_connectionId_miraklOrderId_key" ON "OrderLink"("connectionId", "miraklOrderId");

-- CreateIndex
CREATE UNIQUE INDEX "FulfillmentLink_shopifyFulfillmentId_key" ON "FulfillmentLink"("shopifyFulfillmentId");

-- CreateIndex
CREATE INDEX "FulfillmentLink_orderLinkId_idx" ON "FulfillmentLink"("orderLinkId");

-- CreateIndex
CREATE INDEX "FulfillmentLink_connectionId_status_idx" ON "FulfillmentLink"("connectionId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "RefundRequest_shopifyRefundId_key" ON "RefundRequest"("shopifyRefundId");

-- CreateIndex
CREATE INDEX "RefundRequest_orderLinkId_idx" ON "RefundRequest"("orderLinkId");

-- CreateIndex
CREATE INDEX "InventorySku_connectionId_dirty_idx" ON "InventorySku"("connectionId", "dirty");

-- CreateIndex
CREATE UNIQUE INDEX "InventorySku_connectionId_offerSku_key" ON "InventorySku"("connectionId", "offerSku");

-- CreateIndex
CREATE INDEX "StockImport_connectionId_status_idx" ON "StockImport"("connectionId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_webhookId_key" ON "WebhookDelivery"("webhookId");

-- CreateIndex
CREATE INDEX "WebhookDelivery_shop_topic_idx" ON "WebhookDelivery"("shop", "topic");

-- CreateIndex
CREATE INDEX "SyncEvent_entityType_entityId_createdAt_idx" ON "SyncEvent"("entityType", "entityId", "createdAt");

-- CreateIndex
CREATE INDEX "SyncEvent_shop_createdAt_idx" ON "SyncEvent"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "Task_shop_status_idx" ON "Task"("shop", "status");

-- CreateIndex
CREATE INDEX "Task_connectionId_kind_status_idx" ON "Task"("connectionId", "kind", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Task_shop_dedupeKey_key" ON "Task"("shop", "dedupeKey");

-- AddForeignKey
ALTER TABLE "SkuMapping" ADD CONSTRAINT "SkuMapping_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "MarketplaceConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CarrierMapping" ADD CONSTRAINT "CarrierMapping_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "MarketplaceConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderLink" ADD CONSTRAINT "OrderLink_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "MarketplaceConnection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

