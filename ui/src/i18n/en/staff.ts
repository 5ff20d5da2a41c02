//! English strings of the staff; the same keys as ru/staff.ts (typed against it).
import type { Messages } from "../ru";

export const login: Messages["login"] = {
  title: "PIN login",
  lockedTitle: "The counter is locked",
  idleLocked: "The counter locked after idle time. Was working: {{name}}. Enter a PIN to continue.",
  shiftOpen: "The shift has been open since {{time}}.",
  manager: "Manager",
  lockedUntil: "locked until {{time}}",
  pinFor: "PIN: {{name}}",
  pickManager: "Pick yourself from the list",
  keypad: "PIN digits",
  erase: "Erase a digit",
  submit: "Log in",
  waitingForSync:
    "The list of managers is being refreshed from the server. Wait for sync — the login appears by itself.",
};

export const shift: Messages["shift"] = {
  startTitle: "No shift is open",
  hello: "Hello, {{name}}!",
  startHint:
    "Open the shift to start work: every operation until it closes goes into the shift report.",
  open: "Open shift",
  none: "No shift is open",
  openSince: "Shift open since {{time}}",
  running: "Orders issued: {{orders}} · taken: {{money}}",
  close: "Close shift",
  closeTitle: "Close the shift?",
  closeHint:
    "The shift report is made and sent to the server. Open a new shift to go on working after closing.",
  closeConfirm: "Close shift",
  reportTitle: "Shift report",
  saveCsv: "Save CSV",
  opened: "Opened",
  closed: "Closed",
  ordersIssued: "Orders issued",
  itemsHandedOver: "Items handed over",
  itemsRefused: "Items refused at issue",
  itemsNotArrived: "Items not arrived (issued without them)",
  moneyTaken: "Money taken",
  fees: "Of which return-shipping fees",
  refunds: "Refunds to buyers (refusals and items that never arrived)",
  claimReturns: "Claim returns",
  claimReturnsValue: "{{count}} for {{amount}}",
  handBacks: "Courier hand-backs",
  handBacksValue: "hand-backs: {{count}}, items: {{items}}",
  boxes: "Boxes handed over",
  boxesValue: "{{count}} (items: {{items}})",
  unredeemed: "Unredeemed sent to returns",
  refusalsTitle: "Refusals by reason",
  reason: "Reason",
  atCounter: "At issue",
  fromCouriers: "From couriers",
  opsPending:
    "Operations of the shift not sent to the server yet: {{count}} — the amounts may change after sync.",
  opsRejected: "Rejected by the server: {{count}} — their amounts are left out (see Attention).",
};
