//! English strings of the issue; the same keys as ru/issue.ts (typed against it).
import type { Messages } from "../ru";

export const order: Messages["order"] = {
  title: "Order {{code}}",
  buyer: "Buyer",
  status: {
    ready: "Ready for pickup",
    in_progress: "Pickup started",
    issued: "Issued",
  },
  cell: "Cell",
  prepaid: "Prepaid",
  payAtCounter: "Pay at counter",
  handOver: "Hand over",
  refuse: "Refuse",
  change: "Change",
  addPhoto: "Defect photo",
  photos: "Photos: {{count}}",
  decidedHandOver: "Handing over",
  decidedRefuse: "Refused: {{reason}}",
  handOverAll: "Hand over the rest",
  setAside: "Set aside",
  confirmPaid: "Payment taken — issue",
  confirmFree: "Issue",
  missingAtReceiving: "Not arrived: recorded missing at receiving",
  notArrived: "Not at the point",
  foundHandOver: "Found — hand over",
  decidedNotArrived: "Not arrived — not handed over",
  itemsLabel: "Order items",
};

export const summary: Messages["summary"] = {
  title: "Total",
  toCollect: "To collect",
  goods: "Goods",
  fees: "Fees",
  toRefund: "To refund to the buyer",
  undecided: "Still to decide: {{count}}",
  allDecided: "Every item is decided",
};

export const receipt: Messages["receipt"] = {
  title: "Order {{code}} issued",
  time: "Issued at",
  handedOver: "Handed over",
  refused: "Refused",
  nothing: "none",
  notArrived: "Not arrived (not charged)",
  collected: "Collected from the buyer",
  refunded: "Refunded to the buyer",
  qrAlt: "QR code of the issue operation",
  next: "Next buyer",
};

export const keys: Messages["keys"] = {
  handOverAll: "F2 — hand over the rest",
  confirm: "F9 — confirm issue",
  setAside: "Esc — set the order aside",
};
