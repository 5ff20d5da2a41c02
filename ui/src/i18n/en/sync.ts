//! English strings of the sync strip; the same keys as ru/sync.ts (typed against it).
import type { Messages } from "../ru";

export const sync: Messages["sync"] = {
  unreachable: "All saved; sent when back online",
  refused: "The server did not accept the sync; retrying automatically.",
  label: "Sync",
  online: "Online",
  offline: "Offline",
  notConnected: "No server",
  syncing: "Syncing…",
  waiting: "Waiting to send",
  photosWaiting: "photos waiting to upload: {{n}}",
  photosFailed: "photos the server refused: {{n}}",
  last: "Last sync",
  never: "not yet",
  syncNow: "Sync now",
  attention: "Attention",
  attentionTitle: "Operations the server rejected",
  close: "Close",
  order: "Order {{code}}",
  reason: "Reason",
  resolved: "Resolved",
  resolvedTitle: "Mark the operation as dealt with: it leaves the list",
  more: "and {{n}} more",
  catchUp: "Loading data from the server: {{done}} of {{total}}",
  diagnostics: "Diagnostics",
  diagnosticsTitle:
    "Save an archive for support: logs, versions, sync state, a store check. No passwords or codes.",
  diagnosticsSaving: "Saving…",
  diagnosticsSaved: "The archive for support is saved at",
  diagnosticsFailed: "The archive was not saved.",
  kind: {
    issue_opened: "Order opened",
    item_decided: "Item decision",
    item_decision_cleared: "Item decision cleared",
    defect_photo_attached: "Defect photo",
    issue_completed: "Order issued",
    claim_return_accepted: "Claim return accepted",
    courier_hand_back_completed: "Courier hand-back",
    return_box_closed: "Return box closed",
    boxes_handed_over: "Boxes handed to a driver",
    shipment_received: "Shipment received",
    item_moved: "Item moved",
    shelf_expired: "Unredeemed to returns",
    shift_opened: "Shift opened",
    shift_closed: "Shift closed",
  },
  rejectCode: {
    claim_code_missing:
      "Queued before the update without the claim's return code: nothing was paid. The item is at the point; settle the claim with the network.",
    claim_code_invalid: "The claim's return code was not one the network issued: nothing was paid.",
    claim_code_mismatch: "The return code belongs to another claim or item: nothing was paid.",
    claim_to_seller:
      "This claim's item goes back to the seller directly; the pickup point should not have taken it.",
    claim_no_return:
      "This claim's item stays with the buyer; no return through a pickup point is needed.",
    claim_code_replaced:
      "The return code was replaced by a new one: the item was taken on the old code, the claim is not closed.",
    claim_return_expired: "The claim's return deadline had passed when the item was taken.",
    invalid_input:
      "The server could not read this operation (a text or list too long, or a field it does not know). Nothing of it was recorded.",
    other_point: "This operation names another pickup point's order; the server did not apply it.",
  },
};
