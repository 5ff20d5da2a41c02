//! The configuration's problems, above the screen for as long as the counter runs: each names the
//! file (or variable), the key and what is allowed; the setting keeps its default meanwhile.
import { useTranslation } from "react-i18next";
import { Icon } from "../../components/Icon";

export function ConfigProblems({ problems }: { problems: readonly string[] }) {
  const { t } = useTranslation();
  if (problems.length === 0) return null;
  return (
    <div className="error-banner config-problems" role="alert" data-testid="config-problems">
      <span className="error-banner__icon">
        <Icon name="warning" />
      </span>
      <div>
        <strong>{t("kiosk.configProblems")}</strong>
        <ul className="config-problems__list">
          {problems.map((problem) => (
            <li key={problem} data-testid="config-problem">
              {problem}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
