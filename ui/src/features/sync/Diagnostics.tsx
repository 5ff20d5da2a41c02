//! «Диагностика» in the sync strip: saves the zip a support person asks for (logs, versions, sync
//! state, the store's integrity check; no secrets) and says where the file went, so the manager can
//! send it. The panel stays until closed: the path is what the manager needs to read out or copy.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { KioskError } from "../../bindings";
import { errorMessage } from "../../errors";
import { useLang } from "../../i18n";
import { toKioskError } from "../../ipc/command";
import { saveDiagnostics } from "./api";

type Outcome = { saved: string } | { failed: KioskError };

export function DiagnosticsButton() {
  const { t } = useTranslation();
  const lang = useLang();
  const [saving, setSaving] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const save = () => {
    setSaving(true);
    setOutcome(null);
    saveDiagnostics()
      .then((path) => setOutcome({ saved: path }))
      .catch((thrown: unknown) => setOutcome({ failed: toKioskError(thrown) }))
      .finally(() => setSaving(false));
  };
  return (
    <>
      <button
        type="button"
        className="button"
        data-testid="diagnostics-save"
        title={t("sync.diagnosticsTitle")}
        disabled={saving}
        onClick={save}
      >
        {saving ? t("sync.diagnosticsSaving") : t("sync.diagnostics")}
      </button>
      {outcome && (
        <div className="attention diagnostics" data-testid="diagnostics-panel">
          <div className="attention__head">
            <strong>{t("sync.diagnostics")}</strong>
            <button
              type="button"
              className="button button--quiet"
              data-testid="diagnostics-close"
              onClick={() => setOutcome(null)}
            >
              {t("sync.close")}
            </button>
          </div>
          {"saved" in outcome ? (
            <p data-testid="diagnostics-saved" data-path={outcome.saved}>
              {t("sync.diagnosticsSaved")}{" "}
              <code className="diagnostics__path">{outcome.saved}</code>
            </p>
          ) : (
            <p className="sync-strip__error" data-testid="diagnostics-error" role="alert">
              {t("sync.diagnosticsFailed")} {errorMessage(outcome.failed, t, lang)}
            </p>
          )}
        </div>
      )}
    </>
  );
}
