//! "Подключение кассы": what a kiosk that is not enrolled shows instead of the scan prompt. The
//! manager types the server's address and the one-time code (any case, dashes optional: the server
//! normalises it), optionally a name for the counter, and connects. While the server answers the
//! form is busy; a failure is said in the manager's words and everything typed stays.
import { useLayoutEffect, useId, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { ErrorKind, KioskError } from "../../bindings";
import type { Counter } from "../../counterState";
import { errorMessage } from "../../errors";
import { useLang } from "../../i18n";

/** A typed address without a scheme ("192.168.1.10:8787") is meant as plain http on the LAN. */
export function serverAddress(typed: string): string {
  const trimmed = typed.trim();
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
}

/** The failures a manager meets here get their own, actionable text; the rest the usual one. */
const FORM_ERROR_KINDS = [
  "server_unreachable",
  "enrollment_refused",
  "invalid_input",
] as const satisfies readonly ErrorKind[];

function isFormErrorKind(kind: string): kind is (typeof FORM_ERROR_KINDS)[number] {
  return (FORM_ERROR_KINDS as readonly string[]).includes(kind);
}

export function EnrollForm({ onSubmit }: { onSubmit: Counter["enroll"] }) {
  const { t } = useTranslation();
  const lang = useLang();
  const id = useId();
  const [url, setUrl] = useState("");
  const [code, setCode] = useState("");
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<KioskError | null>(null);
  const urlField = useRef<HTMLInputElement>(null);
  const ready = url.trim() !== "" && code.trim() !== "" && !busy;

  useLayoutEffect(() => {
    urlField.current?.focus();
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!ready) return;
    setBusy(true);
    setError(null);
    void onSubmit(serverAddress(url), code.trim(), name.trim() || null).then((failure) => {
      // On success the window shows the counter and this form is gone.
      if (failure) {
        setError(failure);
        setBusy(false);
      }
    });
  };

  const message =
    error &&
    (isFormErrorKind(error.kind) ? t(`enroll.errors.${error.kind}`) : errorMessage(error, t, lang));

  return (
    <section className="enroll">
      <form
        className="enroll__card"
        data-testid="enroll-form"
        aria-busy={busy}
        aria-labelledby={`${id}-title`}
        noValidate
        onSubmit={submit}
      >
        <h1 id={`${id}-title`} className="enroll__title">
          {t("enroll.title")}
        </h1>
        <p className="enroll__hint">{t("enroll.hint")}</p>
        <label className="enroll__field">
          {t("enroll.url")}
          <input
            ref={urlField}
            className="enroll__input"
            data-testid="enroll-url"
            type="text"
            inputMode="url"
            value={url}
            readOnly={busy}
            onChange={(event) => setUrl(event.target.value)}
            placeholder={t("enroll.urlPlaceholder")}
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
          />
        </label>
        <label className="enroll__field">
          {t("enroll.code")}
          <input
            className="enroll__input enroll__input--code"
            data-testid="enroll-code"
            type="text"
            value={code}
            readOnly={busy}
            onChange={(event) => setCode(event.target.value)}
            placeholder={t("enroll.codePlaceholder")}
            aria-describedby={`${id}-code-hint`}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
          />
          <span id={`${id}-code-hint`} className="enroll__field-hint">
            {t("enroll.codeHint")}
          </span>
        </label>
        <label className="enroll__field">
          {t("enroll.name")}
          <input
            className="enroll__input"
            data-testid="enroll-name"
            type="text"
            value={name}
            readOnly={busy}
            onChange={(event) => setName(event.target.value)}
            placeholder={t("enroll.namePlaceholder")}
            autoComplete="off"
          />
        </label>
        {message && (
          <p
            className="enroll__error"
            data-testid="enroll-error"
            data-kind={error.kind}
            role="alert"
            title={error.message}
          >
            {message}
          </p>
        )}
        <button
          type="submit"
          className="button button--primary button--big enroll__submit"
          data-testid="enroll-submit"
          disabled={!ready}
        >
          {busy ? t("enroll.busy") : t("enroll.submit")}
        </button>
      </form>
    </section>
  );
}
