//! The small form an action opens: only the fields that action takes, checked as the server checks
//! them before anything is sent; Enter sends, Escape closes, the first field has the focus.
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import type { ClaimAction } from "../../bindings/ClaimAction";
import type { ClaimStatus } from "../../bindings/ClaimStatus";
import type { CompensationKind } from "../../bindings/CompensationKind";
import type { RejectionTemplate } from "../../bindings/RejectionTemplate";
import type { ReturnRoute } from "../../bindings/ReturnRoute";
import { formatMoney } from "../../money";
import {
  checkAction,
  compensationKinds,
  MAX_COMMENT,
  MIN_COMMENT,
  REJECTION_TEMPLATES,
  routeChoices,
  type ActionFields,
} from "../actionRules";
import { api } from "../api";
import { errorText } from "../errorText";
import { useLang } from "../i18n";
import { typedRubles } from "../rubles";

interface Props {
  action: ClaimAction;
  claim: ClaimStatus;
  price: number;
  onCancel: () => void;
  onDone: () => Promise<void>;
}

type CommentNeed = "required" | "optional" | "reason" | null;

function commentNeed(action: ClaimAction): CommentNeed {
  switch (action) {
    case "refuse_receipt":
    case "dispute":
      return "required";
    case "reject":
    case "uphold_rejection":
      return "optional";
    case "revoke":
      return "reason";
    case "approve_via_pickup_point":
    case "approve_to_seller":
    case "approve_without_return":
    case "reconsider":
    case "change_route":
    case "confirm_receipt":
      return null;
  }
}

export function ActionForm({ action, claim, price, onCancel, onDone }: Props) {
  const { t } = useTranslation();
  const lang = useLang();
  const kinds = compensationKinds(action);
  const routes = routeChoices(claim.compensation);
  const [fields, setFields] = useState<ActionFields>({
    kind: kinds[0] ?? "refund",
    amount: typedRubles(price),
    part: "",
    template: "",
    comment: "",
    route: routes.find((route) => route !== claim.route) ?? "pickup_point",
    address: claim.seller_address?.address ?? "",
    hours: claim.seller_address?.hours ?? "",
  });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    // The first field (or, for an action without fields, the send button) takes the focus.
    form.current?.querySelector<HTMLElement>("input, select, textarea, button")?.focus();
  }, []);

  const set = <K extends keyof ActionFields>(key: K, value: ActionFields[K]) =>
    setFields((before) => ({ ...before, [key]: value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkAction(action, fields, price);
    if (!checked.ok) {
      setError(t(`check.${checked.problem.key}`, checked.problem.values ?? {}));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.act(claim.claim_id, checked.request);
      await onDone();
    } catch (failure) {
      setError(errorText(t, failure));
      setBusy(false);
    }
  }

  function escape(event: KeyboardEvent) {
    if (event.key === "Escape") {
      event.preventDefault();
      onCancel();
    }
  }

  const needsAddress =
    action === "approve_to_seller" || (action === "change_route" && fields.route === "seller");
  const comment = commentNeed(action);
  const id = (name: string) => `action-${action}-${name}`;

  return (
    <form
      ref={form}
      className="action-form"
      aria-label={t(`action.${action}`)}
      onSubmit={(event) => void submit(event)}
      onKeyDown={escape}
      noValidate
    >
      <h3>{t(`action.${action}`)}</h3>
      {kinds.length > 0 && (
        <div className="field">
          <label htmlFor={id("kind")}>{t("form.kind")}</label>
          <select
            id={id("kind")}
            data-testid="action-compensation-kind"
            value={fields.kind}
            onChange={(event) => set("kind", event.target.value as CompensationKind)}
          >
            {kinds.map((kind) => (
              <option key={kind} value={kind}>
                {t(`compensationKind.${kind}`)}
              </option>
            ))}
          </select>
        </div>
      )}
      {kinds.length > 0 && fields.kind === "refund" && (
        <div className="field">
          <label htmlFor={id("amount")}>
            {t("form.amount", { price: formatMoney(price, lang) })}
          </label>
          <input
            id={id("amount")}
            data-testid="action-amount"
            inputMode="decimal"
            autoComplete="off"
            value={fields.amount}
            aria-describedby={id("amount-hint")}
            onChange={(event) => set("amount", event.target.value)}
          />
          <small id={id("amount-hint")}>{t("form.amountHint")}</small>
        </div>
      )}
      {kinds.length > 0 && fields.kind === "missing_part" && (
        <div className="field">
          <label htmlFor={id("part")}>{t("form.part")}</label>
          <input
            id={id("part")}
            data-testid="action-part"
            value={fields.part}
            onChange={(event) => set("part", event.target.value)}
          />
        </div>
      )}
      {action === "change_route" && (
        <div className="field">
          <label htmlFor={id("route")}>{t("form.route")}</label>
          <select
            id={id("route")}
            data-testid="action-route"
            value={fields.route}
            onChange={(event) => set("route", event.target.value as ReturnRoute)}
          >
            {routes.map((route) => (
              <option key={route} value={route}>
                {t(`routes.${route}`)}
              </option>
            ))}
          </select>
        </div>
      )}
      {needsAddress && (
        <>
          <div className="field">
            <label htmlFor={id("address")}>{t("form.address")}</label>
            <input
              id={id("address")}
              data-testid="action-address"
              autoComplete="street-address"
              value={fields.address}
              onChange={(event) => set("address", event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={id("hours")}>{t("form.hours")}</label>
            <input
              id={id("hours")}
              data-testid="action-hours"
              value={fields.hours}
              aria-describedby={id("hours-hint")}
              onChange={(event) => set("hours", event.target.value)}
            />
            <small id={id("hours-hint")}>{t("form.hoursHint")}</small>
          </div>
        </>
      )}
      {action === "reject" && (
        <div className="field">
          <label htmlFor={id("template")}>{t("form.template")}</label>
          <select
            id={id("template")}
            data-testid="action-template"
            value={fields.template}
            onChange={(event) => set("template", event.target.value as RejectionTemplate | "")}
          >
            <option value="">{t("template.none")}</option>
            {REJECTION_TEMPLATES.map((template) => (
              <option key={template} value={template}>
                {t(`template.${template}`)}
              </option>
            ))}
          </select>
        </div>
      )}
      {comment && (
        <div className="field">
          <label htmlFor={id("comment")}>
            {comment === "optional" ? t("form.commentOptional") : t("form.comment")}
          </label>
          <textarea
            id={id("comment")}
            data-testid="action-comment"
            rows={3}
            value={fields.comment}
            aria-describedby={comment === "reason" ? undefined : id("comment-hint")}
            onChange={(event) => set("comment", event.target.value)}
            onKeyDown={(event) => {
              // Enter sends, as in every field; Shift+Enter starts a new line.
              if (event.key === "Enter" && !event.shiftKey) {
                event.preventDefault();
                form.current?.requestSubmit();
              }
            }}
          />
          {comment !== "reason" && (
            <small id={id("comment-hint")}>
              {t("form.commentHint", { min: MIN_COMMENT, max: MAX_COMMENT })}
            </small>
          )}
        </div>
      )}
      {kinds.length === 0 && !comment && action !== "change_route" && <p>{t("form.confirm")}</p>}
      {error && (
        <p className="error" data-testid="action-error" role="alert">
          {error}
        </p>
      )}
      <div className="buttons">
        <button type="submit" data-testid="action-submit" disabled={busy}>
          {busy ? t("form.sending") : t("form.submit")}
        </button>
        <button type="button" data-testid="action-cancel" onClick={onCancel}>
          {t("form.cancel")}
        </button>
      </div>
    </form>
  );
}
