//! Everything that comes back to the point: the claim return a scanned claim code opened
//! (`claim_return`), a courier's hand-back started by the courier's badge (`hand_back`), and the
//! returns desk where returned units go into boxes handed to a driver (`returns`).
import type { CounterView, ItemDecision } from "../../bindings";
import { commandCaller } from "../../ipc/command";

export const COMMANDS = [
  "refresh_claim_status",
  "check_claim_item",
  "set_claim_condition",
  "attach_claim_photo",
  "accept_claim_return",
  "cancel_claim_return",
  "dismiss_return_label",
  "load_courier_manifest",
  "set_hand_back_reason",
  "remove_hand_back_item",
  "complete_hand_back",
  "cancel_hand_back",
  "dismiss_hand_back_act",
  "open_returns",
  "close_returns",
  "create_box",
  "add_to_box",
  "remove_from_box",
  "close_box",
  "hand_over_boxes",
  "dismiss_handover_act",
] as const;
const call = commandCaller<(typeof COMMANDS)[number]>();

// Приём возврата по претензии: the claim a scanned claim return code opened (`claim_return`).
/** Asks the server for the claim's current state (online); offline the signature stands. */
export const refreshClaimStatus = () => call<CounterView>("refresh_claim_status");
/** The claim's item has no barcode (`check_by_eye`): the manager confirms it is the right one. */
export const checkClaimItem = () => call<CounterView>("check_claim_item");
/** The item's condition as the manager noted it (accepting needs one). */
export const setClaimCondition = (text: string) =>
  call<CounterView>("set_claim_condition", { text });
export const attachClaimPhoto = (dataBase64: string) =>
  call<CounterView>("attach_claim_photo", { dataBase64 });
/** Takes the item in; the view then has `return_label` set and `claim_return` null. */
export const acceptClaimReturn = () => call<CounterView>("accept_claim_return");
/** Closes the claim without taking anything in. */
export const cancelClaimReturn = () => call<CounterView>("cancel_claim_return");
export const dismissReturnLabel = () => call<CounterView>("dismiss_return_label");

// Приём отказов от курьера: started by scanning the courier's badge (`hand_back`).
/** Fetches the courier's manifest of refused items from the server (online). */
export const loadCourierManifest = () => call<CounterView>("load_courier_manifest");
/** Why the courier brought the item back: the refusal dialog's decision (reason, description). */
export const setHandBackReason = (returnId: string, decision: ItemDecision) =>
  call<CounterView>("set_hand_back_reason", { returnId, decision });
export const removeHandBackItem = (returnId: string) =>
  call<CounterView>("remove_hand_back_item", { returnId });
/** The view then has `hand_back_act` set and `hand_back` null. */
export const completeHandBack = (acceptedBy: string) =>
  call<CounterView>("complete_hand_back", { acceptedBy });
export const cancelHandBack = () => call<CounterView>("cancel_hand_back");
export const dismissHandBackAct = () => call<CounterView>("dismiss_hand_back_act");

// Отправка возвратов: the returns desk (`returns`); scans of returned units go into the open box.
export const openReturns = () => call<CounterView>("open_returns");
export const closeReturns = () => call<CounterView>("close_returns");
export const createBox = () => call<CounterView>("create_box");
/** Puts a waiting unit into the open box, as scanning its return label would. */
export const addToBox = (returnId: string) => call<CounterView>("add_to_box", { returnId });
export const removeFromBox = (returnId: string) =>
  call<CounterView>("remove_from_box", { returnId });
/** The closed box then has its label (QR text and image). */
export const closeBox = () => call<CounterView>("close_box");
/** Hands every closed box to the driver whose badge was scanned; sets `handover_act`. */
export const handOverBoxes = (driverId: string) =>
  call<CounterView>("hand_over_boxes", { driverId });
export const dismissHandoverAct = () => call<CounterView>("dismiss_handover_act");
