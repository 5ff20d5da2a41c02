//! The error banner's text: a translated message per error kind, with the backend's `detail`
//! (an ISO time for already_issued and token_expired) woven in; the backend's own message for
//! a kind this UI does not know yet.
import type { TFunction } from "i18next";
import { isKnownErrorKind } from "./api";
import type { KioskError } from "./bindings";
import { formatDateTime, formatMoney, type Lang } from "./money";

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
    case "invalid_input":
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
      return t(`errors.${kind}`);
  }
}
