//! The always-visible field for typing a buyer's short code or an item barcode. Enter submits it
//! as a scan; a scanner burst typed into it is picked up by the wedge instead (see useWedge).
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { ScanHandler } from "../scanner/useWedge";

export function ManualEntry({ onSubmit }: { onSubmit: ScanHandler }) {
  const { t } = useTranslation();
  const [code, setCode] = useState("");
  const inputId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const startedAt = performance.now();
    const trimmed = code.trim();
    if (!trimmed) return;
    setCode("");
    onSubmit(trimmed, startedAt);
  };

  return (
    <form className="manual-entry" onSubmit={submit} role="search">
      <label className="manual-entry__label" htmlFor={inputId}>
        {t("manual.label")}
      </label>
      <input
        id={inputId}
        className="manual-entry__input"
        data-testid="manual-input"
        type="text"
        value={code}
        onChange={(event) => setCode(event.target.value)}
        placeholder={t("manual.placeholder")}
        autoComplete="off"
        autoCorrect="off"
        autoCapitalize="characters"
        spellCheck={false}
      />
      <button type="submit" className="button button--primary" data-testid="manual-submit">
        {t("manual.submit")}
      </button>
    </form>
  );
}
