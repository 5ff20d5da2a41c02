//! The sign-in form: the credential goes to the server once and is cleared from the field whatever
//! the answer; only the session cookie (HttpOnly, set by the server) stays.
import { useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { WebSession } from "../bindings/WebSession";
import { api } from "./api";
import { errorText } from "./errorText";

export function SignIn({ onSignedIn }: { onSignedIn: (session: WebSession) => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const field = useRef<HTMLInputElement>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const input = field.current;
    if (!input) return;
    const credential = input.value.trim();
    // Uncontrolled and emptied at once: the credential lives in no state, storage or history.
    input.value = "";
    if (credential === "") {
      setError(t("signIn.empty"));
      input.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await api.signIn(credential));
    } catch (failure) {
      setError(errorText(t, failure));
      setBusy(false);
      input.focus();
    }
  }

  return (
    <main className="signin">
      <h1>{t("signIn.heading")}</h1>
      <p>{t("signIn.intro")}</p>
      <form onSubmit={(event) => void submit(event)} autoComplete="off">
        <label htmlFor="signin-credential">{t("signIn.credential")}</label>
        <input
          id="signin-credential"
          data-testid="signin-credential"
          ref={field}
          type="password"
          autoComplete="off"
          spellCheck={false}
          autoFocus
          aria-invalid={error !== null}
          aria-describedby={error ? "signin-error" : undefined}
        />
        <button type="submit" data-testid="signin-submit" disabled={busy}>
          {t("signIn.submit")}
        </button>
        {error && (
          <p id="signin-error" className="error" data-testid="signin-error" role="alert">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
