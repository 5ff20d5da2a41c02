//! Отправка возвратов: the returns desk. Returned units waiting at the point, each with its return
//! label to print and a button that puts it into the open box (for a unit with nothing to scan);
//! the open box, which every scanned return label goes into (F2 opens a new one, F3 closes it and
//! its QR label appears); the closed boxes, each with its label to print; and the handover: scan
//! the driver's badge, then hand every closed box over (F9) for the act. Esc leaves the desk.
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { BoxView, ReturnItemView, ReturnsView, StaffView } from "../../bindings";
import { PrintBar } from "../../components/PrintBar";
import type { Counter, SeenNotice } from "../../counterState";
import { useLang } from "../../i18n";
import { formatDateTime, formatTime } from "../../money";
import { isTypingTarget, useWindowKeydown } from "../../useWindowKeydown";
import * as api from "./api";
import { Icon } from "../../components/Icon";

type Props = {
  returns: ReturnsView;
  notice: SeenNotice | null;
  counter: Pick<Counter, "perform">;
};

/** A short, readable form of a box id for the screen (the label's QR carries the whole one). */
export function shortBoxId(boxId: string): string {
  return boxId.length > 8 ? boxId.slice(-8).toUpperCase() : boxId.toUpperCase();
}

export function ReturnsDesk({ returns, notice, counter }: Props) {
  const { t } = useTranslation();
  const { open_box: openBox, closed_boxes: closed, waiting, driver } = returns;
  const [shownBoxId, setShownBoxId] = useState<string | null>(null);
  // The waiting unit whose return label is unfolded for printing, if any.
  const [labelOf, setLabelOf] = useState<string | null>(null);
  // The label on show: the one picked, else the box closed last.
  const shownBox = closed.find((box) => box.box_id === shownBoxId) ?? closed[closed.length - 1];
  const addedId = notice?.notice.kind === "box_item_added" ? notice.notice.return_id : null;

  const newBox = () => {
    if (openBox === null) void counter.perform(api.createBox);
  };
  const closeBox = () => {
    if (openBox !== null && openBox.items.length > 0) void counter.perform(api.closeBox);
  };
  const handOver = () => {
    if (driver !== null && closed.length > 0)
      void counter.perform(() => api.handOverBoxes(driver.employee_id));
  };

  useWindowKeydown((event) => {
    switch (event.key) {
      case "F2":
        event.preventDefault();
        newBox();
        break;
      case "F3":
        event.preventDefault();
        closeBox();
        break;
      case "F9":
        event.preventDefault();
        handOver();
        break;
      case "Escape":
        if (isTypingTarget(event.target)) return;
        event.preventDefault();
        void counter.perform(api.closeReturns);
        break;
    }
  });

  return (
    <section className="returns" data-testid="returns-desk" aria-labelledby="returns-title">
      <header className="returns__head">
        <h1 id="returns-title" className="returns__title">
          {t("returns.title")}
        </h1>
        <button
          type="button"
          className="button"
          data-testid="returns-close"
          aria-keyshortcuts="Escape"
          onClick={() => void counter.perform(api.closeReturns)}
        >
          {t("returns.close")}
          <kbd aria-hidden="true">Esc</kbd>
        </button>
      </header>

      <div className="returns__body">
        <section className="panel" aria-labelledby="returns-waiting-title">
          <PanelTitle id="returns-waiting-title" count={waiting.length} countTestId="waiting-count">
            {t("returns.waiting")}
          </PanelTitle>
          <ul className="units" data-testid="returns-waiting">
            {waiting.length === 0 && <li className="units__empty">{t("returns.waitingEmpty")}</li>}
            {waiting.map((unit) => (
              <WaitingUnit
                key={unit.return_id}
                unit={unit}
                canPack={openBox !== null}
                labelShown={labelOf === unit.return_id}
                onToggleLabel={() =>
                  setLabelOf((shown) => (shown === unit.return_id ? null : unit.return_id))
                }
                onPack={() => void counter.perform(() => api.addToBox(unit.return_id))}
              />
            ))}
          </ul>
        </section>

        <section className="panel panel--box" aria-labelledby="returns-open-title">
          <h2 id="returns-open-title" className="panel__title">
            {openBox
              ? t("returns.openBox", { id: shortBoxId(openBox.box_id) })
              : t("returns.noOpenBox")}
          </h2>
          {openBox === null ? (
            <button
              type="button"
              className="button button--primary button--big"
              data-testid="box-new"
              aria-keyshortcuts="F2"
              onClick={newBox}
            >
              {t("returns.newBox")}
              <kbd aria-hidden="true">F2</kbd>
            </button>
          ) : (
            <div data-testid="box-open" data-box={openBox.box_id}>
              <p className="panel__prompt">
                <Icon name="scan" />
                {t("returns.scanIntoBox")}
              </p>
              <ul className="units" data-testid="box-items" data-count={openBox.items.length}>
                {openBox.items.length === 0 && (
                  <li className="units__empty">{t("returns.boxEmpty")}</li>
                )}
                {openBox.items.map((unit) => (
                  <Unit
                    key={unit.return_id}
                    unit={unit}
                    testId={`box-item-${unit.return_id}`}
                    highlighted={unit.return_id === addedId}
                  >
                    <button
                      type="button"
                      className="button button--quiet"
                      data-testid={`box-remove-${unit.return_id}`}
                      onClick={() => void counter.perform(() => api.removeFromBox(unit.return_id))}
                    >
                      {t("returns.remove")}
                    </button>
                  </Unit>
                ))}
              </ul>
              <button
                type="button"
                className="button button--confirm"
                data-testid="box-close"
                disabled={openBox.items.length === 0}
                aria-keyshortcuts="F3"
                onClick={closeBox}
              >
                {t("returns.closeBox")}
                <kbd aria-hidden="true">F3</kbd>
              </button>
            </div>
          )}
        </section>

        <section className="panel" aria-labelledby="returns-closed-title">
          <PanelTitle id="returns-closed-title" count={closed.length} countTestId="closed-count">
            {t("returns.closedBoxes")}
          </PanelTitle>
          <ul className="boxes" data-testid="closed-boxes">
            {closed.length === 0 && <li className="units__empty">{t("returns.closedEmpty")}</li>}
            {closed.map((box) => (
              <li key={box.box_id}>
                <button
                  type="button"
                  className="button box-chip"
                  data-testid={`closed-box-${box.box_id}`}
                  aria-pressed={box === shownBox}
                  onClick={() => setShownBoxId(box.box_id)}
                >
                  {t("returns.box", { id: shortBoxId(box.box_id) })} ·{" "}
                  {t("returns.items", { count: box.items.length })}
                </button>
              </li>
            ))}
          </ul>
          {shownBox && <BoxLabel box={shownBox} />}
          <Handover driver={driver} boxes={closed.length} onHandOver={handOver} />
        </section>
      </div>
    </section>
  );
}

function PanelTitle({
  id,
  count,
  countTestId,
  children,
}: {
  id: string;
  count: number;
  countTestId: string;
  children: ReactNode;
}) {
  return (
    <h2 id={id} className="panel__title">
      {children}{" "}
      <span className="panel__count" data-testid={countTestId}>
        {count}
      </span>
    </h2>
  );
}

/** A unit waiting to be packed: its return label folds out to print, and it goes into the open box
 * by its button as by scanning that label. */
function WaitingUnit({
  unit,
  canPack,
  labelShown,
  onToggleLabel,
  onPack,
}: {
  unit: ReturnItemView;
  canPack: boolean;
  labelShown: boolean;
  onToggleLabel: () => void;
  onPack: () => void;
}) {
  const { t } = useTranslation();
  const id = unit.return_id;
  return (
    <Unit
      unit={unit}
      testId={`waiting-${id}`}
      below={labelShown && <PrintBar key={id} document={{ kind: "return_label", return_id: id }} />}
    >
      <div className="unit__actions">
        <button
          type="button"
          className="button button--quiet"
          data-testid={`waiting-label-${id}`}
          aria-expanded={labelShown}
          onClick={onToggleLabel}
        >
          {t("returns.unitLabel")}
        </button>
        <button
          type="button"
          className="button"
          data-testid={`waiting-add-${id}`}
          disabled={!canPack}
          title={canPack ? undefined : t("returns.addNeedsBox")}
          onClick={onPack}
        >
          {t("returns.addToBox")}
        </button>
      </div>
    </Unit>
  );
}

function Unit({
  unit,
  testId,
  highlighted = false,
  children,
  below,
}: {
  unit: ReturnItemView;
  testId: string;
  highlighted?: boolean;
  children?: ReactNode;
  /** Under the row, the whole width (the unit's print bar). */
  below?: ReactNode;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  return (
    <li className={`unit${highlighted ? " unit--matched" : ""}`} data-testid={testId}>
      <div className="unit__info">
        <div className="unit__name">{unit.item_name}</div>
        <div className="unit__meta">
          {t(`returnSource.${unit.source}`)}
          {unit.reason && <> · {t(`reasonShort.${unit.reason}`)}</>} ·{" "}
          <time dateTime={unit.received_at}>{formatTime(unit.received_at, lang)}</time>
        </div>
      </div>
      {children}
      {below && <div className="unit__below">{below}</div>}
    </li>
  );
}

function BoxLabel({ box }: { box: BoxView }) {
  const { t } = useTranslation();
  const lang = useLang();
  return (
    <div className="box-label" data-testid="box-label" data-box={box.box_id}>
      <h3 className="box-label__title">
        {t("returns.label", { id: shortBoxId(box.box_id) })}
        {box.closed_at && (
          <span className="box-label__time">
            {" "}
            · <time dateTime={box.closed_at}>{formatDateTime(box.closed_at, lang)}</time>
          </span>
        )}
      </h3>
      <div className="box-label__qr-row">
        {box.label_qr_data_uri && (
          <img
            className="box-label__qr"
            data-testid="box-label-qr"
            src={box.label_qr_data_uri}
            alt={t("returns.qrAlt")}
          />
        )}
        <div>
          <code className="qr-text" data-testid="box-label-qr-text">
            {box.label_qr_text}
          </code>
          <p>{t("returns.items", { count: box.items.length })}</p>
        </div>
      </div>
      <PrintBar key={box.box_id} document={{ kind: "box_label", box_id: box.box_id }} />
    </div>
  );
}

function Handover({
  driver,
  boxes,
  onHandOver,
}: {
  driver: StaffView | null;
  boxes: number;
  onHandOver: () => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="handover" data-testid="handover">
      {driver === null ? (
        <p className="panel__prompt" data-testid="driver-prompt">
          <Icon name="scan" />
          {t("returns.driverPrompt")}
        </p>
      ) : (
        <p className="handover__driver" data-testid="driver-name" data-driver={driver.employee_id}>
          {t("returns.driver")}: <strong>{driver.name}</strong>
        </p>
      )}
      <button
        type="button"
        className="button button--confirm"
        data-testid="hand-over-boxes"
        disabled={driver === null || boxes === 0}
        aria-keyshortcuts="F9"
        onClick={onHandOver}
      >
        {t("returns.handOver", { count: boxes })}
        <kbd aria-hidden="true">F9</kbd>
      </button>
    </div>
  );
}
