//! Приём отказов от курьера: started by scanning the courier's badge. The courier's manifest lines
//! (when the server gave it; offline, items are recorded as they come) show which items were scanned
//! and which are still missing, extras below them; each scanned item gets a reason (the refusal
//! dialog, keys 1–5): a defect costs nothing and travels back free, other reasons carry the policy
//! fee. A reason key pressed right after an item's scan opens the dialog with that reason chosen,
//! so an item takes two keys (the reason, Enter); starting to type a description instead opens it
//! with a defect chosen and the words in it, so a defect takes the description and Enter. The manager who takes the items in writes their
//! name and completes (F9).
import { useLayoutEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type {
  HandBackLineView,
  HandBackScanView,
  HandBackView,
  RefusalReason,
} from "../../bindings";
import { RefuseDialog, useReasonKeys, type TypedAhead } from "../../components/RefuseDialog";
import type { Counter, SeenNotice } from "../../counterState";
import { useWindowKeydown } from "../../useWindowKeydown";
import { HandBackReason } from "./HandBackReason";
import * as api from "./api";
import { LIMITS } from "../../limits";
import { Icon } from "../../components/Icon";

type Props = {
  handBack: HandBackView;
  notice: SeenNotice | null;
  counter: Pick<Counter, "perform">;
  /** The manager logged in at the counter: who accepts the items, unless someone else is named. */
  onDuty?: string | null;
};

/** The name typed last time, so the same manager need not type it for every courier. */
const ACCEPTED_BY_KEY = "pvz-kiosk.acceptedBy";

function rememberedName(): string {
  try {
    return window.localStorage.getItem(ACCEPTED_BY_KEY) ?? "";
  } catch {
    return "";
  }
}

function rememberName(name: string): void {
  try {
    window.localStorage.setItem(ACCEPTED_BY_KEY, name);
  } catch {
    // Not remembering the name only means typing it again next time.
  }
}

type Refusing = {
  line: HandBackLineView;
  scan: HandBackScanView;
  reason: RefusalReason | null;
  typed?: TypedAhead | undefined;
};

/**
 * The line a reason key is for: the one whose buttons have the keyboard, else the item scanned
 * last while it still has no reason, else the first scanned item without one.
 */
function lineForKey(
  lines: readonly HandBackLineView[],
  target: EventTarget | null,
  scannedId: string | null,
): HandBackLineView | null {
  const row = target instanceof Element ? target.closest<HTMLElement>("[data-return-id]") : null;
  const waiting = (line: HandBackLineView) => line.scanned !== null && line.scanned.reason === null;
  if (row !== null) return lines.find((l) => l.scanned?.return_id === row.dataset.returnId) ?? null;
  const last = lines.find((l) => l.scanned?.return_id === scannedId);
  return last && waiting(last) ? last : (lines.find(waiting) ?? null);
}

export function HandBack({ handBack, notice, counter, onDuty }: Props) {
  const { t } = useTranslation();
  const nameId = useId();
  const listRef = useRef<HTMLUListElement>(null);
  const [acceptedBy, setAcceptedBy] = useState(() => onDuty ?? rememberedName());
  const [refusing, setRefusing] = useState<Refusing | null>(null);
  const scanned = handBack.lines.filter((line) => line.scanned !== null);
  const withoutReason = scanned.filter((line) => line.scanned?.reason === null).length;
  const name = acceptedBy.trim();
  const canComplete = scanned.length > 0 && withoutReason === 0 && name !== "";
  const scannedId =
    notice?.notice.kind === "hand_back_item_scanned" ? notice.notice.return_id : null;

  // The item just scanned: bring it into view, its reason button onto the keyboard.
  useLayoutEffect(() => {
    if (notice?.notice.kind !== "hand_back_item_scanned") return;
    const button = listRef.current?.querySelector<HTMLElement>(
      `[data-testid="hand-back-reason-${notice.notice.return_id}"]`,
    );
    button?.scrollIntoView?.({ block: "nearest" });
    button?.focus();
  }, [notice]);

  const complete = () => {
    if (!canComplete) return;
    rememberName(name);
    void counter.perform(() => api.completeHandBack(name));
  };

  useWindowKeydown((event) => {
    if (event.key === "F9") {
      event.preventDefault();
      complete();
    }
  }, refusing === null);

  useReasonKeys(
    (reason, target, typed) => {
      const line = lineForKey(handBack.lines, target, scannedId);
      if (!line?.scanned) return false;
      setRefusing({ line, scan: line.scanned, reason, typed });
      return true;
    },
    refusing === null,
    true,
  );

  let hint: string | null = null;
  if (scanned.length === 0) hint = t("handBack.needItems");
  else if (withoutReason > 0) hint = t("handBack.needReasons", { count: withoutReason });
  else if (name === "") hint = t("handBack.needName");

  return (
    <section className="hand-back" data-testid="hand-back" aria-labelledby="hand-back-title">
      <header className="hand-back__head">
        <h1 id="hand-back-title" className="hand-back__title">
          {t("handBack.title")}
        </h1>
        <span className="hand-back__courier">
          <span className="muted">{t("handBack.courier")}:</span>{" "}
          <strong data-testid="hand-back-courier">{handBack.courier_name}</strong>
        </span>
        <span className="chip" data-testid="hand-back-missing" data-count={handBack.missing}>
          {t("handBack.missing", { count: handBack.missing })}
        </span>
        <span className="chip" data-testid="hand-back-extra" data-count={handBack.extra}>
          {t("handBack.extra", { count: handBack.extra })}
        </span>
      </header>

      {!handBack.manifest_loaded && (
        <div className="hand-back__offline" data-testid="hand-back-no-manifest">
          <span>{t("handBack.noManifest")}</span>
          <button
            type="button"
            className="button"
            data-testid="hand-back-load-manifest"
            onClick={() => void counter.perform(api.loadCourierManifest)}
          >
            {t("handBack.loadManifest")}
          </button>
        </div>
      )}

      <div className="hand-back__body">
        <div className="hand-back__lines">
          <p className="hand-back__prompt">
            <Icon name="scan" />
            {t("handBack.scanPrompt")}
          </p>
          <ul className="lines" ref={listRef} aria-label={t("handBack.linesLabel")}>
            {handBack.lines.map((line) => (
              <Line
                key={line.scanned?.return_id ?? line.item_id ?? line.name}
                line={line}
                highlighted={line.scanned !== null && line.scanned.return_id === scannedId}
                onReason={(scan) => setRefusing({ line, scan, reason: null })}
                onRemove={(scan) =>
                  void counter.perform(() => api.removeHandBackItem(scan.return_id))
                }
              />
            ))}
          </ul>
        </div>

        <aside className="hand-back__side">
          <div className="field">
            <label htmlFor={nameId}>{t("handBack.acceptedBy")}</label>
            <input
              id={nameId}
              type="text"
              data-testid="hand-back-accepted-by"
              maxLength={LIMITS.personName}
              value={acceptedBy}
              placeholder={t("handBack.acceptedByPlaceholder")}
              autoComplete="off"
              onChange={(event) => setAcceptedBy(event.target.value)}
            />
          </div>
          {hint && (
            <p className="hand-back__hint" data-testid="hand-back-hint">
              {hint}
            </p>
          )}
          <button
            type="button"
            className="button button--confirm"
            data-testid="hand-back-complete"
            disabled={!canComplete}
            aria-keyshortcuts="F9"
            onClick={complete}
          >
            {t("handBack.complete")}
            <kbd aria-hidden="true">F9</kbd>
          </button>
          <button
            type="button"
            className="button"
            data-testid="hand-back-cancel"
            onClick={() => void counter.perform(api.cancelHandBack)}
          >
            {t("handBack.cancel")}
          </button>
        </aside>
      </div>

      {refusing && (
        <RefuseDialog
          item={refusing.line}
          initialReason={refusing.reason}
          typedAhead={refusing.typed}
          defectHint={t("handBack.defectHint")}
          onConfirm={(decision) =>
            counter.perform(() => api.setHandBackReason(refusing.scan.return_id, decision))
          }
          onCancel={() => setRefusing(null)}
        />
      )}
    </section>
  );
}

type LineProps = {
  line: HandBackLineView;
  highlighted: boolean;
  onReason: (scan: HandBackScanView) => void;
  onRemove: (scan: HandBackScanView) => void;
};

function Line({ line, highlighted, onReason, onRemove }: LineProps) {
  const { t } = useTranslation();
  const { scanned } = line;
  const state = line.item_id === null ? "extra" : scanned === null ? "missing" : "scanned";
  const testId = `hand-back-line-${scanned?.return_id ?? line.item_id ?? line.name}`;
  return (
    <li
      className={`line line--${state}${highlighted ? " line--matched" : ""}`}
      data-testid={testId}
      data-state={state}
      data-item={line.item_id ?? undefined}
      data-return-id={scanned?.return_id}
    >
      <span className={`line__state line__state--${state}`}>
        <span aria-hidden="true">
          {state === "missing" ? "○ " : state === "extra" ? "+ " : "✓ "}
        </span>
        {t(`handBack.state.${state}`)}
      </span>
      <div className="line__info">
        <div className="line__name">{line.name}</div>
        <div className="line__variant">
          {line.variant}
          {(scanned?.code ?? line.code) && (
            <code className="line__code"> {scanned?.code ?? line.code}</code>
          )}
        </div>
        {scanned?.reason && (
          <div className="line__reason" data-testid={`hand-back-fee-${scanned.return_id}`}>
            <HandBackReason scan={scanned} />
          </div>
        )}
      </div>
      {scanned && (
        <div className="line__actions">
          <button
            type="button"
            className={`button${scanned.reason === null ? " button--refuse" : ""}`}
            data-testid={`hand-back-reason-${scanned.return_id}`}
            aria-keyshortcuts="1 2 3 4 5"
            onClick={() => onReason(scanned)}
          >
            {scanned.reason === null ? t("handBack.chooseReason") : t("handBack.changeReason")}
            <kbd aria-hidden="true">1–5</kbd>
          </button>
          <button
            type="button"
            className="button button--quiet"
            data-testid={`hand-back-remove-${scanned.return_id}`}
            onClick={() => onRemove(scanned)}
          >
            {t("handBack.remove")}
          </button>
        </div>
      )}
    </li>
  );
}
