//! The shift on the home screen: since when it is open and who opened it, the running figures, and
//! Закрыть смену (asks first, showing what the report will say). A counter that works without login
//! can open a shift here too.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { SessionView, ShiftReportView } from "../../bindings";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { useLang } from "../../i18n";
import { formatMoney, formatTime } from "../../money";

type Props = {
  session: SessionView;
  /** The open shift's running report. */
  report: ShiftReportView | null;
  onOpen: () => void;
  /** Resolves true once the shift is closed. */
  onClose: () => Promise<boolean>;
};

export function ShiftPanel({ session, report, onOpen, onClose }: Props) {
  const { t } = useTranslation();
  const lang = useLang();
  const [closing, setClosing] = useState(false);
  const shift = session.shift;

  if (shift === null) {
    return (
      <div className="shift-panel" data-testid="shift-panel" data-state="closed">
        <span className="muted">{t("shift.none")}</span>
        <button type="button" className="button" data-testid="open-shift" onClick={onOpen}>
          {t("shift.open")}
        </button>
      </div>
    );
  }

  const figures = report?.closed_at === null ? report.report : null;
  return (
    <div className="shift-panel" data-testid="shift-panel" data-state="open">
      <span>
        {t("shift.openSince", { time: formatTime(shift.opened_at, lang) })}
        {shift.opened_by && <span className="muted"> · {shift.opened_by.name}</span>}
      </span>
      {figures && (
        <span className="muted" data-testid="shift-running">
          {t("shift.running", {
            orders: figures.orders_issued,
            money: formatMoney(figures.money_taken, lang),
          })}
        </span>
      )}
      <button
        type="button"
        className="button"
        data-testid="close-shift"
        onClick={() => setClosing(true)}
      >
        {t("shift.close")}
      </button>
      {closing && (
        <ConfirmDialog
          testId="close-shift-dialog"
          title={t("shift.closeTitle")}
          confirmLabel={t("shift.closeConfirm")}
          confirmTestId="close-shift-confirm"
          onConfirm={onClose}
          onCancel={() => setClosing(false)}
        >
          <p>{t("shift.closeHint")}</p>
          {figures && (
            <p data-testid="close-shift-summary">
              {t("shift.running", {
                orders: figures.orders_issued,
                money: formatMoney(figures.money_taken, lang),
              })}
            </p>
          )}
        </ConfirmDialog>
      )}
    </div>
  );
}
