//! Акт передачи: the act of boxes handed to a logistics driver: who took them and when, each box with
//! its label code and item count, and the total. Print or save it, then Enter.
import { useTranslation } from "react-i18next";
import type { HandoverActView } from "../../bindings";
import { DocumentScreen } from "../../components/DocumentScreen";
import type { Counter } from "../../counterState";
import { useLang } from "../../i18n";
import { formatDateTime } from "../../money";
import { shortBoxId } from "./ReturnsDesk";
import * as api from "./api";

type Props = { act: HandoverActView; counter: Pick<Counter, "perform"> };

export function HandoverAct({ act, counter }: Props) {
  const { t } = useTranslation();
  const lang = useLang();
  return (
    <DocumentScreen
      testId="handover-act"
      title={t("handoverAct.title")}
      document={{ kind: "handover_act", handover_id: act.handover_id }}
      doneTestId="dismiss-handover-act"
      onDone={() => void counter.perform(api.dismissHandoverAct)}
    >
      <dl className="facts">
        <div>
          <dt>{t("handoverAct.driver")}</dt>
          <dd data-testid="handover-driver">{act.driver_name}</dd>
        </div>
        <div>
          <dt>{t("handoverAct.handedAt")}</dt>
          <dd>
            <time dateTime={act.handed_at}>{formatDateTime(act.handed_at, lang)}</time>
          </dd>
        </div>
      </dl>
      <h2 className="receipt__section">{t("handoverAct.boxes", { count: act.boxes.length })}</h2>
      <ul className="receipt__items receipt__items--handed" data-testid="handover-boxes">
        {act.boxes.map((box) => (
          <li key={box.box_id} className="receipt__item" data-testid={`handover-box-${box.box_id}`}>
            <span className="receipt__item-icon" aria-hidden="true">
              ✓
            </span>
            <span className="receipt__item-name">
              {t("returns.box", { id: shortBoxId(box.box_id) })}{" "}
              <code className="receipt__item-variant">{box.label_qr_text}</code>
            </span>
            <span>{t("returns.items", { count: box.items.length })}</span>
          </li>
        ))}
      </ul>
      <dl className="receipt__money">
        <div>
          <dt>{t("handoverAct.items")}</dt>
          <dd data-testid="handover-items">{act.items}</dd>
        </div>
      </dl>
    </DocumentScreen>
  );
}
