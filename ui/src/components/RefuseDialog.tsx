//! Refusing one item: pick the reason (buttons or keys 1–5), describe a defect, and see which fee
//! rule applies before confirming (Enter; Shift+Enter is a new line in the description). The exact
//! fee then comes back from the backend on the item row. A screen may open it with the reason
//! already chosen (a reason key pressed on the item's row: [`useReasonKeys`]; on the courier's
//! hand-back also a defect, with the description's first letters typed on the row) and may offer F2,
//! «record this refusal and hand the rest over». The courier's hand-back asks for the same reasons
//! with this dialog.
import { useLayoutEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ItemDecision, ItemView, RefusalReason } from "../bindings";
import { trapTab } from "../focusTrap";
import { burstContinuedSince } from "../scanner/useWedge";
import { isModifierKey, isPrintableKey } from "../scanner/wedge";
import { isInteractiveTarget, isTypingTarget, useWindowKeydown } from "../useWindowKeydown";
import { LIMITS } from "../limits";

/** How long a reason hotkey waits to be sure it was not the first character of a scan. */
const HOTKEY_SETTLE_MS = 60;

/** In key order: key 1 is a defect, key 5 an incomplete item. */
export const REFUSAL_REASONS: readonly RefusalReason[] = [
  "defect",
  "did_not_fit",
  "changed_mind",
  "wrong_item",
  "incomplete",
];

type FeeHint = "refuse.feeDefect" | "refuse.feeSellerFault" | "refuse.feePolicy";

function feeHintOf(reason: RefusalReason): FeeHint {
  switch (reason) {
    case "defect":
      return "refuse.feeDefect";
    case "wrong_item":
    case "incomplete":
      return "refuse.feeSellerFault";
    case "did_not_fit":
    case "changed_mind":
      return "refuse.feePolicy";
  }
}

/** A key pressed outside text fields and not in a chord: one a screen may take as its own. */
function isPlainKey(event: KeyboardEvent): boolean {
  return !isTypingTarget(event.target) && !event.ctrlKey && !event.metaKey && !event.altKey;
}

/** The reason a key 1–5 names, outside text fields and chords; null for any other key. */
function reasonOfKey(event: KeyboardEvent): RefusalReason | null {
  if (!isPlainKey(event) || !/^[1-9]$/.test(event.key)) return null;
  return REFUSAL_REASONS[Number(event.key) - 1] ?? null;
}

/**
 * Letters a person typed to start a defect's description before the dialog's field was on screen.
 * The screen hands it to the dialog, which [`take`]s them; the keys after that land in the field.
 */
export class TypedAhead {
  private text: string;
  private open = true;

  constructor(first: string) {
    this.text = first;
  }

  /**
   * Adds a key typed while the dialog is on its way (a character, or Backspace taking the last one
   * back); false once the field has taken the text, or for any other key.
   */
  add(key: string): boolean {
    if (!this.open) return false;
    if (key === "Backspace") this.text = this.text.slice(0, -1);
    else if (isPrintableKey(key)) this.text += key;
    else return false;
    return true;
  }

  /** The letters so far; later ones are the field's own. */
  take(): string {
    this.open = false;
    return this.text;
  }
}

/** A letter pressed outside a text field and without a chord: where a description may start. */
function startsDescription(event: KeyboardEvent): boolean {
  return isPlainKey(event) && /^\p{L}$/u.test(event.key);
}

/**
 * Keys 1–5 pick a reason for `pick(reason, target)`, with the element the key was pressed on. The
 * digit may be the first character of a scan: it acts only if no scanner burst follows it.
 *
 * With `describes`, a letter starts a defect's description instead: `pick("defect", target, typed)`
 * with the letters typed so far, so a person who simply starts describing the damage gets the
 * dialog with the defect chosen and their words in it. `pick` returns false when there is nothing
 * to describe. A scanner's burst that starts with a letter is told apart the same way as a digit.
 */
export function useReasonKeys(
  pick: (reason: RefusalReason, target: EventTarget | null, typed?: TypedAhead) => boolean | void,
  active = true,
  describes = false,
): void {
  // The description being typed ahead, until the dialog takes it or a key that is not typing
  // (an arrow, Escape, a chord) ends it.
  const typing = useRef<TypedAhead | null>(null);
  useWindowKeydown((event) => {
    const ahead = typing.current;
    if (ahead !== null && isPlainKey(event)) {
      if (isModifierKey(event.key)) return;
      if (ahead.add(event.key)) {
        event.preventDefault();
        return;
      }
    }
    typing.current = null;

    const reason = reasonOfKey(event);
    const typed =
      reason === null && describes && startsDescription(event) ? new TypedAhead(event.key) : null;
    if (reason === null && typed === null) return;
    event.preventDefault();
    typing.current = typed;
    const { target } = event;
    const pressedAt = performance.now();
    setTimeout(() => {
      const opened =
        !burstContinuedSince(pressedAt) && pick(reason ?? "defect", target, typed ?? undefined);
      // A scan, or nothing to describe: the letters held so far go nowhere, as before.
      if (opened === false) typed?.take();
    }, HOTKEY_SETTLE_MS);
  }, active);
}

/** F2 in the dialog: record this refusal, then hand every undecided item over. */
export type RefuseAndRest = {
  label: string;
  onConfirm: (decision: ItemDecision) => Promise<boolean>;
};

type Props = {
  item: Pick<ItemView, "name" | "variant">;
  /** Chosen already (a reason key on the item's row): the description or Enter comes next. */
  initialReason?: RefusalReason | null;
  /** The description's first letters, typed before the dialog was up (with a defect chosen). */
  typedAhead?: TypedAhead | undefined;
  /** Offered as F2 where a screen has a «rest» to hand over (the open order). */
  rest?: RefuseAndRest | undefined;
  /** What a defect costs, when the flow words it differently from the counter's refusal. */
  defectHint?: string;
  /** Resolves true when the backend accepted the refusal, which closes the dialog. */
  onConfirm: (decision: ItemDecision) => Promise<boolean>;
  onCancel: () => void;
};

export function RefuseDialog({
  item,
  initialReason = null,
  typedAhead,
  rest,
  defectHint,
  onConfirm,
  onCancel,
}: Props) {
  const { t } = useTranslation();
  const titleId = useId();
  const descriptionId = useId();
  const dialogRef = useRef<HTMLDivElement>(null);
  const descriptionRef = useRef<HTMLTextAreaElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const [reason, setReason] = useState<RefusalReason | null>(initialReason);
  const [description, setDescription] = useState(() => typedAhead?.take() ?? "");
  const [missingDescription, setMissingDescription] = useState(false);
  const [submitting, setSubmitting] = useState(false);

  // The keyboard starts on the next thing to do: the first reason, or with one chosen already the
  // description of a defect, or the confirm button.
  useLayoutEffect(() => {
    const field = descriptionRef.current;
    if (initialReason === "defect") {
      // Typing goes on after any letters typed ahead.
      field?.focus();
      field?.setSelectionRange(field.value.length, field.value.length);
    } else if (initialReason !== null) confirmRef.current?.focus();
    else dialogRef.current?.querySelector<HTMLElement>("[data-reason]")?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the dialog opens
  }, []);

  const choose = (next: RefusalReason) => {
    setReason(next);
    setMissingDescription(false);
    // The next step takes the keyboard: a defect needs words, any other reason just Enter.
    requestAnimationFrame(() => (next === "defect" ? descriptionRef : confirmRef).current?.focus());
  };

  const confirm = async (record = onConfirm) => {
    if (reason === null || submitting) return;
    const text = description.trim();
    if (reason === "defect" && text === "") {
      setMissingDescription(true);
      descriptionRef.current?.focus();
      return;
    }
    setSubmitting(true);
    const accepted = await record({
      kind: "refuse",
      reason,
      description: text === "" ? null : text,
    });
    setSubmitting(false);
    if (accepted) onCancel();
  };

  useWindowKeydown((event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      onCancel();
    } else if (event.key === "F2" && rest) {
      event.preventDefault();
      void confirm(rest.onConfirm);
    } else if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      // Enter records the refusal from the description too; Shift+Enter is its new line. On a
      // button, Enter presses that button.
      if (isInteractiveTarget(event.target) && !(event.target instanceof HTMLTextAreaElement))
        return;
      event.preventDefault();
      void confirm();
    }
  });

  useReasonKeys((picked) => choose(picked));

  return (
    <div className="dialog-backdrop">
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        ref={dialogRef}
        onKeyDown={(event) => trapTab(dialogRef.current, event)}
        data-testid="refuse-dialog"
      >
        <h2 id={titleId} className="dialog__title">
          <span className="icon icon--refuse" aria-hidden="true">
            ✕
          </span>
          {t("refuse.title", { name: item.name })}
        </h2>
        <p className="dialog__variant">{item.variant}</p>

        <fieldset className="reasons">
          <legend>{t("refuse.reasonLegend")}</legend>
          {REFUSAL_REASONS.map((r, i) => (
            <button
              key={r}
              type="button"
              className="button reason"
              data-reason={r}
              data-testid={`reason-${r}`}
              aria-pressed={reason === r}
              aria-keyshortcuts={String(i + 1)}
              onClick={() => choose(r)}
            >
              <kbd aria-hidden="true">{i + 1}</kbd> {t(`reason.${r}`)}
            </button>
          ))}
        </fieldset>

        {reason === "defect" && (
          <div className="dialog__field">
            <label htmlFor={descriptionId}>{t("refuse.description")}</label>
            <textarea
              id={descriptionId}
              ref={descriptionRef}
              data-testid="defect-description"
              required
              aria-invalid={missingDescription}
              rows={3}
              maxLength={LIMITS.description}
              value={description}
              placeholder={t("refuse.descriptionPlaceholder")}
              onChange={(event) => {
                setDescription(event.target.value);
                setMissingDescription(false);
              }}
            />
          </div>
        )}

        {missingDescription && (
          <p className="dialog__error" role="alert" data-testid="refuse-error">
            {t("errors.defect_needs_description")}
          </p>
        )}

        <p className="fee-hint" data-testid="fee-hint" aria-live="polite">
          {reason === null
            ? t("refuse.pickReason")
            : reason === "defect" && defectHint
              ? defectHint
              : t(feeHintOf(reason))}
        </p>

        <div className="dialog__actions">
          <button type="button" className="button" onClick={onCancel}>
            {t("refuse.cancel")} <kbd aria-hidden="true">Esc</kbd>
          </button>
          <button
            type="button"
            className="button button--refuse"
            ref={confirmRef}
            data-testid="refuse-confirm"
            disabled={reason === null || submitting}
            aria-keyshortcuts="Enter"
            onClick={() => void confirm()}
          >
            <span aria-hidden="true">✕ </span>
            {t("refuse.confirm")}
            <kbd aria-hidden="true">Enter</kbd>
          </button>
          {rest && (
            <button
              type="button"
              className="button button--hand-over"
              data-testid="refuse-confirm-rest"
              disabled={reason === null || submitting}
              aria-keyshortcuts="F2"
              onClick={() => void confirm(rest.onConfirm)}
            >
              {rest.label}
              <kbd aria-hidden="true">F2</kbd>
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
