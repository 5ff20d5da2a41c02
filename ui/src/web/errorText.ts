//! Every failure as a sentence a seller can read: the server's `{code, message}` by its status,
//! an unreachable server, or anything else thrown.
import type { TFunction } from "i18next";
import { ApiError } from "./api";

export function errorText(t: TFunction, error: unknown): string {
  if (!(error instanceof ApiError)) {
    return error instanceof Error ? error.message : String(error);
  }
  const { status, code, message } = error;
  if (status === 0) return t("errors.unreachable");
  if (code === "csrf_mismatch") return t("errors.csrf");
  if (status === 401) return t("errors.unauthorized");
  if (status === 403)
    return message ? `${t("errors.forbidden")} ${message}` : t("errors.forbidden");
  if (status === 404) return t("errors.notFound", { message });
  if (status === 413) return t("errors.tooLarge");
  if (status === 429) return t("errors.rateLimited", { message });
  if (status >= 500) return t("errors.server", { status, message });
  // 400/409/422: the server's message says what was wrong with what was sent.
  return message || t("errors.server", { status, message: code });
}
