//! What a courier's refused item costs the buyer, by its reason: a defect nothing at all (no goods,
//! no return shipping); another reason the policy's return-logistics fee, or no fee when the policy
//! has none. Shared by the hand-back screen and its act.
import { useTranslation } from "react-i18next";
import type { HandBackScanView } from "../bindings/HandBackScanView";
import { useLang } from "../i18n";
import { formatMoney } from "../money";

export function HandBackFee({ scan }: { scan: Pick<HandBackScanView, "reason" | "fee"> }) {
  const { t } = useTranslation();
  const lang = useLang();
  let text: string;
  if (scan.reason === "defect") text = t("handBack.defectFree");
  else if (scan.fee > 0) text = t("fee.policy_fee", { amount: formatMoney(scan.fee, lang) });
  else text = t("handBack.noFee");
  return (
    <span className={`hand-back-fee hand-back-fee--${scan.reason === "defect" ? "free" : "fee"}`}>
      {text}
    </span>
  );
}
