//! The idle screen: what to do next (scan: a buyer's code, a claim return code, a courier's badge,
//! a shipment's code to receive it), the morning reminder of items past their storage period (F7),
//! the ways to the returns desk (F4) and to finding an item (F6), the shift, and today's issues for
//! a glance back.
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useWindowKeydown } from "../useWindowKeydown";
import { Icon } from "../components/Icon";

type Props = {
  /** Today's issues (the issue flow's list). */
  recent: ReactNode;
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
          <Icon name="clock" />
          {t("home.overdue", { count: overdue })}
          <span className="home__reminder-action">{t("home.overdueAction")}</span>
          <kbd aria-hidden="true">F7</kbd>
        </button>
      )}
      <div className="home__prompt">
        <span className="home__prompt-icon">
          <Icon name="scan" />
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
          <Icon name="box" />
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
            <Icon name="search" />
            {t("home.findItem")}
            <kbd aria-hidden="true">F6</kbd>
          </button>
        )}
      </div>
      {shift}
      {recent}
    </section>
  );
}
