//! Претензии по товару: the item's claims as the server holds them now, each with its decision in
//! words («Одобрена: возврат 1 500,50 ₽ без возврата товара»). A claim decided without return has no
//! code the counter will ever scan, so this is where the manager sees it. Asked each time the item's
//! history is read; offline the block says there is no connection instead of listing nothing.
import { useEffect, useState } from "react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { KioskError } from "../../bindings";
import type { ClaimStatus } from "../../bindings/ClaimStatus";
import { errorMessage } from "../../errors";
import { useLang } from "../../i18n";
import { toKioskError } from "../../ipc/command";
import { formatDateTime, formatMoney, type Lang } from "../../money";
import * as api from "./api";

type Props = {
  itemId: string;
  /** Changes when the history is read again, so the claims are asked again too. */
  revision: string;
};

type Read =
  | { kind: "loading" }
  | { kind: "read"; claims: ClaimStatus[] }
  | { kind: "failed"; error: KioskError };

export function ItemClaims({ itemId, revision }: Props) {
  const { t } = useTranslation();
  const lang = useLang();
  // The answer is kept with the question it answers: a new item or revision reads as loading.
  const asked = `${itemId}\n${revision}`;
  const [answer, setAnswer] = useState<{ asked: string; read: Read } | null>(null);
  const read: Read = answer?.asked === asked ? answer.read : { kind: "loading" };

  useEffect(() => {
    let live = true;
    api.itemClaims(itemId).then(
      (claims) => {
        if (live) setAnswer({ asked, read: { kind: "read", claims } });
      },
      (thrown: unknown) => {
        if (live) setAnswer({ asked, read: { kind: "failed", error: toKioskError(thrown) } });
      },
    );
    return () => {
      live = false;
    };
  }, [itemId, asked]);

  return (
    <section className="history__claims" data-testid="item-claims" data-state={read.kind}>
      <h3 className="history__claims-title">{t("history.claims.title")}</h3>
      {read.kind === "loading" && <p className="muted">{t("history.claims.loading")}</p>}
      {read.kind === "failed" && (
        <p
          className="print-bar__error"
          role="alert"
          data-testid="item-claims-error"
          data-kind={read.error.kind}
        >
          {errorMessage(read.error, t, lang)}
        </p>
      )}
      {read.kind === "read" && read.claims.length === 0 && (
        <p className="muted" data-testid="item-claims-none">
          {t("history.claims.none")}
        </p>
      )}
      {read.kind === "read" && read.claims.length > 0 && (
        <ul className="history__claim-list" data-count={read.claims.length}>
          {read.claims.map((claim) => (
            <li
              key={claim.claim_id}
              data-testid={`item-claim-${claim.claim_id}`}
              data-decision={claim.decision}
            >
              <strong data-testid="item-claim-decision">{decisionText(claim, t, lang)}</strong>
              {claim.reason && <> · {t("history.claims.reason", { reason: claim.reason })}</>}
              <div className="muted">
                {claim.claim_id}
                {claim.opened_at && (
                  <>
                    {" "}
                    · {t("history.claims.opened", { time: formatDateTime(claim.opened_at, lang) })}
                  </>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** «Одобрена: возврат 1 500,50 ₽ без возврата товара»: the decision, then what the buyer gets and
 * where the item goes, once approved. */
export function decisionText(claim: ClaimStatus, t: TFunction, lang: Lang): string {
  const decision = t(`history.claims.decision.${claim.decision}`);
  const compensation = claim.compensation;
  if (claim.decision !== "approved" || !compensation) return decision;
  const given =
    compensation.kind === "refund"
      ? t("history.claims.refund", { amount: formatMoney(compensation.amount, lang) })
      : compensation.kind === "replacement"
        ? t("history.claims.replacement")
        : t("history.claims.missingPart", { part: compensation.part });
  const route = claim.route ? ` ${t(`history.claims.route.${claim.route}`)}` : "";
  return `${decision}: ${given}${route}`;
}
