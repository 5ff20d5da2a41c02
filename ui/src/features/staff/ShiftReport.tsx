//! Отчёт за смену: the figures of a closed shift (issued orders and items, refusals by reason at the
//! counter and from couriers, fees, money taken, refunds, claim returns, courier hand-backs, boxes
//! handed over, unredeemed items sent back), with the print bar to print it or save it as PDF or CSV.
//! "Готово" (Enter) takes it off the counter.
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { ShiftReport as Figures, ShiftReportView } from "../../bindings";
import { DocumentScreen } from "../../components/DocumentScreen";
import { useLang } from "../../i18n";
import { formatDateTime, formatMoney } from "../../money";
import * as api from "./api";

type Props = { report: ShiftReportView; onDone: () => void };

export function ShiftReport({ report, onDone }: Props) {
  const { t } = useTranslation();
  const lang = useLang();
  const document = { kind: "shift_report", shift_id: report.shift_id } as const;
  return (
    <DocumentScreen
      testId="shift-report"
      title={t("shift.reportTitle")}
      document={document}
      formats={["pdf"]}
      extraExports={[
        {
          testId: "export-csv",
          label: t("shift.saveCsv"),
          save: () => api.exportShiftReportCsv(report.shift_id),
        },
      ]}
      doneTestId="dismiss-shift-report"
      onDone={onDone}
    >
      <dl className="facts">
        <div>
          <dt>{t("shift.opened")}</dt>
          <dd data-testid="report-opened">
            {formatDateTime(report.opened_at, lang)}
            {report.opened_by && <> · {report.opened_by.name}</>}
          </dd>
        </div>
        {report.closed_at && (
          <div>
            <dt>{t("shift.closed")}</dt>
            <dd data-testid="report-closed">
              {formatDateTime(report.closed_at, lang)}
              {report.closed_by && <> · {report.closed_by.name}</>}
            </dd>
          </div>
        )}
      </dl>
      {(report.ops_pending > 0 || report.ops_rejected > 0) && (
        <p
          className="dialog__error"
          data-testid="report-unsettled"
          data-pending={report.ops_pending}
          data-rejected={report.ops_rejected}
        >
          {report.ops_pending > 0 && t("shift.opsPending", { count: report.ops_pending })}
          {report.ops_pending > 0 && report.ops_rejected > 0 && " "}
          {report.ops_rejected > 0 && t("shift.opsRejected", { count: report.ops_rejected })}
        </p>
      )}
      <ReportFigures figures={report.report} />
    </DocumentScreen>
  );
}

/** The report's figures, each with a test id and its raw value in `data-value`. */
export function ReportFigures({ figures: r }: { figures: Figures }) {
  const { t } = useTranslation();
  const lang = useLang();
  const money = (amount: number) => formatMoney(amount, lang);
  return (
    <div className="shift-report" data-testid="report-figures">
      <table className="shift-report__table">
        <tbody>
          <Row id="orders-issued" label={t("shift.ordersIssued")} value={r.orders_issued} />
          <Row
            id="items-handed-over"
            label={t("shift.itemsHandedOver")}
            value={r.items_handed_over}
          />
          <Row id="items-refused" label={t("shift.itemsRefused")} value={r.items_refused} />
          {r.items_not_arrived > 0 && (
            <Row
              id="items-not-arrived"
              label={t("shift.itemsNotArrived")}
              value={r.items_not_arrived}
            />
          )}
          <Row id="money-taken" label={t("shift.moneyTaken")} value={r.money_taken}>
            {money(r.money_taken)}
          </Row>
          <Row id="fees" label={t("shift.fees")} value={r.fees}>
            {money(r.fees)}
          </Row>
          <Row id="refunds" label={t("shift.refunds")} value={r.refunds}>
            {money(r.refunds)}
          </Row>
          <Row id="claim-returns" label={t("shift.claimReturns")} value={r.claim_returns}>
            {t("shift.claimReturnsValue", {
              count: r.claim_returns,
              amount: money(r.claim_refunds),
            })}
          </Row>
          <Row id="hand-backs" label={t("shift.handBacks")} value={r.courier_hand_backs}>
            {t("shift.handBacksValue", { count: r.courier_hand_backs, items: r.courier_items })}
          </Row>
          <Row id="boxes" label={t("shift.boxes")} value={r.boxes_handed_over}>
            {t("shift.boxesValue", { count: r.boxes_handed_over, items: r.box_items })}
          </Row>
          <Row id="unredeemed" label={t("shift.unredeemed")} value={r.unredeemed_to_returns} />
        </tbody>
      </table>
      <table className="shift-report__table" data-testid="report-refusals">
        <caption>{t("shift.refusalsTitle")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("shift.reason")}</th>
            <th scope="col">{t("shift.atCounter")}</th>
            <th scope="col">{t("shift.fromCouriers")}</th>
          </tr>
        </thead>
        <tbody>
          {r.refusals.map((row) => (
            <tr
              key={row.reason}
              data-testid={`report-refusal-${row.reason}`}
              data-counter={row.at_counter}
              data-couriers={row.from_couriers}
            >
              <th scope="row">{t(`reason.${row.reason}`)}</th>
              <td>{row.at_counter}</td>
              <td>{row.from_couriers}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Row({
  id,
  label,
  value,
  children,
}: {
  id: string;
  label: string;
  value: number;
  children?: ReactNode;
}) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td data-testid={`report-${id}`} data-value={value}>
        {children ?? value}
      </td>
    </tr>
  );
}
