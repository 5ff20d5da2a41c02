//! The seller's balance and its ledger lines, newest first, each naming its claim.
import { useTranslation } from "react-i18next";
import { formatDateTime, formatMoney } from "../../money";
import { api } from "../api";
import { useLang } from "../i18n";
import { href } from "../route";
import { Load } from "../Status";
import { useLoad } from "../useLoad";

export function Balance() {
  const { t } = useTranslation();
  const lang = useLang();
  const { loaded, retry } = useLoad(api.balance, "");
  return (
    <section>
      <h1>{t("balance.heading")}</h1>
      <Load
        loaded={loaded}
        retry={retry}
        ready={(balance) => (
          <>
            <p className="balance">
              {t("balance.current")}:{" "}
              <b data-testid="balance-amount">{formatMoney(balance.balance, lang)}</b>
            </p>
            <h2>{t("balance.lines")}</h2>
            {balance.lines.length === 0 ? (
              <p className="empty">{t("balance.empty")}</p>
            ) : (
              <table className="stack">
                <thead>
                  <tr>
                    <th scope="col">{t("balance.date")}</th>
                    <th scope="col">{t("balance.amount")}</th>
                    <th scope="col">{t("balance.claim")}</th>
                    <th scope="col">{t("balance.description")}</th>
                  </tr>
                </thead>
                <tbody>
                  {balance.lines.map((line, index) => (
                    <tr
                      key={`${line.at}-${index}`}
                      data-testid="ledger-line"
                      data-claim-id={line.claim_id ?? ""}
                    >
                      <td data-label={t("balance.date")}>{formatDateTime(line.at, lang)}</td>
                      <td
                        data-label={t("balance.amount")}
                        className={line.amount < 0 ? "money debit" : "money"}
                      >
                        {formatMoney(line.amount, lang)}
                      </td>
                      <td data-label={t("balance.claim")} className="id">
                        {line.claim_id ? (
                          <a href={href.claim(line.claim_id)}>{line.claim_id}</a>
                        ) : (
                          "—"
                        )}
                      </td>
                      <td data-label={t("balance.description")}>{line.description}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      />
    </section>
  );
}
