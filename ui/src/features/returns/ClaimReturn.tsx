//! Приём возврата по претензии: the approved claim a scanned claim return code opened. It shows the
//! compensation, the amount and the return deadline, whether the server confirmed the claim or only
//! its signature was checked (offline) and, once asked, the claim's decision and the item's fate
//! (never the buyer's conversation with the seller), asks for the item to be scanned, takes the
//! item's condition (text and photos), and accepts (F9) or cancels (Esc). A claim that cannot come
//! back here (the server's word, a route to the seller or none, a replaced code, a deadline past)
//! is shown as one clear reason, announced to screen readers, with nothing to accept; a missing
//! part needs no item back and says so.
import { useLayoutEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ClaimReturnView } from "../../bindings";
import { PhotoButton } from "../../components/PhotoButton";
import type { Counter, SeenNotice } from "../../counterState";
import { useLang } from "../../i18n";
import { fileToBase64 } from "../../ipc/base64";
import { formatDateTime, formatMoney, formatTime } from "../../money";
import { isTypingTarget, useWindowKeydown } from "../../useWindowKeydown";
import * as api from "./api";
import { LIMITS } from "../../limits";
import { Icon } from "../../components/Icon";

type Props = {
  claim: ClaimReturnView;
  notice: SeenNotice | null;
  counter: Pick<Counter, "perform">;
};

export function ClaimReturn({ claim, notice, counter }: Props) {
  const { t } = useTranslation();
  const lang = useLang();
  const conditionId = useId();
  const acceptRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const conditionRef = useRef<HTMLTextAreaElement>(null);
  const checkByEyeRef = useRef<HTMLButtonElement>(null);
  const [condition, setCondition] = useState(claim.condition);
  const missingPart = claim.compensation === "missing_part";
  const conditionNoted = condition.trim() !== "";
  const canAccept = claim.refusal === null && claim.item_checked && conditionNoted && !missingPart;

  // A refused claim has one thing left to do: close it.
  useLayoutEffect(() => {
    if (claim.refusal !== null || missingPart) cancelRef.current?.focus();
  }, [claim.refusal, missingPart]);

  // The item just checked: the condition is the next step, or accepting once it is written. The
  // keyboard never lands on «Принять возврат» while it is still disabled.
  useLayoutEffect(() => {
    if (notice?.notice.kind !== "claim_item_checked") return;
    (conditionNoted ? acceptRef : conditionRef).current?.focus();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- on the check, not on each keystroke
  }, [notice]);

  // An item the counter checks by eye: its button is what the keyboard presses first.
  useLayoutEffect(() => {
    if (claim.check_by_eye && !claim.item_checked && claim.refusal === null && !missingPart)
      checkByEyeRef.current?.focus();
  }, [claim.check_by_eye, claim.item_checked, claim.refusal, missingPart]);

  /** The condition as typed, stored if it differs from what the backend holds. */
  const saveCondition = () => {
    const text = condition.trim();
    if (text === claim.condition) return Promise.resolve(true);
    return counter.perform(() => api.setClaimCondition(text));
  };

  const accept = async () => {
    if (!canAccept) return;
    if (await saveCondition()) void counter.perform(api.acceptClaimReturn);
  };

  const cancel = () => void counter.perform(api.cancelClaimReturn);

  useWindowKeydown((event) => {
    if (event.key === "F9") {
      event.preventDefault();
      void accept();
    } else if (event.key === "Escape" && !isTypingTarget(event.target)) {
      event.preventDefault();
      cancel();
    }
  });

  const state =
    claim.server_state === null ? t("claim.signatureOnly") : t(`claim.state.${claim.server_state}`);

  return (
    <section
      className="claim"
      data-testid="claim-return"
      data-claim={claim.claim_id}
      aria-labelledby="claim-title"
    >
      <header className="claim__head">
        <h1 id="claim-title" className="claim__title">
          {t("claim.title")}
        </h1>
        <span
          className={`chip claim__state claim__state--${claim.server_state ?? "offline"}`}
          data-testid="claim-state"
          data-state={claim.server_state ?? "signature_only"}
        >
          {t("claim.serverState")}: {state}
        </span>
        {claim.status_checked_at && (
          <span className="muted" data-testid="claim-checked-at">
            {t("claim.checkedAt", { time: formatTime(claim.status_checked_at, lang) })}
          </span>
        )}
        {claim.server_state === null && (
          <button
            type="button"
            className="button button--quiet"
            data-testid="claim-refresh"
            onClick={() => void counter.perform(api.refreshClaimStatus)}
          >
            {t("claim.refresh")}
          </button>
        )}
      </header>

      <div className="claim__body">
        <div className="claim__main">
          <dl className="facts">
            <div>
              <dt>{t("claim.item")}</dt>
              <dd data-testid="claim-item">
                {claim.item_name ||
                  t("claim.itemUnnamed", { code: claim.barcode ?? claim.item_id })}
              </dd>
            </div>
            <div>
              <dt>{t("claim.compensation")}</dt>
              <dd data-testid="claim-compensation" data-kind={claim.compensation}>
                {t(`compensation.${claim.compensation}`)}
              </dd>
            </div>
            {claim.compensation === "refund" && (
              <div>
                <dt>{t("claim.amount")}</dt>
                <dd className="facts__money" data-testid="claim-amount">
                  {formatMoney(claim.amount, lang)}
                </dd>
              </div>
            )}
            <div>
              <dt>{t("claim.deadline")}</dt>
              <dd data-testid="claim-deadline">
                <time dateTime={claim.return_deadline}>
                  {formatDateTime(claim.return_deadline, lang)}
                </time>
              </dd>
            </div>
            {claim.decision !== null && (
              <div>
                <dt>{t("claim.decisionLabel")}</dt>
                <dd data-testid="claim-decision" data-decision={claim.decision}>
                  {t(`claim.decision.${claim.decision}`)}
                </dd>
              </div>
            )}
            {claim.item_fate !== null && (
              <div>
                <dt>{t("claim.fateLabel")}</dt>
                <dd data-testid="claim-fate" data-fate={claim.item_fate}>
                  {t(`claim.fate.${claim.item_fate}`)}
                </dd>
              </div>
            )}
          </dl>

          {claim.refusal !== null && (
            <div
              className="claim__refusal"
              role="alert"
              data-testid="claim-refusal"
              data-reason={claim.refusal}
            >
              <strong>{t("claim.refusalTitle")}</strong>
              <span data-testid="claim-refusal-text">
                {t(`claim.refusal.${claim.refusal}`, {
                  time: formatDateTime(claim.return_deadline, lang),
                })}
              </span>
              {claim.server_reason && (
                <span data-testid="claim-refusal-reason">
                  {t("claim.reason", { reason: claim.server_reason })}
                </span>
              )}
            </div>
          )}

          {claim.refusal === null && missingPart && (
            <p className="claim__note" data-testid="claim-missing-part">
              {t("claim.missingPart")}
            </p>
          )}

          {claim.refusal === null && !missingPart && (
            <>
              <p
                className={`claim__check claim__check--${claim.item_checked ? "done" : "open"}`}
                data-testid="claim-item-check"
                data-checked={claim.item_checked}
              >
                {claim.item_checked ? <span aria-hidden="true">✓ </span> : <Icon name="scan" />}
                {claim.item_checked
                  ? t("claim.checked")
                  : claim.check_by_eye
                    ? t("claim.checkByEyePrompt")
                    : t("claim.checkPrompt")}
              </p>
              {!claim.item_checked && claim.check_by_eye && (
                <button
                  type="button"
                  className="button button--hand-over"
                  ref={checkByEyeRef}
                  data-testid="claim-check-by-eye"
                  onClick={() => void counter.perform(api.checkClaimItem)}
                >
                  {t("claim.checkByEye")}
                </button>
              )}
              <div className="field">
                <label htmlFor={conditionId}>{t("claim.condition")}</label>
                <textarea
                  id={conditionId}
                  ref={conditionRef}
                  data-testid="claim-condition"
                  rows={3}
                  maxLength={LIMITS.condition}
                  value={condition}
                  placeholder={t("claim.conditionPlaceholder")}
                  onChange={(event) => setCondition(event.target.value)}
                  onBlur={() => void saveCondition()}
                />
              </div>
              <PhotoButton
                itemId="claim"
                photos={claim.photos}
                label={t("claim.addPhoto")}
                onPhoto={(file) =>
                  void counter.perform(async () => api.attachClaimPhoto(await fileToBase64(file)))
                }
              />
            </>
          )}
        </div>

        <aside className="claim__side">
          {claim.refusal === null && !missingPart && !canAccept && (
            <p className="hand-back__hint" data-testid="claim-hint">
              {claim.item_checked ? t("claim.needCondition") : t("claim.needCheck")}
            </p>
          )}
          {claim.refusal === null && !missingPart && (
            <button
              type="button"
              ref={acceptRef}
              className="button button--confirm"
              data-testid="claim-accept"
              disabled={!canAccept}
              aria-keyshortcuts="F9"
              onClick={() => void accept()}
            >
              {t("claim.accept")}
              <kbd aria-hidden="true">F9</kbd>
            </button>
          )}
          <button
            type="button"
            ref={cancelRef}
            className="button"
            data-testid="claim-cancel"
            aria-keyshortcuts="Escape"
            onClick={cancel}
          >
            {claim.refusal === null && !missingPart ? t("claim.cancel") : t("claim.close")}
            <kbd aria-hidden="true">Esc</kbd>
          </button>
        </aside>
      </div>
    </section>
  );
}
