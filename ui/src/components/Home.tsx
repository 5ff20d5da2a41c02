//! The idle screen: what to do next (scan: a buyer's code, a claim return code, a courier's badge,
//! a shipment's code to receive it), the morning reminder of items past their storage period (F7),
//! the ways to the returns desk (F4) and to finding an item (F6), the shift, and today's issues for
//! a glance back.
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { RecentIssue } from "../bindings";
import { useLang } from "../i18n";
import { formatMoney, formatTime } from "../money";
import { useWindowKeydown } from "../useWindowKeydown";

type Props = {
  recent: RecentIssue[];
  onOpenReturns: () => void;
  onFind?: () => void;
  /** Items past their storage period now. */
  overdue?: number;
  onOpenExpiry?: () => void;
  /** The shift panel, when the counter keeps shifts. */
  shift?: ReactNode;
};

export function Home({ recent, onOpenReturns, onFind, overdue = 0, onOpenExpiry, shift }: Props) {
  const { t } = useTranslation();

  useWindowKeydown((event) => {
    const actions: Record<string, (() => void) | undefined> = {
      F4: onOpenReturns,
      F6: onFind,
      F7: onOpenExpiry,
    };
    const action = actions[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });

  return (
    <section className="home">
      {overdue > 0 && onOpenExpiry && (
        <button
          type="button"
          className="home__reminder"
          data-testid="expiry-reminder"
          data-count={overdue}
          aria-keyshortcuts="F7"
          onClick={onOpenExpiry}
        >
          <span aria-hidden="true">⏰ </span>
          {t("home.overdue", { count: overdue })}
          <span className="home__reminder-action">{t("home.overdueAction")}</span>
          <kbd aria-hidden="true">F7</kbd>
        </button>
      )}
      <div className="home__prompt">
        <span className="home__prompt-icon" aria-hidden="true">
          ⌗
        </span>
        <div>
          <h1>{t("home.prompt")}</h1>
          <p className="home__also">{t("home.also")}</p>
        </div>
      </div>
      <div className="home__actions">
        <button
          type="button"
          className="button button--big"
          data-testid="open-returns"
          aria-keyshortcuts="F4"
          onClick={onOpenReturns}
        >
          <span aria-hidden="true">📦 </span>
          {t("home.returnsDesk")}
          <kbd aria-hidden="true">F4</kbd>
        </button>
        {onFind && (
          <button
            type="button"
            className="button button--big"
            data-testid="find-item"
            aria-keyshortcuts="F6"
            onClick={onFind}
          >
            <span aria-hidden="true">🔎 </span>
            {t("home.findItem")}
            <kbd aria-hidden="true">F6</kbd>
          </button>
        )}
      </div>
      {shift}
      <h2 className="home__recent-title">{t("home.recentTitle")}</h2>
      <ul className="recent" data-testid="recent-list">
        {recent.length === 0 && <li className="recent__empty">{t("home.recentEmpty")}</li>}
        {recent.map((issue) => (
          <RecentRow key={issue.order_id} issue={issue} />
        ))}
      </ul>
    </section>
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
