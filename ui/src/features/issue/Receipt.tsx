//! After the issue: what was handed over, what was refused and why, what never arrived, the money, and the operation's
//! QR code, to print or save. Enter (or the big button) brings the next buyer.
import { useLayoutEffect, useRef } from "react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { ItemView, ReceiptView } from "../../bindings";
import { PrintBar } from "../../components/PrintBar";
import { useLang } from "../../i18n";
import { formatDateTime, formatMoney, type Lang } from "../../money";
import { isInteractiveTarget, useWindowKeydown } from "../../useWindowKeydown";

export function Receipt({ receipt, onDismiss }: { receipt: ReceiptView; onDismiss: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const nextRef = useRef<HTMLButtonElement>(null);

  useLayoutEffect(() => nextRef.current?.focus(), []);

  // Enter on the focused button clicks it already; this covers focus anywhere else.
  useWindowKeydown((event) => {
    if (event.key === "Enter" && !isInteractiveTarget(event.target)) {
      event.preventDefault();
      onDismiss();
    }
  });

  return (
    <section className="receipt" data-testid="receipt" aria-labelledby="receipt-title">
      <div className="receipt__main">
        <h1 id="receipt-title" className="receipt__title">
          <span className="icon icon--hand-over" aria-hidden="true">
            ✓
          </span>
          {t("receipt.title", { code: receipt.short_code })}
        </h1>
        <p className="receipt__time">
          {t("receipt.time")}:{" "}
          <time dateTime={receipt.issued_at}>{formatDateTime(receipt.issued_at, lang)}</time>
        </p>

        <h2 className="receipt__section">{t("receipt.handedOver")}</h2>
        <ReceiptItems items={receipt.handed_over} kind="handed" />

        <h2 className="receipt__section">{t("receipt.refused")}</h2>
        <ReceiptItems items={receipt.refused} kind="refused" />

        {receipt.not_arrived.length > 0 && (
          <>
            <h2 className="receipt__section">{t("receipt.notArrived")}</h2>
            <ReceiptItems items={receipt.not_arrived} kind="not-arrived" />
          </>
        )}

        <dl className="receipt__money">
          <div>
            <dt>{t("receipt.collected")}</dt>
            <dd data-testid="receipt-collected">{formatMoney(receipt.collected, lang)}</dd>
          </div>
          {receipt.refunded > 0 && (
            <div>
              <dt>{t("receipt.refunded")}</dt>
              <dd data-testid="receipt-refunded">{formatMoney(receipt.refunded, lang)}</dd>
            </div>
          )}
        </dl>
        <PrintBar document={{ kind: "receipt", order_id: receipt.order_id }} />
      </div>

      <div className="receipt__side">
        <img
          className="receipt__qr"
          data-testid="receipt-qr"
          src={receipt.qr_data_uri}
          alt={t("receipt.qrAlt")}
        />
        <button
          type="button"
          ref={nextRef}
          className="button button--primary button--big"
          data-testid="dismiss-receipt"
          aria-keyshortcuts="Enter"
          onClick={onDismiss}
        >
          {t("receipt.next")} <kbd aria-hidden="true">Enter</kbd>
        </button>
      </div>
    </section>
  );
}

type ReceiptKind = "handed" | "refused" | "not-arrived";
const RECEIPT_ICONS: Record<ReceiptKind, string> = {
  handed: "✓",
  refused: "✕",
  "not-arrived": "∅",
};

function ReceiptItems({ items, kind }: { items: ItemView[]; kind: ReceiptKind }) {
  const { t } = useTranslation();
  const lang = useLang();
  if (items.length === 0) return <p className="receipt__none">{t("receipt.nothing")}</p>;
  return (
    <ul className={`receipt__items receipt__items--${kind}`} data-testid={`receipt-${kind}`}>
      {items.map((item) => (
        <li key={item.item_id} className="receipt__item">
          <span className="receipt__item-icon" aria-hidden="true">
            {RECEIPT_ICONS[kind]}
          </span>
          <span className="receipt__item-name">
            {item.name} <span className="receipt__item-variant">{item.variant}</span>
            {kind === "refused" && (
              <span className="receipt__item-reason">{refusalLine(item, t, lang)}</span>
            )}
          </span>
          {kind === "handed" && (
            <span className="receipt__item-price">{formatMoney(item.price, lang)}</span>
          )}
        </li>
      ))}
    </ul>
  );
}

/** "не подошёл · сбор за обратную логистику: 150,00 ₽"; a defect's fee text already names it. */
function refusalLine(item: ItemView, t: TFunction, lang: Lang): string {
  const reason = item.decision?.kind === "refuse" ? t(`reasonShort.${item.decision.reason}`) : null;
  let fee: string | null = null;
  if (item.fee_rule === "policy_fee") {
    fee = t("fee.policy_fee", { amount: formatMoney(item.fee ?? 0, lang) });
  } else if (item.fee_rule !== null) {
    fee = t(`fee.${item.fee_rule}`);
  }
  if (item.fee_rule === "defect_free") return fee ?? "";
  return [reason, fee].filter((part) => part !== null).join(" · ");
}
