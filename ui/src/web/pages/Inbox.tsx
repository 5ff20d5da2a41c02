//! The seller's inbox: five folders with their counts, the chosen folder's claims newest first,
//! each a link to its page.
import { useTranslation } from "react-i18next";
import type { InboxFilter } from "../../bindings/InboxFilter";
import { formatDateTime } from "../../money";
import { api } from "../api";
import { useLang } from "../i18n";
import { href, INBOX_FILTERS } from "../route";
import { Load } from "../Status";
import { useLoad } from "../useLoad";
import { StatusBadge } from "./claimText";

export function Inbox({ filter }: { filter: InboxFilter }) {
  const { t } = useTranslation();
  const lang = useLang();
  const { loaded, retry } = useLoad(api.inbox, filter);
  const counts = loaded.status === "ready" ? loaded.value.counts : null;

  return (
    <section className="inbox">
      <h1>{t("inbox.heading")}</h1>
      <nav aria-label={t("inbox.folders")}>
        <ul className="folders">
          {INBOX_FILTERS.map((folder) => (
            <li key={folder}>
              <a
                href={href.inbox(folder)}
                data-testid={`inbox-filter-${folder}`}
                aria-current={folder === filter ? "page" : undefined}
              >
                {t(`inbox.filter.${folder}`)}{" "}
                <span className="count" data-testid={`inbox-count-${folder}`}>
                  {counts ? counts[folder] : "…"}
                </span>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <Load
        loaded={loaded}
        retry={retry}
        ready={(inbox) =>
          inbox.claims.length === 0 ? (
            <p className="empty">{t("inbox.empty")}</p>
          ) : (
            <ul className="rows">
              {inbox.claims.map((claim) => (
                <li key={claim.claim_id}>
                  <a
                    className="row"
                    href={href.claim(claim.claim_id)}
                    data-testid={`inbox-row-${claim.claim_id}`}
                  >
                    <span className="row-title">{claim.item_name}</span>
                    <StatusBadge claim={claim} />
                    <span className="id">{claim.claim_id}</span>
                    {claim.opened_at && (
                      <span className="muted">
                        {t("inbox.opened", { date: formatDateTime(claim.opened_at, lang) })}
                      </span>
                    )}
                    <span className="row-text">{claim.description}</span>
                  </a>
                </li>
              ))}
            </ul>
          )
        }
      />
    </section>
  );
}
