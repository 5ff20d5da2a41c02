//! The error banner's text: a translated message per error kind, with the backend's `detail`
//! (an ISO time for already_issued, token_expired, pin_locked and shift_already_open, the seller's
//! reason for a rejected or revoked claim, a count, the role a badge should have had or why it was
//! refused, a cell, a shipment, whether an order not arrived was recorded missing) woven in; the
//! backend's own message for a kind this UI does not know yet.
import type { TFunction } from "i18next";
import type { KioskError } from "./bindings";
import { formatDateTime, formatMoney, type Lang } from "./money";

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
    case "token_expired":
      return detail
        ? t("errors.token_expired_at", { time: formatDateTime(detail, lang) })
        : t("errors.token_expired");
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
    case "no_active_order":
    case "defect_needs_description":
    case "fee_policy_missing":
    case "undecided_items":
    case "payment_not_confirmed":
    case "not_enrolled":
    case "enrolled_elsewhere":
    case "not_connected":
    case "credential_rejected":
    case "upgrade_required":
    case "claim_not_approved":
    case "claim_already_used":
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
