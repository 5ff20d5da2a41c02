//! The big red banner for the last failed scan or action; the next scan or action clears it.
import { useTranslation } from "react-i18next";
import type { KioskError } from "../bindings";
import { errorMessage } from "../errors";
import { useLang } from "../i18n";
import { Icon } from "../components/Icon";

export function ErrorBanner({ error }: { error: KioskError }) {
  const { t } = useTranslation();
  const lang = useLang();
  return (
    <div className="error-banner" role="alert" data-testid="error-banner" data-kind={error.kind}>
      <span className="error-banner__icon">
        <Icon name="warning" />
      </span>
      <span>{errorMessage(error, t, lang)}</span>
    </div>
  );
}
