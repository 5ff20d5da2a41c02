//! English strings shared by every screen; the same keys as ru/common.ts (typed against it).
import type { Messages } from "../ru";

export const header: Messages["header"] = {
  status: {
    demoOffline: "Demo data, offline",
    notEnrolled: "Counter not connected",
  },
  opsWaiting: "Queued",
  opsWaitingHint: "Operations waiting to be sent to the server",
  switchTo: "RU",
  switchToLabel: "Переключить на русский",
  shift: "Shift since {{time}}",
  shiftHint: "This counter's open shift",
  logOut: "Log out",
  logOutHint: "Log out and lock the counter: the PIN login shows",
};

export const manual: Messages["manual"] = {
  label: "Buyer or item code",
  submit: "Find",
  placeholder: "e.g. 482137, or scan the QR",
};

export const home: Messages["home"] = {
  also: "Also: a claim return code, a courier's badge or a shipment's code to receive it",
  findItem: "Find an item",
  overdue: "Storage period over, items: {{count}}",
  overdueAction: "Move to returns",
  returnsDesk: "Returns and boxes",
  prompt: "Scan the buyer's QR code or type the code",
  recentTitle: "Issued today",
  recentEmpty: "No orders issued yet today",
  counts: "handed over {{handedOver}} / refused {{refused}}",
  notArrived: "not arrived {{count}}",
};

export const common: Messages["common"] = {
  done: "Done",
  cancel: "Cancel",
};

export const reason: Messages["reason"] = {
  defect: "Defect",
  did_not_fit: "Did not fit",
  changed_mind: "Changed mind",
  wrong_item: "Wrong item",
  incomplete: "Incomplete",
};

export const reasonShort: Messages["reasonShort"] = {
  defect: "defect",
  did_not_fit: "did not fit",
  changed_mind: "changed mind",
  wrong_item: "wrong item",
  incomplete: "incomplete",
};

export const fee: Messages["fee"] = {
  defect_free: "defect — free return",
  seller_fault_free: "seller's fault — free",
  policy_fee: "return logistics fee: {{amount}}",
  no_fee_in_policy: "no fee under the pickup point policy",
};

export const refuse: Messages["refuse"] = {
  title: "Refuse: {{name}}",
  reasonLegend: "Reason (keys 1–5)",
  description: "Defect description",
  descriptionPlaceholder: "What is wrong: a stain on the sleeve, a button torn off…",
  pickReason: "Choose a reason",
  confirm: "Record refusal",
  confirmAndRest: "Refuse and hand over the rest",
  cancel: "Cancel",
  feeDefect: "Defect — free return",
  feeSellerFault: "Seller's fault — free",
  feePolicy: "A return logistics fee may apply under the pickup point policy",
};

export const print: Messages["print"] = {
  printer: "Printer",
  loading: "Looking for printers…",
  none: "no printers",
  noPrinters: "No printers found: save a PDF and print it from another computer.",
  unavailable:
    "The printing service is unavailable: save a PDF and print it from another computer.",
  print: "Print",
  savePdf: "Save PDF",
  savePng: "Save PNG",
  printed: "Sent to the printer: {{printer}} (job {{job}})",
  saved: "Saved:",
};
