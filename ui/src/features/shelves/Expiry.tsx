//! Невостребованные: the items still on the shelf past the point's storage period, longest over
//! first, each with its cell and how many days over. All are ticked; the manager takes out the
//! ones the buyer is still coming for and confirms (F9): the rest go to returns as unredeemed (and
//! from there into return boxes), and with none left the list closes. Esc goes back.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ExpiryView } from "../../bindings";
import type { Counter } from "../../counterState";
import { useLang } from "../../i18n";
import { formatDateTime } from "../../money";
import { isTypingTarget, useWindowKeydown } from "../../useWindowKeydown";
import * as api from "./api";

type Props = { expiry: ExpiryView; counter: Pick<Counter, "perform"> };

export function Expiry({ expiry, counter }: Props) {
  const { t } = useTranslation();
  const lang = useLang();
  const [unticked, setUnticked] = useState<ReadonlySet<string>>(new Set());
  const chosen = expiry.items.filter((item) => !unticked.has(item.item_id));
  const [busy, setBusy] = useState(false);

  const toggle = (itemId: string) =>
    setUnticked((current) => {
      const next = new Set(current);
      if (next.has(itemId)) next.delete(itemId);
      else next.add(itemId);
      return next;
    });

  const confirm = async () => {
    if (busy || chosen.length === 0) return;
    setBusy(true);
    const moved = await counter.perform(() =>
      api.moveExpiredToReturns(chosen.map((item) => item.item_id)),
    );
    setBusy(false);
    // All of them gone: back to where the reminder was (it is gone too).
    if (moved && chosen.length === expiry.items.length) void counter.perform(api.closeExpiry);
  };

  useWindowKeydown((event) => {
    if (event.key === "Escape" && !isTypingTarget(event.target)) {
      event.preventDefault();
      void counter.perform(api.closeExpiry);
    } else if (event.key === "F9") {
      event.preventDefault();
      void confirm();
    }
  });

  return (
    <section className="returns" data-testid="expiry" aria-labelledby="expiry-title">
      <header className="returns__head">
        <h1 id="expiry-title" className="returns__title">
          {t("expiry.title")}
        </h1>
        <button
          type="button"
          className="button"
          data-testid="expiry-close"
          aria-keyshortcuts="Escape"
          onClick={() => void counter.perform(api.closeExpiry)}
        >
          {t("expiry.close")}
          <kbd aria-hidden="true">Esc</kbd>
        </button>
      </header>
      {!expiry.policy_loaded && (
        <p className="dialog__error" data-testid="expiry-no-policy">
          {t("errors.storage_policy_missing")}
        </p>
      )}
      <p className="muted">{t("expiry.hint")}</p>
      <ul className="units" data-testid="expiry-items" data-count={expiry.items.length}>
        {expiry.items.length === 0 && <li className="units__empty">{t("expiry.empty")}</li>}
        {expiry.items.map((item) => (
          <li key={item.item_id} className="unit" data-testid={`expiry-item-${item.item_id}`}>
            <label className="expiry__pick">
              <input
                type="checkbox"
                data-testid={`expiry-check-${item.item_id}`}
                checked={!unticked.has(item.item_id)}
                onChange={() => toggle(item.item_id)}
              />
              <span className="receiving-item__cell">{item.cell}</span>
              <span className="unit__info">
                <span className="unit__name">{item.name}</span>
                <span className="unit__meta">
                  {item.short_code} · {item.buyer} ·{" "}
                  {t("expiry.arrived", { time: formatDateTime(item.arrived_at, lang) })}
                </span>
              </span>
            </label>
            <span
              className="chip chip--offline"
              data-testid={`expiry-days-${item.item_id}`}
              data-days={item.days_over}
            >
              {t("expiry.daysOver", { count: item.days_over })}
            </span>
          </li>
        ))}
      </ul>
      <button
        type="button"
        className="button button--confirm button--big"
        data-testid="expiry-confirm"
        aria-keyshortcuts="F9"
        disabled={busy || chosen.length === 0}
        onClick={() => void confirm()}
      >
        {t("expiry.confirm", { count: chosen.length })}
        <kbd aria-hidden="true">F9</kbd>
      </button>
    </section>
  );
}
