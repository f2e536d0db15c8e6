/**
 * Public entry of the Mirakl seller-API simulator (test/simulators/mirakl). See README.md beside it.
 */
export { startMiraklSimulator, DEFAULT_API_KEY } from "./simulator";
export type { MiraklSimulator, StartMiraklSimulatorOptions } from "./simulator";
export type { MiraklControl, OfferSnapshot } from "./control";
export type { OrderJson } from "./order-view";
export { MiraklApiError } from "./sim-errors";
export { presetTenant, TIME } from "./presets";
export { PRESET_NAMES } from "./types";
export type {
  Carrier,
  CreateOrderInput,
  FaultConfig,
  GeneratorOptions,
  OrderLineState,
  OrderState,
  PresetName,
  RateLimit,
  Reason,
  RefundInPortalLine,
  ShippingType,
  SimulatorStats,
  TaxMode,
  TenantConfig,
} from "./types";
