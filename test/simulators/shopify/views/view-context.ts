/**
 * What every GraphQL view needs. Views are plain objects whose own properties are the schema fields they implement
 * (values, getters, or functions called with the field arguments); a field that is not an own property fails loudly
 * (see graphql/strict-resolver.ts), so nothing is ever silently null.
 */
import type { ShopRec } from "../model";
import type { SimStore } from "../store";

export interface ViewCtx {
  store: SimStore;
  shop: ShopRec;
  /** Inside bulkOperationRunQuery: connections ignore page sizes (notes.md §4.7). */
  unbounded: boolean;
  /** Origin of the simulator, for URLs it serves (bulk results). */
  baseUrl: string;
}
