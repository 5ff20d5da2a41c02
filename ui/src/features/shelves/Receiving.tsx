//! Приёмка: the shipment being received. Each item scanned gets a proposed cell ("положите в
//! ячейку A-07 и отсканируйте её", one buyer's items together); scanning the cell's label places it.
//! The expected items show waiting, placed (with the cell) or damaged (a description and photos);
//! codes that matched nothing are listed as unexpected. Завершить приёмку (F9) says how many items
//! were not scanned (they are recorded as missing) before it closes; cancelling is for a session with
//! nothing placed yet.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ReceivingItemView, ReceivingView } from "../../bindings";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { PhotoButton } from "../../components/PhotoButton";
import type { Counter, SeenNotice } from "../../counterState";
import { fileToBase64 } from "../../ipc/base64";
import { useWindowKeydown } from "../../useWindowKeydown";
import * as api from "./api";
import { LIMITS } from "../../limits";
import { Icon } from "../../components/Icon";

type Props = {
  receiving: ReceivingView;
  notice: SeenNotice | null;
  counter: Pick<Counter, "perform">;
};

export function Receiving({ receiving, notice, counter }: Props) {
  const { t } = useTranslation();
  const { counts, pending } = receiving;
  const [closing, setClosing] = useState(false);
  const [damaging, setDamaging] = useState<ReceivingItemView | null>(null);
  const placedId = notice?.notice.kind === "item_placed" ? notice.notice.item_id : null;
  const unexpectedCode = notice?.notice.kind === "unexpected_recorded" ? notice.notice.code : null;
  const missing = receiving.items.filter((item) => item.state.state === "waiting");

  useWindowKeydown(
    (event) => {
      if (event.key === "F9") {
        event.preventDefault();
        setClosing(true);
      }
    },
    !closing && damaging === null,
  );

  const attachPhoto = (itemId: string, file: File) =>
    void counter.perform(async () => api.attachDamagePhoto(itemId, await fileToBase64(file)));

  return (
    <section className="receiving" data-testid="receiving" aria-labelledby="receiving-title">
      <header className="receiving__head">
        <h1 id="receiving-title" className="receiving__title">
          {t("receiving.title", { code: receiving.shipment_code })}
        </h1>
        <span
          className="chip"
          data-testid="receiving-counts"
          data-expected={counts.expected}
          data-placed={counts.placed}
          data-damaged={counts.damaged}
          data-waiting={counts.waiting}
          data-unexpected={counts.unexpected}
        >
          {t("receiving.counts", {
            placed: counts.placed,
            expected: counts.expected,
          })}
          {counts.damaged > 0 && <> · {t("receiving.damagedCount", { count: counts.damaged })}</>}
          {counts.unexpected > 0 && (
            <> · {t("receiving.unexpectedCount", { count: counts.unexpected })}</>
          )}
        </span>
        <div className="receiving__actions">
          <button
            type="button"
            className="button"
            data-testid="receiving-cancel"
            disabled={counts.placed > 0}
            title={counts.placed > 0 ? t("receiving.cancelPlaced") : undefined}
            onClick={() => void counter.perform(api.cancelReceiving)}
          >
            {t("receiving.cancel")}
          </button>
          <button
            type="button"
            className="button button--confirm"
            data-testid="receiving-close"
            aria-keyshortcuts="F9"
            onClick={() => setClosing(true)}
          >
            {t("receiving.close")}
            <kbd aria-hidden="true">F9</kbd>
          </button>
        </div>
      </header>

      {pending ? (
        <div
          className="receiving__proposal"
          role="status"
          data-testid="receiving-proposal"
          data-item={pending.item_id}
          data-cell={pending.proposed_cell}
        >
          <span className="receiving__proposal-cell" data-testid="proposed-cell">
            {pending.proposed_cell}
          </span>
          <div>
            <p className="receiving__proposal-text">
              {t("receiving.putInto", { cell: pending.proposed_cell })}
            </p>
            <p className="muted">
              {pending.name}
              {pending.with_buyers_items && <> · {t("receiving.withBuyersItems")}</>}
            </p>
          </div>
        </div>
      ) : (
        <p className="panel__prompt" data-testid="receiving-prompt">
          <Icon name="scan" />
          {t("receiving.scanItems")}
        </p>
      )}

      <ul className="units receiving__items" data-testid="receiving-items">
        {receiving.items.map((item) => (
          <ExpectedItem
            key={item.item_id}
            item={item}
            highlighted={item.item_id === placedId || item.item_id === pending?.item_id}
            onDamaged={() => setDamaging(item)}
            onPhoto={(file) => attachPhoto(item.item_id, file)}
          />
        ))}
      </ul>

      {receiving.unexpected.length > 0 && (
        <section className="panel" aria-labelledby="receiving-unexpected-title">
          <h2 id="receiving-unexpected-title" className="panel__title">
            {t("receiving.unexpected")}
          </h2>
          <ul className="units" data-testid="receiving-unexpected">
            {receiving.unexpected.map((code) => (
              <li
                key={code}
                className={`unit${code === unexpectedCode ? " unit--matched" : ""}`}
                data-code={code}
              >
                <code>{code}</code>
              </li>
            ))}
          </ul>
        </section>
      )}

      {closing && (
        <ConfirmDialog
          testId="close-receiving-dialog"
          title={t("receiving.closeTitle", { code: receiving.shipment_code })}
          confirmLabel={t("receiving.closeConfirm")}
          confirmTestId="close-receiving-confirm"
          onConfirm={() => counter.perform(api.closeReceiving)}
          onCancel={() => setClosing(false)}
        >
          <p>{t("receiving.placedOf", { placed: counts.placed, expected: counts.expected })}</p>
          <p
            className={missing.length > 0 ? "dialog__error" : undefined}
            data-testid="receiving-missing"
            data-count={missing.length}
          >
            {missing.length > 0
              ? t("receiving.missingWarning", { count: missing.length })
              : t("receiving.nothingMissing")}
          </p>
          {missing.length > 0 && (
            <ul className="receiving__missing" data-testid="receiving-missing-items">
              {missing.map((item) => (
                <li key={item.item_id}>
                  {item.name} <span className="muted">{item.variant}</span>
                </li>
              ))}
            </ul>
          )}
          {counts.unexpected > 0 && (
            <p>{t("receiving.unexpectedCount", { count: counts.unexpected })}</p>
          )}
        </ConfirmDialog>
      )}

      {damaging && (
        <DamageDialog
          item={damaging}
          onConfirm={(description) =>
            counter.perform(() => api.markDamaged(damaging.item_id, description))
          }
          onCancel={() => setDamaging(null)}
        />
      )}
    </section>
  );
}

function ExpectedItem({
  item,
  highlighted,
  onDamaged,
  onPhoto,
}: {
  item: ReceivingItemView;
  highlighted: boolean;
  onDamaged: () => void;
  onPhoto: (file: File) => void;
}) {
  const { t } = useTranslation();
  const { state } = item;
  return (
    <li
      className={`unit receiving-item receiving-item--${state.state}${highlighted ? " unit--matched" : ""}`}
      data-testid={`receiving-item-${item.item_id}`}
      data-state={state.state}
      data-cell={state.state === "placed" ? state.cell : undefined}
    >
      <div className="receiving-item__cell" data-testid={`receiving-cell-${item.item_id}`}>
        {state.state === "placed" ? state.cell : state.state === "damaged" ? "✕" : "…"}
      </div>
      <div className="unit__info">
        <div className="unit__name">{item.name}</div>
        <div className="unit__meta">
          {item.variant}
          {item.short_code && <> · {item.short_code}</>}
          {item.buyer && <> · {item.buyer}</>}
        </div>
        <div className="unit__meta">
          {state.state === "waiting" && t("receiving.waiting")}
          {state.state === "placed" &&
            (state.cell === state.proposed_cell
              ? t("receiving.placed", { cell: state.cell })
              : t("receiving.placedElsewhere", {
                  cell: state.cell,
                  proposed: state.proposed_cell,
                }))}
          {state.state === "damaged" && (
            <span data-testid={`receiving-damage-${item.item_id}`}>
              {t("receiving.damaged")}: «{state.description}»
            </span>
          )}
        </div>
      </div>
      {state.state === "damaged" ? (
        <PhotoButton
          itemId={`damage-${item.item_id}`}
          photos={state.photos}
          label={t("receiving.damagePhoto")}
          onPhoto={onPhoto}
        />
      ) : (
        <button
          type="button"
          className="button button--quiet"
          data-testid={`mark-damaged-${item.item_id}`}
          onClick={onDamaged}
        >
          {t("receiving.markDamaged")}
        </button>
      )}
    </li>
  );
}

function DamageDialog({
  item,
  onConfirm,
  onCancel,
}: {
  item: ReceivingItemView;
  onConfirm: (description: string) => Promise<boolean>;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [description, setDescription] = useState("");
  const text = description.trim();
  return (
    <ConfirmDialog
      testId="damage-dialog"
      title={t("receiving.damageTitle", { name: item.name })}
      confirmLabel={t("receiving.damageConfirm")}
      confirmTestId="damage-confirm"
      canConfirm={text !== ""}
      focusConfirm={false}
      onConfirm={() => onConfirm(text)}
      onCancel={onCancel}
    >
      <label className="field">
        {t("receiving.damageDescription")}
        <textarea
          data-testid="damage-description"
          rows={3}
          maxLength={LIMITS.description}
          // The dialog opens to be typed into.
          autoFocus
          value={description}
          placeholder={t("receiving.damagePlaceholder")}
          onChange={(event) => setDescription(event.target.value)}
        />
      </label>
      <p className="muted">{t("receiving.damageHint")}</p>
    </ConfirmDialog>
  );
}
