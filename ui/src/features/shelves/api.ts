//! The shelves: receiving a shipment into cells (приёмка; opened by scanning the shipment's code,
//! items and cell labels arrive through `scan`), finding an item and moving it, its history with
//! the evidence export, and the items past their storage period going to returns.
import type { CounterView, ItemHistoryView } from "../../bindings";
import type { ClaimStatus } from "../../bindings/ClaimStatus";
import { commandCaller } from "../../ipc/command";

export const COMMANDS = [
  "mark_damaged",
  "attach_damage_photo",
  "close_receiving",
  "cancel_receiving",
  "find_item",
  "dismiss_found_item",
  "move_item",
  "open_expiry",
  "close_expiry",
  "move_expired_to_returns",
  "item_history",
  "item_claims",
  "export_evidence_bundle",
] as const;
const call = commandCaller<(typeof COMMANDS)[number]>();

// Приёмка: the open receiving session (`receiving`).
export const markDamaged = (itemId: string, description: string) =>
  call<CounterView>("mark_damaged", { itemId, description });
export const attachDamagePhoto = (itemId: string, dataBase64: string) =>
  call<CounterView>("attach_damage_photo", { itemId, dataBase64 });
/** Завершить приёмку: what was not scanned is recorded as missing. */
export const closeReceiving = () => call<CounterView>("close_receiving");
/** Drops the session; only while nothing is placed yet. */
export const cancelReceiving = () => call<CounterView>("cancel_receiving");

// Ячейки: find an item by any code, move it (a cell label scanned next moves it too).
export const findItem = (code: string) => call<CounterView>("find_item", { code });
export const dismissFoundItem = () => call<CounterView>("dismiss_found_item");
/** `toCell`: `A-07` or a scanned `PVZL1:A-07`. */
export const moveItem = (itemId: string, toCell: string) =>
  call<CounterView>("move_item", { itemId, toCell });

// Срок хранения: the items past their storage period (`expiry`) and moving them to returns.
export const openExpiry = () => call<CounterView>("open_expiry");
export const closeExpiry = () => call<CounterView>("close_expiry");
export const moveExpiredToReturns = (itemIds: string[]) =>
  call<CounterView>("move_expired_to_returns", { itemIds });

// История товара и доказательства (the found item's card shows it).
/** `code`: an item id, a return label or an item code. */
export const itemHistory = (code: string) => call<ItemHistoryView>("item_history", { code });
/** The item's claims as the server holds them now, newest first; rejects when offline. */
export const itemClaims = (itemId: string) => call<ClaimStatus[]>("item_claims", { itemId });
/** Saves the evidence bundle (zip) of the item, for one event when given; resolves with its path. */
export const exportEvidenceBundle = (code: string, eventId: string | null) =>
  call<string>("export_evidence_bundle", { code, eventId });
