//! English strings of the returns; the same keys as ru/returns.ts (typed against it).
import type { Messages } from "../ru";

export const compensation: Messages["compensation"] = {
  refund: "Refund",
  replacement: "Replacement",
  missing_part: "Missing part delivered",
};

export const returnSource: Messages["returnSource"] = {
  counter_refusal: "refused at the counter",
  claim: "claim return",
  courier: "from a courier",
  unredeemed: "not collected",
};

export const claim: Messages["claim"] = {
  title: "Claim return",
  serverState: "Claim",
  state: {
    open: "awaiting the seller's decision",
    approved: "approved by the seller",
    rejected: "rejected by the seller",
    revoked: "revoked",
    fulfilled: "return already accepted",
  },
  signatureOnly: "signature checked (offline)",
  refresh: "Check with the server",
  item: "Item",
  itemUnnamed: "name comes from the server · {{code}}",
  compensation: "Compensation",
  amount: "Refund amount",
  deadline: "Return deadline",
  decisionLabel: "Decision",
  decision: {
    under_review: "under review",
    approved: "approved",
    rejected: "rejected",
    disputed: "disputed by the buyer",
    revoked: "revoked",
  },
  fateLabel: "Claimed item",
  fate: {
    with_buyer: "stays with the buyer",
    to_pickup_point: "the buyer brings it to a pickup point",
    to_seller: "the buyer sends it to the seller",
    at_pickup_point: "taken back at a pickup point",
    at_seller: "with the seller",
  },
  checkPrompt: "Scan the item to check it against the claim",
  checked: "Item matches the claim",
  condition: "Item condition",
  conditionPlaceholder: "E.g. signs of wear, packaging opened, tags attached",
  addPhoto: "Item photo",
  accept: "Accept the return",
  cancel: "Cancel",
  close: "Close",
  missingPart:
    "The missing part is delivered to the buyer as a separate order: no item to take back.",
  checkedAt: "checked at {{time}}",
  reason: "Reason: {{reason}}",
  checkByEyePrompt: "The item has no barcode: check it against the claim by eye",
  checkByEye: "Item checked",
  needCheck: "Check the item against the claim first",
  needCondition: "Note the item's condition",
  refusalTitle: "Do not accept this return",
  refusal: {
    not_approved: "The seller has not approved the claim.",
    rejected: "The seller rejected the claim.",
    revoked: "The claim was revoked.",
    already_used: "The return for this claim was already accepted.",
    expired: "The return deadline passed on {{time}}.",
    to_seller: "This item goes back to the seller directly — do not accept it.",
    no_return: "The item stays with the buyer; no return through a pickup point is needed.",
    code_replaced: "This code was replaced; ask the buyer for the new code.",
  },
};

export const returnLabel: Messages["returnLabel"] = {
  title: "Return accepted",
  refund: "Refund to the buyer",
  acceptedAt: "Accepted",
  stick: "Stick the label on the item and put it with the returns.",
  qrAlt: "Return label QR code",
};

export const handBack: Messages["handBack"] = {
  title: "Courier hand-back",
  courier: "Courier",
  missing: "Missing: {{count}}",
  extra: "Not on the list: {{count}}",
  noManifest:
    "The courier's list is not loaded (offline): scan the items, they are recorded as they come.",
  loadManifest: "Load the courier's list",
  scanPrompt: "Scan the courier's items one by one",
  linesLabel: "Courier's items",
  state: {
    scanned: "Taken in",
    missing: "Not scanned",
    extra: "Not on the list",
  },
  chooseReason: "Set the reason",
  changeReason: "Change the reason",
  remove: "Remove",
  defectHint: "Defect — no charge and no return shipping",
  defectFree: "defect — no charge and no return shipping",
  feeSetByServer: "fee set by the server",
  acceptedBy: "Accepted by (pickup point staff)",
  acceptedByPlaceholder: "Full name",
  needItems: "Scan at least one item",
  needReasons: "Set the refusal reason: {{count}} left",
  needName: "Enter who accepted the items",
  complete: "Complete",
  cancel: "Cancel the hand-back",
};

export const handBackAct: Messages["handBackAct"] = {
  title: "Hand-back acceptance act",
  courier: "Handed back by courier",
  acceptedBy: "Accepted by",
  completedAt: "Time",
  accepted: "Items accepted: {{count}}",
  discrepancies: "Discrepancies with the courier's list",
  none: "No discrepancies",
  missing: "Not handed back by the courier: {{count}}",
  extra: "Handed back but not on the list: {{count}}",
  fees: "Fees charged to buyers",
  feesSetByServer:
    "The fee of an item not on the courier's list is set by the server when it syncs (none for an extra); it is not in the total.",
};

export const returns: Messages["returns"] = {
  title: "Returns dispatch",
  close: "Close",
  waiting: "Waiting to be packed",
  waitingEmpty: "Every return is packed",
  noOpenBox: "No open box",
  openBox: "Box {{id}}",
  newBox: "New box",
  scanIntoBox: "Scan return labels: they go into this box",
  boxEmpty: "The box is empty",
  remove: "Remove",
  addToBox: "Into the box",
  addNeedsBox: "Open a box first (F2)",
  unitLabel: "Label",
  closeBox: "Close the box",
  closedBoxes: "Closed boxes",
  closedEmpty: "No closed boxes",
  box: "Box {{id}}",
  items: "items: {{count}}",
  label: "Label of box {{id}}",
  qrAlt: "Box label QR code",
  driverPrompt: "Scan the driver's badge",
  driver: "Driver",
  handOver: "Hand over boxes: {{count}}",
};

export const handoverAct: Messages["handoverAct"] = {
  title: "Box handover act",
  driver: "Received by driver",
  handedAt: "Time",
  boxes: "Boxes: {{count}}",
  items: "Items in total",
};
