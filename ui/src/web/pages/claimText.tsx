//! How a claim's status and compensation read, shared by the lists and the claim page.
import { useTranslation } from "react-i18next";
import type { ClaimStatus } from "../../bindings/ClaimStatus";
import type { Compensation } from "../../bindings/Compensation";
import { formatMoney } from "../../money";
import { useLang } from "../i18n";

export function StatusBadge({ claim, testid }: { claim: ClaimStatus; testid?: string }) {
  const { t } = useTranslation();
  return (
    <span
      className={`badge badge-${claim.decision}`}
      data-testid={testid}
      data-state={claim.state}
      data-decision={claim.decision}
    >
      {t(`state.${claim.state}`)}
      {(claim.state as string) !== claim.decision && ` · ${t(`decision.${claim.decision}`)}`}
    </span>
  );
}

export function useCompensationText(): (compensation: Compensation) => string {
  const { t } = useTranslation();
  const lang = useLang();
  return (compensation) => {
    switch (compensation.kind) {
      case "refund":
        return t("compensationText.refund", { amount: formatMoney(compensation.amount, lang) });
      case "replacement":
        return t("compensationText.replacement");
      case "missing_part":
        return t("compensationText.missing_part", { part: compensation.part });
    }
  };
}
