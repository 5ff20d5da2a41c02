//! One item of the open order: where it lies (cell), what it is, what it costs, and either the
//! decision buttons or the decision taken (colour and icon) with a way to change it. An item the
//! receiving recorded missing says so, and offers leaving it out («нет на пункте») first.
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { ItemDecision, ItemView } from "../../bindings";
import { PhotoButton } from "../../components/PhotoButton";
import { useLang } from "../../i18n";
import { formatMoney } from "../../money";

type Props = {
  item: ItemView;
  /** The item a scan just matched: highlighted so the manager sees which one it was. */
  matched: boolean;
  onHandOver: () => void;
  onNotArrived: () => void;
  onRefuse: () => void;
  onChange: () => void;
  onPhoto: (file: File) => void;
};

const STATES = { hand_over: "handed", refuse: "refused", not_arrived: "not-arrived" } as const;
const ICONS = { hand_over: "✓", refuse: "✕", not_arrived: "∅" } as const;

export function ItemRow({
  item,
  matched,
  onHandOver,
  onNotArrived,
  onRefuse,
  onChange,
  onPhoto,
}: Props) {
  const { t } = useTranslation();
  const lang = useLang();
  const { decision } = item;
  const state = decision === null ? "undecided" : STATES[decision.kind];
  const missing = item.missing_at_receiving;

  return (
    <li
      className={`item item--${state}${matched ? " item--matched" : ""}${missing ? " item--missing" : ""}`}
      data-testid={`item-${item.item_id}`}
      data-item-id={item.item_id}
      data-decision={state}
      data-missing={missing}
    >
      <div className="item__cell">
        <span className="item__cell-label">{t("order.cell")}</span>
        <span className="item__cell-value">{item.cell === "" ? "—" : item.cell}</span>
      </div>

      <div className="item__info">
        <div className="item__name">{item.name}</div>
        <div className="item__variant">{item.variant}</div>
        <div className="item__price-line">
          <span className="item__price">{formatMoney(item.price, lang)}</span>
          {item.prepaid ? (
            <span className="badge badge--prepaid">{t("order.prepaid")}</span>
          ) : (
            <span className="badge badge--pay">{t("order.payAtCounter")}</span>
          )}
        </div>
        {missing && (
          <div className="item__missing" data-testid={`missing-${item.item_id}`} role="note">
            {t("order.missingAtReceiving")}
          </div>
        )}
        {decision?.kind === "refuse" && decision.description && (
          <div className="item__description">«{decision.description}»</div>
        )}
        {decision?.kind === "refuse" && <FeeLine item={item} />}
      </div>

      <div className="item__actions">
        {decision === null ? (
          <>
            {missing && (
              <button
                type="button"
                className="button button--not-arrived"
                data-testid={`not-arrived-${item.item_id}`}
                onClick={onNotArrived}
              >
                <span aria-hidden="true">∅ </span>
                {t("order.notArrived")}
              </button>
            )}
            <button
              type="button"
              className="button button--hand-over"
              data-testid={`hand-over-${item.item_id}`}
              onClick={onHandOver}
            >
              <span aria-hidden="true">✓ </span>
              {missing ? t("order.foundHandOver") : t("order.handOver")}
            </button>
            <button
              type="button"
              className="button button--refuse"
              data-testid={`refuse-${item.item_id}`}
              aria-keyshortcuts="1 2 3 4 5"
              onClick={onRefuse}
            >
              <span aria-hidden="true">✕ </span>
              {t("order.refuse")}
              <kbd aria-hidden="true">1–5</kbd>
            </button>
          </>
        ) : (
          <>
            <span
              className={`decision decision--${state}`}
              data-testid={`decision-${item.item_id}`}
            >
              <span className="decision__icon" aria-hidden="true">
                {ICONS[decision.kind]}
              </span>
              {decisionText(decision, t)}
            </span>
            {decision.kind === "refuse" && decision.reason === "defect" && (
              <PhotoButton itemId={item.item_id} photos={item.photos} onPhoto={onPhoto} />
            )}
            <button
              type="button"
              className="button button--quiet"
              data-testid={`change-${item.item_id}`}
              onClick={onChange}
            >
              {t("order.change")}
            </button>
          </>
        )}
      </div>
    </li>
  );
}

function decisionText(decision: ItemDecision, t: TFunction): string {
  switch (decision.kind) {
    case "hand_over":
      return t("order.decidedHandOver");
    case "not_arrived":
      return t("order.decidedNotArrived");
    case "refuse":
      return t("order.decidedRefuse", { reason: t(`reasonShort.${decision.reason}`) });
  }
}

function FeeLine({ item }: { item: ItemView }) {
  const { t } = useTranslation();
  const lang = useLang();
  if (item.fee_rule === null) return null;
  const text =
    item.fee_rule === "policy_fee"
      ? t("fee.policy_fee", { amount: formatMoney(item.fee ?? 0, lang) })
      : t(`fee.${item.fee_rule}`);
  return (
    <div className={`fee-line fee-line--${item.fee_rule}`} data-testid={`fee-line-${item.item_id}`}>
      {text}
    </div>
  );
}
