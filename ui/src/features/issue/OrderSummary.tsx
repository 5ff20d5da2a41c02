//! What the buyer pays (or gets back) for the decisions so far, and the actions that close the
//! order: confirm the issue (F9), hand over the rest (F2), set the order aside (Esc).
import { useTranslation } from "react-i18next";
import type { SettlementView } from "../../bindings";
import { useLang } from "../../i18n";
import { formatMoney } from "../../money";

type Props = {
  settlement: SettlementView;
  onConfirm: () => void;
  onHandOverRest: () => void;
  onSetAside: () => void;
};

export function OrderSummary({ settlement, onConfirm, onHandOverRest, onSetAside }: Props) {
  const { t } = useTranslation();
  const lang = useLang();
  const { to_collect, to_refund, goods_to_collect, fees, undecided } = settlement;
  const money = (amount: number) => formatMoney(amount, lang);

  return (
    <aside className="summary" aria-label={t("summary.title")}>
      <div className="summary__label">{t("summary.toCollect")}</div>
      <div className="summary__total" data-testid="to-collect">
        {money(to_collect)}
      </div>
      <dl className="summary__parts">
        <div>
          <dt>{t("summary.goods")}</dt>
          <dd data-testid="goods-to-collect">{money(goods_to_collect)}</dd>
        </div>
        <div>
          <dt>{t("summary.fees")}</dt>
          <dd data-testid="fees">{money(fees)}</dd>
        </div>
        {to_refund > 0 && (
          <div className="summary__refund">
            <dt>{t("summary.toRefund")}</dt>
            <dd data-testid="to-refund">{money(to_refund)}</dd>
          </div>
        )}
      </dl>

      <p
        className={`summary__undecided${undecided > 0 ? " summary__undecided--open" : ""}`}
        data-testid="undecided"
      >
        {undecided > 0
          ? t("summary.undecided", { count: undecided })
          : `✓ ${t("summary.allDecided")}`}
      </p>

      <button
        type="button"
        className="button button--confirm"
        data-testid="confirm-issue"
        disabled={undecided > 0}
        aria-keyshortcuts="F9"
        onClick={onConfirm}
      >
        {to_collect > 0 ? t("order.confirmPaid") : t("order.confirmFree")}
        <kbd aria-hidden="true">F9</kbd>
      </button>
      {undecided > 0 && (
        <button
          type="button"
          className="button button--hand-over"
          data-testid="hand-over-all"
          aria-keyshortcuts="F2"
          onClick={onHandOverRest}
        >
          <span aria-hidden="true">✓ </span>
          {t("order.handOverAll")}
          <kbd aria-hidden="true">F2</kbd>
        </button>
      )}
      <button
        type="button"
        className="button"
        data-testid="set-aside"
        aria-keyshortcuts="Escape"
        onClick={onSetAside}
      >
        {t("order.setAside")}
        <kbd aria-hidden="true">Esc</kbd>
      </button>
    </aside>
  );
}
