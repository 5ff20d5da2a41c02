//! The always-visible field for typing a buyer's short code or an item barcode. Enter submits it
//! as a scan; a scanner burst typed into it is picked up by the wedge instead (see useWedge).
import { useId, useLayoutEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { ScanHandler } from "../scanner/useWedge";
import { takeBootDraft } from "./boot";

export function ManualEntry({ onSubmit }: { onSubmit: ScanHandler }) {
  const { t } = useTranslation();
  // What was typed into the plain-HTML shell's field before the app ran carries over, keyboard too.
  const [boot] = useState(takeBootDraft);
  const [code, setCode] = useState(boot.draft);
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  useLayoutEffect(() => {
    if (boot.focused) input.current?.focus();
  }, [boot]);

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
        ref={input}
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
