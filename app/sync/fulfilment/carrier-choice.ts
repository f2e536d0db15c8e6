/**
 * What the Carriers screen pre-selects for a tracking company and when its Save button may be pressed (pure, safe in
 * the browser bundle). A suggestion is a guess ("Royal Mail" could be RM24 or RM48): pre-selecting it would let one
 * click send every held shipment with a carrier nobody chose, and Mirakl would show the customer the wrong service.
 * So only a carrier the merchant saved is ever pre-selected; suggestions are listed for a deliberate pick.
 */

/** The Select's value that means "send as an unlisted carrier (name + tracking link)". */
export const UNLISTED_CHOICE = "__unlisted__";

export interface SavedCarrierChoice {
  miraklCarrierCode: string | null;
  useUnregistered: boolean;
}

/** The saved choice, or nothing: never a suggestion. */
export function initialCarrierChoice(saved: SavedCarrierChoice, allowUnregistered: boolean): string {
  if (saved.useUnregistered && allowUnregistered) return UNLISTED_CHOICE;
  return saved.miraklCarrierCode ?? "";
}

/** Save is enabled once a carrier is chosen, and (for a row that already works) only when the choice changed. */
export function canSaveCarrierChoice(choice: string, saved: SavedCarrierChoice, needsCarrier: boolean): boolean {
  if (choice === "") return false;
  if (needsCarrier) return true;
  return choice !== (saved.useUnregistered ? UNLISTED_CHOICE : (saved.miraklCarrierCode ?? ""));
}
