//! Выдача: the open order's commands — decide each item (hand over, refuse, not arrived), attach a
//! defect photo, confirm the issue and close its receipt. The order itself opens by a scan.
import type { CounterView, ItemDecision } from "../../bindings";
import { commandCaller } from "../../ipc/command";

export const COMMANDS = [
  "decide_item",
  "hand_over_rest",
  "attach_defect_photo",
  "clear_decision",
  "confirm_issue",
  "set_aside",
  "dismiss_receipt",
] as const;
const call = commandCaller<(typeof COMMANDS)[number]>();

export const decideItem = (orderId: string, itemId: string, decision: ItemDecision) =>
  call<CounterView>("decide_item", { orderId, itemId, decision });
/** Hands over every undecided item of the order in one step (F2). */
export const handOverRest = (orderId: string) => call<CounterView>("hand_over_rest", { orderId });
/** Attaches a photo (base64 of the file's bytes) to an item refused as a defect. */
export const attachDefectPhoto = (orderId: string, itemId: string, dataBase64: string) =>
  call<CounterView>("attach_defect_photo", { orderId, itemId, dataBase64 });
export const clearDecision = (orderId: string, itemId: string) =>
  call<CounterView>("clear_decision", { orderId, itemId });
/** The returned view has `receipt` set and `active` null. */
export const confirmIssue = (orderId: string, shownToCollect: number, paymentTaken: boolean) =>
  call<CounterView>("confirm_issue", { orderId, shownToCollect, paymentTaken });
/** Closes the open order card; its decisions stay stored. */
export const setAside = () => call<CounterView>("set_aside");
export const dismissReceipt = () => call<CounterView>("dismiss_receipt");
