//! The strip across the top: where we are, whether it runs on demo data (or is not connected at
//! all), what is waiting to sync, who works the counter (with the logout that brings the PIN screen)
//! and the language switch; in kiosk mode, with no title bar to close the window by, «Закрыть кассу».
//! Sync details live in the sync strip below it.
import { useTranslation } from "react-i18next";
import type { KioskStatus, SessionView, SyncStatusView } from "../bindings";
import { setLang, useLang } from "../i18n";
import { formatTime } from "../money";

export function Header({
  status,
  sync,
  session = null,
  onLogOut,
  onClose,
}: {
  status: KioskStatus | null;
  sync: SyncStatusView | null;
  session?: SessionView | null;
  onLogOut?: () => void;
  /** Kiosk mode: asks to close the window (a manager's PIN then allows it). */
  onClose?: (() => void) | undefined;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const manager = session?.logged_in ?? null;
  // With a server, the engine's count is the live one (it drops as ops are sent).
  const opsWaiting = sync?.configured ? sync.ops_waiting : (status?.ops_waiting ?? 0);

  return (
    <header className="header">
      <div className="header__place">
        <span className="header__logo" aria-hidden="true">
          ▣
        </span>
        <span className="header__name" data-testid="pickup-point">
          {/* Empty until enrolled. */}
          {status?.pickup_point || "PVZ Kiosk"}
        </span>
      </div>
      <div className="header__right">
        {!sync?.configured && (
          <span className="chip chip--offline" role="status">
            <span className="chip__dot" aria-hidden="true" />
            {status && !status.enrolled
              ? t("header.status.notEnrolled")
              : t("header.status.demoOffline")}
          </span>
        )}
        {/* With a server, the sync strip below shows what waits; once is enough. */}
        {!sync?.configured && (
          <span className="chip" title={t("header.opsWaitingHint")}>
            {t("header.opsWaiting")}: <strong data-testid="ops-waiting">{opsWaiting}</strong>
          </span>
        )}
        {session?.shift && (
          <span
            className="chip"
            data-testid="header-shift"
            data-shift={session.shift.shift_id}
            title={t("header.shiftHint")}
          >
            {t("header.shift", { time: formatTime(session.shift.opened_at, lang) })}
          </span>
        )}
        {manager && (
          <span className="header__manager">
            <strong data-testid="header-manager" data-employee={manager.employee_id}>
              {manager.name}
            </strong>
            <button
              type="button"
              className="button button--quiet"
              data-testid="log-out"
              title={t("header.logOutHint")}
              onClick={onLogOut}
            >
              {t("header.logOut")}
            </button>
          </span>
        )}
        <button
          type="button"
          className="button button--quiet header__lang"
          data-testid="lang-switch"
          aria-label={t("header.switchToLabel")}
          onClick={() => setLang(lang === "ru" ? "en" : "ru")}
        >
          {t("header.switchTo")}
        </button>
        {onClose && (
          <button
            type="button"
            className="button button--quiet"
            data-testid="close-counter"
            title={t("kiosk.closeHint")}
            onClick={onClose}
          >
            {t("kiosk.close")}
          </button>
        )}
      </div>
    </header>
  );
}
