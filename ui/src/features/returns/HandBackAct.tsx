//! Акт приёма отказов: the act of a completed courier hand-back, with both parties' names, each item
//! taken in with its reason and fee, and the discrepancies against the courier's manifest (items on
//! it the courier did not bring, items brought that were not on it). Print or save it, then Enter.
import { useTranslation } from "react-i18next";
import type { HandBackActView } from "../../bindings";
import { DocumentScreen } from "../../components/DocumentScreen";
import type { Counter } from "../../counterState";
import { useLang } from "../../i18n";
import { formatDateTime, formatMoney } from "../../money";
import { HandBackReason } from "./HandBackReason";
import * as api from "./api";

type Props = { act: HandBackActView; counter: Pick<Counter, "perform"> };

export function HandBackAct({ act, counter }: Props) {
  const { t } = useTranslation();
  const lang = useLang();
  const discrepancies = act.missing.length + act.extra;
  const feesByServer = act.accepted.some((line) => line.scanned?.fee_set_by_server === true);
  return (
    <DocumentScreen
      testId="hand-back-act"
      title={t("handBackAct.title")}
      document={{ kind: "hand_back_act", hand_back_id: act.hand_back_id }}
      doneTestId="dismiss-hand-back-act"
      onDone={() => void counter.perform(api.dismissHandBackAct)}
    >
      <dl className="facts">
        <div>
          <dt>{t("handBackAct.courier")}</dt>
          <dd data-testid="act-courier">{act.courier_name}</dd>
        </div>
        <div>
          <dt>{t("handBackAct.acceptedBy")}</dt>
          <dd data-testid="act-accepted-by">{act.accepted_by}</dd>
        </div>
        <div>
          <dt>{t("handBackAct.completedAt")}</dt>
          <dd>
            <time dateTime={act.completed_at}>{formatDateTime(act.completed_at, lang)}</time>
          </dd>
        </div>
      </dl>

      <h2 className="receipt__section">
        {t("handBackAct.accepted", { count: act.accepted.length })}
      </h2>
      <ul className="receipt__items receipt__items--handed" data-testid="act-accepted">
        {act.accepted.map((line) => (
          <li key={line.scanned?.return_id ?? line.name} className="receipt__item">
            <span className="receipt__item-icon" aria-hidden="true">
              ✓
            </span>
            <span className="receipt__item-name">
              {line.name} <span className="receipt__item-variant">{line.variant}</span>
              {line.scanned?.reason && (
                <span className="act__reason">
                  <HandBackReason scan={line.scanned} />
                </span>
              )}
            </span>
          </li>
        ))}
      </ul>

      <h2 className="receipt__section">{t("handBackAct.discrepancies")}</h2>
      <div data-testid="act-discrepancies" data-count={discrepancies}>
        {discrepancies === 0 && <p className="receipt__none">{t("handBackAct.none")}</p>}
        {act.missing.length > 0 && (
          <>
            <p className="act__discrepancy">
              {t("handBackAct.missing", { count: act.missing.length })}
            </p>
            <ul className="receipt__items receipt__items--refused" data-testid="act-missing">
              {act.missing.map((name, index) => (
                <li key={`${name}-${index}`} className="receipt__item">
                  <span className="receipt__item-icon" aria-hidden="true">
                    ✕
                  </span>
                  <span className="receipt__item-name">{name}</span>
                </li>
              ))}
            </ul>
          </>
        )}
        {act.extra > 0 && (
          <p className="act__discrepancy" data-testid="act-extra">
            {t("handBackAct.extra", { count: act.extra })}
          </p>
        )}
      </div>

      <dl className="receipt__money">
        <div>
          <dt>{t("handBackAct.fees")}</dt>
          <dd data-testid="act-fees">{formatMoney(act.fees, lang)}</dd>
        </div>
      </dl>
      {feesByServer && (
        <p className="receipt__none" data-testid="act-fees-by-server">
          {t("handBackAct.feesSetByServer")}
        </p>
      )}
    </DocumentScreen>
  );
}
