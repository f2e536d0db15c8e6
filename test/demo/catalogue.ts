/** The demo brand's catalogue: the same SKUs as Shopify variants (with stock) and as Mirakl offers. */
export const DEMO_SHOP = "demo-brand.myshopify.com";
export const DEMO_ACCESS_TOKEN = "shpat_demo_brand_offline_token";
export const DEMO_MIRAKL_API_KEY = "demo-mirakl-key-5f3a9c";
export const DEMO_LOCATIONS = ["London warehouse", "Leeds store"] as const;

export const DEMO_PRODUCTS: Array<{ title: string; variants: Array<{ sku: string; title: string; price: number; stock: [number, number] }> }> = [
  {
    title: "Breton stripe top",
    variants: [
      { sku: "BRETON-NAVY-S", title: "Navy / S", price: 39.95, stock: [40, 6] },
      { sku: "BRETON-NAVY-M", title: "Navy / M", price: 39.95, stock: [55, 8] },
      { sku: "BRETON-NAVY-L", title: "Navy / L", price: 39.95, stock: [30, 4] },
    ],
  },
  {
    title: "Quilted gilet",
    variants: [
      { sku: "GILET-OLIVE-M", title: "Olive / M", price: 69.95, stock: [20, 2] },
      { sku: "GILET-OLIVE-L", title: "Olive / L", price: 69.95, stock: [14, 0] },
    ],
  },
  {
    title: "Welly boots",
    variants: [
      { sku: "WELLY-FLORAL-5", title: "Floral / 5", price: 34.95, stock: [25, 5] },
      { sku: "WELLY-FLORAL-6", title: "Floral / 6", price: 34.95, stock: [3, 1] },
    ],
  },
  { title: "Canvas tote", variants: [{ sku: "TOTE-CANVAS", title: "Default", price: 19.95, stock: [120, 30] }] },
];

export const DEMO_SKUS = DEMO_PRODUCTS.flatMap((p) => p.variants);
