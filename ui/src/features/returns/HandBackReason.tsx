//! Why a courier's item came back and what that costs the buyer, by the fee rule the backend fixed
//! with the reason: a defect nothing at all (no goods, no return shipping), a seller's fault nothing,
//! a buyer-side reason the policy's return-logistics fee (or no fee where the policy has none). For
//! an item off the courier's manifest the server sets that fee (it alone knows the item's category),
//! so the counter's guess is not shown. Shared by the hand-back screen and its act.
import { useTranslation } from "react-i18next";
import type { HandBackScanView } from "../../bindings";
import { useLang } from "../../i18n";
import { formatMoney } from "../../money";

/** "брак «порвана подошва» · брак — без оплаты и без обратной доставки"; nothing before a reason. */
export function HandBackReason({ scan }: { scan: HandBackScanView }) {
  const { t } = useTranslation();
  if (scan.reason === null) return null;
  return (
    <>
      {t(`reasonShort.${scan.reason}`)}
      {scan.description && <> «{scan.description}»</>}
      {scan.fee_rule && (
        <>
          {" · "}
          <HandBackFee scan={scan} />
        </>
      )}
    </>
  );
}

function HandBackFee({
  scan,
}: {
  scan: Pick<HandBackScanView, "fee" | "fee_rule" | "fee_set_by_server">;
}) {
  const { t } = useTranslation();
  const lang = useLang();
  const rule = scan.fee_rule;
  if (rule === null) return null;
  if (scan.fee_set_by_server) {
    return (
      <span className="hand-back-fee hand-back-fee--by-server">{t("handBack.feeSetByServer")}</span>
    );
  }
  let text: string;
  switch (rule) {
    case "defect_free":
      text = t("handBack.defectFree");
      break;
    case "policy_fee":
      text = t("fee.policy_fee", { amount: formatMoney(scan.fee, lang) });
      break;
    case "seller_fault_free":
    case "no_fee_in_policy":
      text = t(`fee.${rule}`);
      break;
  }
  return <span className={`hand-back-fee hand-back-fee--${rule}`}>{text}</span>;
}
