//! The error banner's text: a translated message per error kind, with the backend's `detail`
//! (an ISO time for already_issued, token_expired, claim_return_expired, pin_locked and
//! shift_already_open, the seller's reason for a rejected or revoked claim, a count, the role a
//! badge should have had or why it was refused, a cell, a shipment, whether an order not arrived
//! was recorded missing) woven in; the backend's own message for a kind this UI does not know yet.
import type { TFunction } from "i18next";
import type { ErrorKind, KioskError } from "./bindings";
import { formatDateTime, formatMoney, type Lang } from "./money";

/**
 * The error kinds this UI has a translated message for: every kind of the generated ErrorKind, so a
 * kind added to the backend fails `tsc` here (and in errorMessage's switch) until it has a text. At
 * run time a kind the bindings do not know (a newer backend) still reaches the banner, with the
 * backend's own message.
 */
const KNOWN_ERROR_KINDS = {
  unknown_code: true,
  foreign_code: true,
  bad_signature: true,
  token_expired: true,
  order_not_found: true,
  already_issued: true,
  order_cancelled: true,
  item_not_in_order: true,
  other_unit_of_item: true,
  no_active_order: true,
  defect_needs_description: true,
  fee_policy_missing: true,
  undecided_items: true,
  payment_not_confirmed: true,
  amount_changed: true,
  not_enrolled: true,
  invalid_input: true,
  server_unreachable: true,
  enrollment_refused: true,
  enrolled_elsewhere: true,
  server_key_mismatch: true,
  insecure_server_address: true,
  not_connected: true,
  credential_rejected: true,
  upgrade_required: true,
  sync_refused: true,
  server_error: true,
  claim_not_approved: true,
  claim_rejected: true,
  claim_revoked: true,
  claim_already_used: true,
  claim_to_seller: true,
  claim_no_return: true,
  claim_code_replaced: true,
  claim_return_expired: true,
  claim_other_item: true,
  claim_nothing_to_return: true,
  claim_item_not_checked: true,
  claim_condition_missing: true,
  no_active_claim: true,
  unknown_badge: true,
  retired_badge: true,
  wrong_role: true,
  hand_back_in_progress: true,
  no_active_hand_back: true,
  hand_back_empty: true,
  reasons_missing: true,
  no_open_box: true,
  box_already_open: true,
  empty_box: true,
  not_among_waiting_returns: true,
  no_boxes_to_hand_over: true,
  driver_not_identified: true,
  document_not_found: true,
  printing_failed: true,
  no_receiving_session: true,
  receiving_in_progress: true,
  shipment_already_received: true,
  receiving_has_placements: true,
  not_in_shipment: true,
  already_placed: true,
  cell_expected: true,
  item_expected: true,
  cell_full: true,
  same_cell: true,
  unknown_cell: true,
  no_free_cell: true,
  item_not_found: true,
  not_on_shelf: true,
  storage_policy_missing: true,
  not_expired: true,
  order_unredeemed: true,
  order_not_arrived: true,
  login_required: true,
  wrong_pin: true,
  pin_locked: true,
  idle_locked: true,
  shift_not_open: true,
  shift_already_open: true,
  not_a_manager: true,
  pin_not_set: true,
  text_too_long: true,
  too_many_entries: true,
  internal: true,
} as const satisfies Record<ErrorKind, true>;

export type KnownErrorKind = keyof typeof KNOWN_ERROR_KINDS;

/** True when `kind` is one the UI has a translated message for. */
export function isKnownErrorKind(kind: string): kind is KnownErrorKind {
  return Object.hasOwn(KNOWN_ERROR_KINDS, kind);
}

/** The reasons the backend gives for a refused badge, each with its own banner text. */
const BADGE_REFUSALS = [
  "not_staff",
  "never_issued",
  "replaced",
  "newer_than_known",
  "unsigned",
] as const;

function isBadgeRefusal(detail: string): detail is (typeof BADGE_REFUSALS)[number] {
  return (BADGE_REFUSALS as readonly string[]).includes(detail);
}

export function errorMessage(error: KioskError, t: TFunction, lang: Lang): string {
  const { kind, detail, message } = error;
  if (!isKnownErrorKind(kind)) return message;
  switch (kind) {
    case "already_issued":
      return detail
        ? t("errors.already_issued_at", { time: formatDateTime(detail, lang) })
        : t("errors.already_issued");
    case "text_too_long":
    case "too_many_entries":
      return t(`errors.${kind}`, { max: detail ?? "?" });
    case "token_expired":
      return detail
        ? t("errors.token_expired_at", { time: formatDateTime(detail, lang) })
        : t("errors.token_expired");
    case "claim_return_expired":
      // The claim's return deadline.
      return detail
        ? t("errors.claim_return_expired_at", { time: formatDateTime(detail, lang) })
        : t("errors.claim_return_expired");
    case "amount_changed":
      return detail
        ? t("errors.amount_changed_to", { amount: formatMoney(Number(detail), lang) })
        : t("errors.amount_changed");
    case "claim_rejected":
      return detail
        ? t("errors.claim_rejected_because", { reason: detail })
        : t("errors.claim_rejected");
    case "claim_revoked":
      return detail
        ? t("errors.claim_revoked_because", { reason: detail })
        : t("errors.claim_revoked");
    case "reasons_missing":
      return detail
        ? t("errors.reasons_missing_count", { count: Number(detail) })
        : t("errors.reasons_missing");
    case "wrong_role":
      // The role the badge should have had.
      if (detail === "courier") return t("errors.wrong_role_courier");
      if (detail === "driver") return t("errors.wrong_role_driver");
      return t("errors.wrong_role");
    case "unknown_badge":
      // Why the badge is refused (pvz-kiosk-core `BadgeRefusal`).
      return detail && isBadgeRefusal(detail)
        ? t(`errors.unknown_badge_${detail}`)
        : t("errors.unknown_badge");
    case "order_not_arrived":
      // Its items were all recorded missing at receiving: no receiving brings it, the network does.
      return detail === "recorded_missing"
        ? t("errors.order_not_arrived_recorded_missing")
        : t("errors.order_not_arrived");
    case "wrong_pin":
      return detail ? t("errors.wrong_pin_left", { count: Number(detail) }) : t("errors.wrong_pin");
    case "pin_locked":
      return detail
        ? t("errors.pin_locked_until", { time: formatDateTime(detail, lang) })
        : t("errors.pin_locked");
    case "shift_already_open":
      return detail
        ? t("errors.shift_already_open_since", { time: formatDateTime(detail, lang) })
        : t("errors.shift_already_open");
    case "receiving_in_progress":
      return detail
        ? t("errors.receiving_in_progress_of", { code: detail })
        : t("errors.receiving_in_progress");
    case "receiving_has_placements":
      return detail
        ? t("errors.receiving_has_placements_count", { count: Number(detail) })
        : t("errors.receiving_has_placements");
    case "already_placed":
    case "cell_expected":
    case "cell_full":
    case "same_cell":
    case "unknown_cell":
      // The cell the message is about.
      return detail ? t(`errors.${kind}_cell`, { cell: detail }) : t(`errors.${kind}`);
    case "invalid_input":
    case "printing_failed":
    case "internal":
    case "server_unreachable":
    case "enrollment_refused":
    case "sync_refused":
    case "server_error":
      return t(`errors.${kind}`, { message });
    case "unknown_code":
    case "foreign_code":
    case "bad_signature":
    case "order_not_found":
    case "order_cancelled":
    case "item_not_in_order":
    case "other_unit_of_item":
    case "no_active_order":
    case "defect_needs_description":
    case "fee_policy_missing":
    case "undecided_items":
    case "payment_not_confirmed":
    case "not_enrolled":
    case "enrolled_elsewhere":
    case "server_key_mismatch":
    case "insecure_server_address":
    case "not_connected":
    case "credential_rejected":
    case "upgrade_required":
    case "claim_not_approved":
    case "claim_already_used":
    case "claim_to_seller":
    case "claim_no_return":
    case "claim_code_replaced":
    case "claim_other_item":
    case "claim_nothing_to_return":
    case "claim_item_not_checked":
    case "claim_condition_missing":
    case "no_active_claim":
    case "retired_badge":
    case "hand_back_in_progress":
    case "no_active_hand_back":
    case "hand_back_empty":
    case "no_open_box":
    case "box_already_open":
    case "empty_box":
    case "not_among_waiting_returns":
    case "no_boxes_to_hand_over":
    case "driver_not_identified":
    case "document_not_found":
    case "no_receiving_session":
    case "shipment_already_received":
    case "not_in_shipment":
    case "item_expected":
    case "no_free_cell":
    case "item_not_found":
    case "not_on_shelf":
    case "storage_policy_missing":
    case "not_expired":
    case "order_unredeemed":
    case "login_required":
    case "idle_locked":
    case "shift_not_open":
    case "not_a_manager":
    case "pin_not_set":
      return t(`errors.${kind}`);
  }
}
