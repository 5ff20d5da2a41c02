//! Typed wrappers over the kiosk's Tauri commands. The UI never talks to the network itself:
//! every read and every counter action goes through `invoke`, and a rejection carries a KioskError.
import { invoke } from "@tauri-apps/api/core";
import type {
  CellView,
  CounterView,
  DocumentFormat,
  DocumentRef,
  ItemDecision,
  ItemHistoryView,
  KioskError,
  PrinterView,
  ScanOutcome,
  SessionView,
  SyncStatusView,
} from "./bindings";

export const api = {
  counterView: () => invoke<CounterView>("counter_view"),
  /** `input` is the raw string as typed or scanned; the backend normalizes layout and prefixes. */
  scan: (input: string) => invoke<ScanOutcome>("scan", { input }),
  decideItem: (orderId: string, itemId: string, decision: ItemDecision) =>
    invoke<CounterView>("decide_item", { orderId, itemId, decision }),
  /** Hands over every undecided item of the order in one step (F2). */
  handOverRest: (orderId: string) => invoke<CounterView>("hand_over_rest", { orderId }),
  /** Attaches a photo (base64 of the file's bytes) to an item refused as a defect. */
  attachDefectPhoto: (orderId: string, itemId: string, dataBase64: string) =>
    invoke<CounterView>("attach_defect_photo", { orderId, itemId, dataBase64 }),
  clearDecision: (orderId: string, itemId: string) =>
    invoke<CounterView>("clear_decision", { orderId, itemId }),
  /** The returned view has `receipt` set and `active` null. */
  confirmIssue: (orderId: string, shownToCollect: number, paymentTaken: boolean) =>
    invoke<CounterView>("confirm_issue", { orderId, shownToCollect, paymentTaken }),
  /** Closes the open order card; its decisions stay stored. */
  setAside: () => invoke<CounterView>("set_aside"),
  dismissReceipt: () => invoke<CounterView>("dismiss_receipt"),
  /** Called after the first frame and after the first frame with data (cold-start metrics). */
  uiReady: (stage: "first_frame" | "data") => invoke<void>("ui_ready", { stage }),
  /** The sync status strip's data; later changes arrive as `sync-status` events. */
  syncStatus: () => invoke<SyncStatusView>("sync_status"),
  /** Wakes the sync engine now; rejects with not_connected when the kiosk has no server. */
  syncNow: () => invoke<SyncStatusView>("sync_now"),
  /**
   * "Разобрано": the manager has dealt with the rejected op `seq`; it leaves the attention list.
   * Resolves with the status without it; rejects with invalid_input for an op that is not rejected.
   */
  acknowledgeAttention: (seq: number) => invoke<SyncStatusView>("acknowledge_attention", { seq }),
  /**
   * Connects a kiosk that is not enrolled yet: exchanges the one-time `code` (any case, dashes
   * optional) at `serverUrl` and starts sync. The view names the pickup point; its orders follow
   * with the first sync. `deviceName` null: the host name.
   */
  enroll: (serverUrl: string, code: string, deviceName: string | null) =>
    invoke<CounterView>("enroll", { serverUrl, code, deviceName }),

  // Приём возврата по претензии: the claim a scanned claim return code opened (`claim_return`).
  /** Asks the server for the claim's current state (online); offline the signature stands. */
  refreshClaimStatus: () => invoke<CounterView>("refresh_claim_status"),
  /** The claim's item has no barcode (`check_by_eye`): the manager confirms it is the right one. */
  checkClaimItem: () => invoke<CounterView>("check_claim_item"),
  /** The item's condition as the manager noted it (accepting needs one). */
  setClaimCondition: (text: string) => invoke<CounterView>("set_claim_condition", { text }),
  attachClaimPhoto: (dataBase64: string) =>
    invoke<CounterView>("attach_claim_photo", { dataBase64 }),
  /** Takes the item in; the view then has `return_label` set and `claim_return` null. */
  acceptClaimReturn: () => invoke<CounterView>("accept_claim_return"),
  /** Closes the claim without taking anything in. */
  cancelClaimReturn: () => invoke<CounterView>("cancel_claim_return"),
  dismissReturnLabel: () => invoke<CounterView>("dismiss_return_label"),

  // Приём отказов от курьера: started by scanning the courier's badge (`hand_back`).
  /** Fetches the courier's manifest of refused items from the server (online). */
  loadCourierManifest: () => invoke<CounterView>("load_courier_manifest"),
  /** Why the courier brought the item back: the refusal dialog's decision (reason, description). */
  setHandBackReason: (returnId: string, decision: ItemDecision) =>
    invoke<CounterView>("set_hand_back_reason", { returnId, decision }),
  removeHandBackItem: (returnId: string) =>
    invoke<CounterView>("remove_hand_back_item", { returnId }),
  /** The view then has `hand_back_act` set and `hand_back` null. */
  completeHandBack: (acceptedBy: string) =>
    invoke<CounterView>("complete_hand_back", { acceptedBy }),
  cancelHandBack: () => invoke<CounterView>("cancel_hand_back"),
  dismissHandBackAct: () => invoke<CounterView>("dismiss_hand_back_act"),

  // Отправка возвратов: the returns desk (`returns`); scans of returned units go into the open box.
  openReturns: () => invoke<CounterView>("open_returns"),
  closeReturns: () => invoke<CounterView>("close_returns"),
  createBox: () => invoke<CounterView>("create_box"),
  /** Puts a waiting unit into the open box, as scanning its return label would. */
  addToBox: (returnId: string) => invoke<CounterView>("add_to_box", { returnId }),
  removeFromBox: (returnId: string) => invoke<CounterView>("remove_from_box", { returnId }),
  /** The closed box then has its label (QR text and image). */
  closeBox: () => invoke<CounterView>("close_box"),
  /** Hands every closed box to the driver whose badge was scanned; sets `handover_act`. */
  handOverBoxes: (driverId: string) => invoke<CounterView>("hand_over_boxes", { driverId }),
  dismissHandoverAct: () => invoke<CounterView>("dismiss_handover_act"),

  // Documents: receipts, labels and acts, printed through the system or saved as a file.
  /** The print queues of the system's scheduler (CUPS), the default marked. */
  listPrinters: () => invoke<PrinterView[]>("list_printers"),
  /** Sends the document to `printer` (a name from listPrinters); resolves with the job's id. */
  printDocument: (document: DocumentRef, printer: string) =>
    invoke<string>("print_document", { document, printer }),
  /** Saves the document as a file; resolves with the saved file's path. */
  exportDocument: (document: DocumentRef, format: DocumentFormat) =>
    invoke<string>("export_document", { document, format }),

  // Вход по PIN и смена: who works the counter (`session`) and the shift's report (`shift_report`).
  /**
   * Logs the manager in; rejects with wrong_pin (tries left in `detail`) or pin_locked (until when,
   * RFC 3339, in `detail`).
   */
  logIn: (employeeId: string, pin: string) => invoke<CounterView>("log_in", { employeeId, pin }),
  /** The PIN screen shows; an open shift stays open. */
  logOut: () => invoke<CounterView>("log_out"),
  /** Activity the backend does not see (keys, clicks): the session does not idle-lock meanwhile. */
  keepAlive: () => invoke<SessionView>("keep_alive"),
  openShift: () => invoke<CounterView>("open_shift"),
  /** The view then has the closed shift's `shift_report` (with `closed_at`) until dismissed. */
  closeShift: () => invoke<CounterView>("close_shift"),
  dismissShiftReport: () => invoke<CounterView>("dismiss_shift_report"),
  /** Saves the shift's report as CSV; resolves with the file's path (PDF: exportDocument). */
  exportShiftReportCsv: (shiftId: string) => invoke<string>("export_shift_report_csv", { shiftId }),

  // Приёмка: opened by scanning the shipment's code; items and cell labels arrive through `scan`.
  resumeReceiving: () => invoke<CounterView>("resume_receiving"),
  markDamaged: (itemId: string, description: string) =>
    invoke<CounterView>("mark_damaged", { itemId, description }),
  attachDamagePhoto: (itemId: string, dataBase64: string) =>
    invoke<CounterView>("attach_damage_photo", { itemId, dataBase64 }),
  /** Завершить приёмку: what was not scanned is recorded as missing. */
  closeReceiving: () => invoke<CounterView>("close_receiving"),
  /** Drops the session; only while nothing is placed yet. */
  cancelReceiving: () => invoke<CounterView>("cancel_receiving"),

  // Ячейки: find an item by any code, move it (a cell label scanned next moves it too).
  listCells: () => invoke<CellView[]>("list_cells"),
  findItem: (code: string) => invoke<CounterView>("find_item", { code }),
  dismissFoundItem: () => invoke<CounterView>("dismiss_found_item"),
  /** `toCell`: `A-07` or a scanned `PVZL1:A-07`. */
  moveItem: (itemId: string, toCell: string) =>
    invoke<CounterView>("move_item", { itemId, toCell }),

  // Срок хранения: the items past their storage period (`expiry`) and moving them to returns.
  openExpiry: () => invoke<CounterView>("open_expiry"),
  closeExpiry: () => invoke<CounterView>("close_expiry"),
  moveExpiredToReturns: (itemIds: string[]) =>
    invoke<CounterView>("move_expired_to_returns", { itemIds }),

  // История товара и доказательства.
  /** `code`: an item id, a return label or an item code. */
  itemHistory: (code: string) => invoke<ItemHistoryView>("item_history", { code }),
  /** Saves the evidence bundle (zip) of the item, for one event when given; resolves with its path. */
  exportEvidenceBundle: (code: string, eventId: string | null) =>
    invoke<string>("export_evidence_bundle", { code, eventId }),
};

/** The event the backend emits with a SyncStatusView on every change. */
export const SYNC_STATUS_EVENT = "sync-status";

/**
 * The error kinds this UI has a translated message for. Kept here rather than taken from the
 * bindings: the generated KioskError may type `kind` as a plain string, and a kind added to the
 * backend later must still reach the banner (it falls back to the backend's message).
 */
const KNOWN_ERROR_KINDS = [
  "unknown_code",
  "foreign_code",
  "bad_signature",
  "token_expired",
  "order_not_found",
  "already_issued",
  "order_cancelled",
  "item_not_in_order",
  "no_active_order",
  "defect_needs_description",
  "fee_policy_missing",
  "undecided_items",
  "payment_not_confirmed",
  "amount_changed",
  "not_enrolled",
  "invalid_input",
  "server_unreachable",
  "enrollment_refused",
  "enrolled_elsewhere",
  "not_connected",
  "credential_rejected",
  "upgrade_required",
  "sync_refused",
  "server_error",
  "claim_not_approved",
  "claim_rejected",
  "claim_revoked",
  "claim_already_used",
  "claim_other_item",
  "claim_nothing_to_return",
  "claim_item_not_checked",
  "claim_condition_missing",
  "no_active_claim",
  "unknown_badge",
  "retired_badge",
  "wrong_role",
  "hand_back_in_progress",
  "no_active_hand_back",
  "hand_back_empty",
  "reasons_missing",
  "no_open_box",
  "box_already_open",
  "empty_box",
  "not_among_waiting_returns",
  "no_boxes_to_hand_over",
  "driver_not_identified",
  "document_not_found",
  "printing_failed",
  "no_receiving_session",
  "receiving_in_progress",
  "shipment_already_received",
  "receiving_has_placements",
  "not_in_shipment",
  "already_placed",
  "cell_expected",
  "item_expected",
  "cell_full",
  "same_cell",
  "unknown_cell",
  "no_free_cell",
  "item_not_found",
  "not_on_shelf",
  "storage_policy_missing",
  "not_expired",
  "order_unredeemed",
  "order_not_arrived",
  "login_required",
  "wrong_pin",
  "pin_locked",
  "idle_locked",
  "shift_not_open",
  "shift_already_open",
  "not_a_manager",
  "pin_not_set",
  "internal",
] as const;

export type KnownErrorKind = (typeof KNOWN_ERROR_KINDS)[number];

const KNOWN: ReadonlySet<string> = new Set(KNOWN_ERROR_KINDS);

/** True when `kind` is one the UI has a translated message for. */
export function isKnownErrorKind(kind: string): kind is KnownErrorKind {
  return KNOWN.has(kind);
}

/**
 * Whatever a rejected invoke threw, as a KioskError. The backend rejects with `{kind, message, detail}`;
 * anything else (a missing command, a plain string from the IPC layer) becomes `internal`, and an
 * unknown `kind` is kept as is so the banner can fall back to `message`.
 */
export function toKioskError(thrown: unknown): KioskError {
  if (typeof thrown === "object" && thrown !== null && "kind" in thrown && "message" in thrown) {
    const { kind, message, detail } = thrown as Record<string, unknown>;
    if (typeof kind === "string" && typeof message === "string") {
      return {
        kind: kind as KioskError["kind"],
        message,
        detail: typeof detail === "string" ? detail : null,
      };
    }
  }
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return { kind: "internal", message, detail: null };
}
