//! The open order: one row per item with its cell and a decision, the money summary, and the
//! hotkeys that drive it (F2 hand over the rest, F9 confirm, Esc set aside, 1–5 refuse the focused
//! item for that reason). A defect refusal and the rest handed over take four keys after the scan:
//! 1, the description, F2 (record it and hand the rest over), F9.
import { useLayoutEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ItemDecision, ItemView, OrderView, RefusalReason } from "../../bindings";
import { RefuseDialog, useReasonKeys } from "../../components/RefuseDialog";
import type { Counter, SeenNotice } from "../../counterState";
import { useWindowKeydown } from "../../useWindowKeydown";
import { ItemRow } from "./ItemRow";
import { OrderSummary } from "./OrderSummary";

type Props = {
  order: OrderView;
  notice: SeenNotice | null;
  counter: Pick<
    Counter,
    "decide" | "handOverUndecided" | "clearDecision" | "confirmIssue" | "setAside" | "attachPhoto"
  >;
};

/** The control the keyboard should be on: the next item to decide, else the confirm button. */
function nextFocusTarget(card: HTMLElement, order: OrderView): HTMLElement | null {
  const next = order.items.find((item) => item.decision === null);
  // An item recorded missing: leaving it out is the likely step, so its button comes first.
  const first = next?.missing_at_receiving ? "not-arrived" : "hand-over";
  const testId = next ? `${first}-${next.item_id}` : "confirm-issue";
  return card.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
}

/** The item a reason key refuses: the one whose row has the keyboard, else the next to decide. */
function itemForKey(order: OrderView, target: EventTarget | null): ItemView | null {
  const row = target instanceof Element ? target.closest<HTMLElement>("[data-item-id]") : null;
  if (row === null) return order.items.find((item) => item.decision === null) ?? null;
  const item = order.items.find((candidate) => candidate.item_id === row.dataset.itemId);
  return item && item.decision === null ? item : null;
}

type Refusing = { item: ItemView; reason: RefusalReason | null };

export function OrderCard({ order, notice, counter }: Props) {
  const { t } = useTranslation();
  const cardRef = useRef<HTMLElement>(null);
  const [refusing, setRefusing] = useState<Refusing | null>(null);
  const { settlement } = order;
  const matchedId = notice?.notice.kind === "item_matched" ? notice.notice.item_id : null;

  // A new order card takes the keyboard: the first item to decide is the obvious next step.
  // (App keys the card by order id, so this runs once per opened order.)
  useLayoutEffect(() => {
    if (cardRef.current) nextFocusTarget(cardRef.current, order)?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only on opening, not on each update
  }, []);

  // After a decision its buttons disappear and focus falls to <body>; put it on the next thing
  // to do so the counter can go on from the keyboard.
  useLayoutEffect(() => {
    const card = cardRef.current;
    if (!card || refusing) return;
    const active = document.activeElement;
    if (active === null || active === document.body) nextFocusTarget(card, order)?.focus();
  }, [order, refusing]);

  // A scanned item: bring its row into view and onto the keyboard. The item is in the manager's
  // hands, so an undecided one offers handing it over, even one recorded missing at receiving.
  useLayoutEffect(() => {
    if (!notice || notice.notice.kind !== "item_matched") return;
    const id = notice.notice.item_id;
    const row = cardRef.current?.querySelector<HTMLElement>(`[data-testid="item-${id}"]`);
    row?.scrollIntoView?.({ block: "nearest" });
    const handOver = row?.querySelector<HTMLElement>(`[data-testid="hand-over-${id}"]`);
    (handOver ?? row?.querySelector<HTMLElement>("button"))?.focus();
  }, [notice]);

  const confirm = () => {
    if (settlement.undecided === 0) counter.confirmIssue(order);
  };

  useWindowKeydown((event) => {
    switch (event.key) {
      case "F2":
        event.preventDefault();
        counter.handOverUndecided(order);
        break;
      case "F9":
        event.preventDefault();
        confirm();
        break;
      case "Escape":
        event.preventDefault();
        counter.setAside();
        break;
    }
  }, refusing === null);

  useReasonKeys((reason, target) => {
    const item = itemForKey(order, target);
    if (item) setRefusing({ item, reason });
  }, refusing === null);

  /** F2 in the refusal: this refusal, then every other undecided item handed over. */
  const refuseAndHandOverRest = async (item: ItemView, decision: ItemDecision) => {
    const accepted = await counter.decide(order, item.item_id, decision);
    const others = order.items.some((o) => o.decision === null && o.item_id !== item.item_id);
    if (accepted && others) counter.handOverUndecided(order);
    return accepted;
  };

  return (
    <section className="order" data-testid="order-card" ref={cardRef} aria-labelledby="order-title">
      <header className="order__head">
        <h1 id="order-title" className="order__title">
          {t("order.title", { code: order.short_code })}
        </h1>
        <span className="order__buyer">
          <span className="order__buyer-label">{t("order.buyer")}:</span> {order.buyer}
        </span>
        <span className={`chip chip--status chip--${order.status}`} data-testid="order-status">
          {t(`order.status.${order.status}`)}
        </span>
      </header>

      <div className="order__body">
        <ul className="items" aria-label={t("order.itemsLabel")}>
          {order.items.map((item) => (
            <ItemRow
              key={item.item_id}
              item={item}
              matched={item.item_id === matchedId}
              onHandOver={() => void counter.decide(order, item.item_id, { kind: "hand_over" })}
              onNotArrived={() => void counter.decide(order, item.item_id, { kind: "not_arrived" })}
              onRefuse={() => setRefusing({ item, reason: null })}
              onChange={() => counter.clearDecision(order, item.item_id)}
              onPhoto={(file) => counter.attachPhoto(order, item.item_id, file)}
            />
          ))}
        </ul>
        <OrderSummary
          settlement={settlement}
          onConfirm={confirm}
          onHandOverRest={() => counter.handOverUndecided(order)}
          onSetAside={counter.setAside}
        />
      </div>

      {refusing && (
        <RefuseDialog
          item={refusing.item}
          initialReason={refusing.reason}
          rest={
            order.items.some((o) => o.decision === null && o.item_id !== refusing.item.item_id)
              ? {
                  label: t("refuse.confirmAndRest"),
                  onConfirm: (decision) => refuseAndHandOverRest(refusing.item, decision),
                }
              : undefined
          }
          onConfirm={(decision) => counter.decide(order, refusing.item.item_id, decision)}
          onCancel={() => setRefusing(null)}
        />
      )}
    </section>
  );
}
