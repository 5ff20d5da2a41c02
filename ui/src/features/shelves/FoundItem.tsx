//! A found item (поиск товара): what it is, its cell, its order and where it is in its life at the
//! point, with its history below. Переместить asks for the new cell: scan its label (anywhere) or
//! type it. Esc goes back to what was on the counter before.
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { FoundItemView } from "../../bindings";
import type { Counter, SeenNotice } from "../../counterState";
import { useLang } from "../../i18n";
import { formatDateTime } from "../../money";
import { isTypingTarget, useWindowKeydown } from "../../useWindowKeydown";
import { ItemHistory } from "./ItemHistory";
import * as api from "./api";
import { LIMITS } from "../../limits";
import { Icon } from "../../components/Icon";

type Props = {
  item: FoundItemView;
  notice: SeenNotice | null;
  counter: Pick<Counter, "perform">;
};

export function FoundItem({ item, notice, counter }: Props) {
  const { t } = useTranslation();
  const lang = useLang();
  const cellId = useId();
  // The serial of the last notice when Переместить was pressed; null while not moving.
  const [movingFrom, setMovingFrom] = useState<number | null>(null);
  const serial = notice?.serial ?? 0;
  const [cell, setCell] = useState("");
  const onShelf = item.status.status === "on_shelf";
  const moved = notice?.notice.kind === "item_moved" ? notice.notice : null;
  // A cell label scanned anywhere since then moved the item: the form has nothing left to ask.
  const moving = movingFrom !== null && !(moved !== null && serial > movingFrom);
  const setMoving = (on: boolean) => setMovingFrom(on ? serial : null);
  const code = item.item_id ?? (item.status.status === "in_returns" ? item.status.return_id : "");

  useWindowKeydown((event) => {
    if (event.key !== "Escape" || isTypingTarget(event.target)) return;
    event.preventDefault();
    if (moving) setMoving(false);
    else void counter.perform(api.dismissFoundItem);
  });

  const move = (event: FormEvent) => {
    event.preventDefault();
    const target = cell.trim();
    if (!target || item.item_id === null) return;
    const itemId = item.item_id;
    void counter
      .perform(() => api.moveItem(itemId, target))
      .then((ok) => {
        if (ok) {
          setCell("");
          setMoving(false);
        }
      });
  };

  return (
    <section className="found" data-testid="found-item" data-item={item.item_id ?? ""}>
      <header className="returns__head">
        <h1 className="returns__title">
          {item.name} <span className="muted">{item.variant}</span>
        </h1>
        <button
          type="button"
          className="button"
          data-testid="found-close"
          aria-keyshortcuts="Escape"
          onClick={() => void counter.perform(api.dismissFoundItem)}
        >
          {t("found.close")}
          <kbd aria-hidden="true">Esc</kbd>
        </button>
      </header>

      <div className="found__body">
        <div className="found__card">
          <dl className="facts">
            <div>
              <dt>{t("order.cell")}</dt>
              <dd className="found__cell" data-testid="found-cell">
                {item.cell ?? "—"}
              </dd>
            </div>
            <div>
              <dt>{t("found.status")}</dt>
              <dd data-testid="found-status" data-status={item.status.status}>
                {statusText(item, t, lang)}
              </dd>
            </div>
            {item.short_code && (
              <div>
                <dt>{t("found.order")}</dt>
                <dd data-testid="found-order" data-order={item.order_id ?? ""}>
                  {item.short_code}
                  {item.buyer && <> · {item.buyer}</>}
                </dd>
              </div>
            )}
            {item.arrived_at && (
              <div>
                <dt>{t("found.arrived")}</dt>
                <dd>{formatDateTime(item.arrived_at, lang)}</dd>
              </div>
            )}
          </dl>
          {item.other_matches > 0 && (
            <p className="muted" data-testid="found-others">
              {t("found.otherMatches", { count: item.other_matches })}
            </p>
          )}
          {moved && (
            <p className="print-bar__done" role="status" data-testid="found-moved">
              {t("found.moved", { from: moved.from, to: moved.to })}
            </p>
          )}
          {onShelf && !moving && (
            <button
              type="button"
              className="button button--primary"
              data-testid="move-item"
              onClick={() => setMoving(true)}
            >
              {t("found.move")}
            </button>
          )}
          {onShelf && moving && (
            <form className="found__move" data-testid="move-form" onSubmit={move}>
              <p className="panel__prompt">
                <Icon name="scan" />
                {t("found.scanCell")}
              </p>
              <label className="field" htmlFor={cellId}>
                {t("found.cell")}
              </label>
              <div className="found__move-row">
                <input
                  id={cellId}
                  className="manual-entry__input"
                  data-testid="move-cell-input"
                  maxLength={LIMITS.cell}
                  value={cell}
                  placeholder="A-07"
                  autoComplete="off"
                  spellCheck={false}
                  onChange={(event) => setCell(event.target.value)}
                />
                <button
                  type="submit"
                  className="button button--primary"
                  data-testid="move-cell-submit"
                  disabled={cell.trim() === ""}
                >
                  {t("found.moveHere")}
                </button>
                <button type="button" className="button" onClick={() => setMoving(false)}>
                  {t("common.cancel")}
                </button>
              </div>
            </form>
          )}
        </div>
        {code && <ItemHistory code={code} revision={`${item.cell ?? ""}:${item.status.status}`} />}
      </div>
    </section>
  );
}

function statusText(
  item: FoundItemView,
  t: ReturnType<typeof useTranslation>["t"],
  lang: ReturnType<typeof useLang>,
): string {
  const { status } = item;
  switch (status.status) {
    case "expected":
      return t("found.statusExpected");
    case "damaged":
      return t("found.statusDamaged", { description: status.description });
    case "on_shelf":
      return t("found.statusOnShelf");
    case "issued":
      return status.issued_at
        ? t("found.statusIssuedAt", { time: formatDateTime(status.issued_at, lang) })
        : t("found.statusIssued");
    case "not_arrived":
      return status.issued_at
        ? t("found.statusNotArrivedAt", { time: formatDateTime(status.issued_at, lang) })
        : t("found.statusNotArrived");
    case "cancelled":
      return t("found.statusCancelled");
    case "in_returns":
      return status.box_id
        ? t("found.statusBoxed", { source: t(`returnSource.${status.source}`) })
        : t("found.statusInReturns", { source: t(`returnSource.${status.source}`) });
  }
}
