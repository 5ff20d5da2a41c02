//! The strip across the top: where we are, how the kiosk is connected, what is waiting to sync,
//! and the language switch.
import { useTranslation } from "react-i18next";
import type { KioskStatus } from "../bindings";
import { setLang, useLang } from "../i18n";

export function Header({ status }: { status: KioskStatus | null }) {
  const { t } = useTranslation();
  const lang = useLang();

  return (
    <header className="header">
      <div className="header__place">
        <span className="header__logo" aria-hidden="true">
          ▣
        </span>
        <span className="header__name">{status?.pickup_point ?? "PVZ Kiosk"}</span>
      </div>
      <div className="header__right">
        <span className="chip chip--offline" role="status">
          <span className="chip__dot" aria-hidden="true" />
          {t("header.status.demoOffline")}
        </span>
        <span className="chip" title={t("header.opsWaitingHint")}>
          {t("header.opsWaiting")}:{" "}
          <strong data-testid="ops-waiting">{status?.ops_waiting ?? 0}</strong>
        </span>
        <button
          type="button"
          className="button button--quiet header__lang"
          data-testid="lang-switch"
          aria-label={t("header.switchToLabel")}
          onClick={() => setLang(lang === "ru" ? "en" : "ru")}
        >
          {t("header.switchTo")}
        </button>
      </div>
    </header>
  );
}
