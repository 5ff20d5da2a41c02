//! Выдано сегодня: today's issues on the home screen for a glance back — each order's code, buyer,
//! time, what was handed over and refused (with the reasons), what never arrived, and the money.
import { useTranslation } from "react-i18next";
import type { RecentIssue } from "../../bindings";
import { useLang } from "../../i18n";
import { formatMoney, formatTime } from "../../money";

export function RecentIssues({ recent }: { recent: RecentIssue[] }) {
  const { t } = useTranslation();
  return (
    <>
      <h2 className="home__recent-title">{t("home.recentTitle")}</h2>
      <ul className="recent" data-testid="recent-list">
        {recent.length === 0 && <li className="recent__empty">{t("home.recentEmpty")}</li>}
        {recent.map((issue) => (
          <RecentRow key={issue.order_id} issue={issue} />
        ))}
      </ul>
    </>
  );
}

function RecentRow({ issue }: { issue: RecentIssue }) {
  const { t } = useTranslation();
  const lang = useLang();
  const reasons = [...new Set(issue.refusal_reasons)].map((reason) => t(`reasonShort.${reason}`));
  return (
    <li className="recent__row" data-testid={`recent-${issue.order_id}`}>
      <span className="recent__code">{issue.short_code}</span>
      <span className="recent__buyer">{issue.buyer}</span>
      <time className="recent__time" dateTime={issue.issued_at}>
        {formatTime(issue.issued_at, lang)}
      </time>
      <span className="recent__counts">
        {t("home.counts", { handedOver: issue.handed_over, refused: issue.refused })}
        {reasons.length > 0 && <span className="recent__reasons"> · {reasons.join(", ")}</span>}
        {issue.not_arrived > 0 && (
          <span className="recent__not-arrived">
            {" "}
            · {t("home.notArrived", { count: issue.not_arrived })}
          </span>
        )}
      </span>
      <span className="recent__amount">{formatMoney(issue.collected, lang)}</span>
    </li>
  );
}
