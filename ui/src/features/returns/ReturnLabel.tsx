//! The label of a unit just taken in after a claim return: what it is, the compensation the buyer
//! gets, when it was accepted, and the QR code (the return id) to stick on the item; print or save
//! it, then Enter for the next customer.
import { useTranslation } from "react-i18next";
import type { ReturnLabelView } from "../../bindings";
import { DocumentScreen } from "../../components/DocumentScreen";
import type { Counter } from "../../counterState";
import { useLang } from "../../i18n";
import { formatDateTime, formatMoney } from "../../money";
import * as api from "./api";

type Props = { label: ReturnLabelView; counter: Pick<Counter, "perform"> };

export function ReturnLabel({ label, counter }: Props) {
  const { t } = useTranslation();
  const lang = useLang();
  const qr = (
    <>
      <img
        className="receipt__qr"
        data-testid="return-label-qr"
        src={label.qr_data_uri}
        alt={t("returnLabel.qrAlt")}
      />
      <code className="qr-text" data-testid="return-label-qr-text">
        {label.qr_text}
      </code>
    </>
  );
  return (
    <DocumentScreen
      testId="return-label"
      title={t("returnLabel.title")}
      document={{ kind: "return_label", return_id: label.return_id }}
      doneTestId="dismiss-return-label"
      onDone={() => void counter.perform(api.dismissReturnLabel)}
      aside={qr}
    >
      <dl className="facts">
        <div>
          <dt>{t("claim.item")}</dt>
          <dd data-testid="return-label-item">{label.item_name}</dd>
        </div>
        {label.compensation !== null && (
          <div>
            <dt>{t("claim.compensation")}</dt>
            <dd data-testid="return-label-compensation">
              {t(`compensation.${label.compensation}`)}
            </dd>
          </div>
        )}
        {label.compensation === "refund" && (
          <div>
            <dt>{t("returnLabel.refund")}</dt>
            <dd className="facts__money" data-testid="return-label-amount">
              {formatMoney(label.amount, lang)}
            </dd>
          </div>
        )}
        <div>
          <dt>{t("returnLabel.acceptedAt")}</dt>
          <dd>
            <time dateTime={label.accepted_at}>{formatDateTime(label.accepted_at, lang)}</time>
          </dd>
        </div>
      </dl>
      <p className="receipt__time">{t("returnLabel.stick")}</p>
    </DocumentScreen>
  );
}
