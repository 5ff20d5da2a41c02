//! Вход по PIN: the screen a counter shows while nobody is on duty (logged out, or locked after idle
//! time). Pick the manager (a click, Tab to the name, or the arrow keys), enter the PIN — typed
//! (digits only, masked) or on the on-screen keypad — and Enter. Choosing a name puts the keyboard
//! on the PIN, so Enter logs in rather than pressing the name again. A wrong PIN says how many tries are left; a lockout says until when. The scanner's
//! wedge is off while this screen shows, so a PIN typed fast is never taken for a scan. The same
//! form asks for the PIN that closes the counter in kiosk mode (`closing`), with a way back.
import { useLayoutEffect, useId, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { KioskError, ManagerChoice, SessionView } from "../../bindings";
import { errorMessage } from "../../errors";
import { useLang } from "../../i18n";
import { formatDateTime } from "../../money";
import { isTypingTarget, useWindowKeydown } from "../../useWindowKeydown";

/** The longest PIN the network allows. */
const PIN_MAX = 8;

type Props = {
  session: SessionView;
  onLogIn: (employeeId: string, pin: string) => Promise<KioskError | null>;
  /** Asking for the PIN that closes the counter (kiosk mode), not for a login. */
  closing?: { onCancel: () => void } | undefined;
};

/** Who the screen starts on: the manager the counter locked on, else the only one. */
function initialManager(session: SessionView): string | null {
  if (session.lock) return session.lock.manager.employee_id;
  return session.managers.length === 1 ? (session.managers[0]?.employee_id ?? null) : null;
}

const digitsOf = (text: string) => text.replace(/\D/g, "").slice(0, PIN_MAX);

export function LoginScreen({ session, onLogIn, closing }: Props) {
  const { t } = useTranslation();
  const lang = useLang();
  const pinId = useId();
  const pinRef = useRef<HTMLInputElement>(null);
  const [chosen, setChosen] = useState<string | null>(() => initialManager(session));
  const [pin, setPinState] = useState("");
  // The PIN as typed so far, read by Enter: keys of one burst arrive before React re-renders.
  const pinNow = useRef("");
  const setPin = (next: string) => {
    pinNow.current = next;
    setPinState(next);
  };
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<KioskError | null>(null);
  const manager = session.managers.find((m) => m.employee_id === chosen) ?? null;
  const canSubmit = manager !== null && pin.length >= 4 && !busy;
  const busyNow = useRef(false);

  // Bumped by every click or arrow on a name, the same name again included, so the PIN takes the
  // keyboard each time. Tab onto a name chooses it but leaves the keyboard there: digits typed on
  // it still go into the PIN, and Enter on it then logs in.
  const [choices, setChoices] = useState(0);
  useLayoutEffect(() => {
    pinRef.current?.focus();
  }, [choices]);

  const select = (choice: ManagerChoice) => {
    if (choice.employee_id === chosen) return;
    setChosen(choice.employee_id);
    setPin("");
    setError(null);
  };

  const choose = (choice: ManagerChoice) => {
    select(choice);
    setChoices((n) => n + 1);
  };

  /** Arrow keys walk the names, from the chosen one (or from the top). */
  const step = (by: 1 | -1) => {
    const { managers } = session;
    if (managers.length === 0) return;
    const at = managers.findIndex((m) => m.employee_id === chosen);
    const next = at < 0 ? (by === 1 ? 0 : managers.length - 1) : at + by;
    const choice = managers[(next + managers.length) % managers.length];
    if (choice) choose(choice);
  };

  const submit = async () => {
    const typed = pinNow.current;
    if (manager === null || typed.length < 4 || busyNow.current) return;
    busyNow.current = true;
    setBusy(true);
    const failed = await onLogIn(manager.employee_id, typed);
    // On success this screen goes away with the new view; on failure the PIN starts again.
    busyNow.current = false;
    setBusy(false);
    setPin("");
    setError(failed);
    pinRef.current?.focus();
  };

  const press = (digit: string) => {
    setError(null);
    setPin(digitsOf(pinNow.current + digit));
  };

  /** Enter on a button presses it, except on the chosen name with a PIN typed: that logs in. */
  const enterLogsIn = (target: EventTarget | null) => {
    if (!(target instanceof HTMLButtonElement)) return true;
    return target.dataset.employee === chosen && pinNow.current.length >= 4;
  };

  // Keys typed while focus is on a manager or a keypad button still go into the PIN.
  useWindowKeydown((event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      step(event.key === "ArrowDown" ? 1 : -1);
      return;
    }
    if (isTypingTarget(event.target)) return;
    if (/^\d$/.test(event.key)) {
      event.preventDefault();
      press(event.key);
    } else if (event.key === "Backspace") {
      event.preventDefault();
      setPin(pinNow.current.slice(0, -1));
    } else if (event.key === "Enter" && enterLogsIn(event.target)) {
      event.preventDefault();
      void submit();
    }
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit();
  };

  return (
    <section
      className="login"
      data-testid={closing ? "close-screen" : "login-screen"}
      aria-labelledby="login-title"
    >
      <h1 id="login-title" className="login__title">
        {closing ? t("kiosk.closeTitle") : session.lock ? t("login.lockedTitle") : t("login.title")}
      </h1>
      {closing ? (
        <p className="login__hint" role="status">
          {t("kiosk.closePrompt")}
        </p>
      ) : (
        <SessionHints session={session} />
      )}

      <div className="login__body">
        <div className="login__managers" role="group" aria-label={t("login.manager")}>
          {session.managers.map((choice) => (
            <button
              key={choice.employee_id}
              type="button"
              className="button login__manager"
              data-testid={`login-manager-${choice.employee_id}`}
              data-employee={choice.employee_id}
              aria-pressed={choice.employee_id === chosen}
              data-locked={choice.locked_until ?? undefined}
              onClick={() => choose(choice)}
              onFocus={() => select(choice)}
            >
              <span className="login__manager-name">{choice.name}</span>
              {choice.locked_until && (
                <span className="login__manager-locked">
                  {t("login.lockedUntil", { time: formatDateTime(choice.locked_until, lang) })}
                </span>
              )}
            </button>
          ))}
        </div>

        <form className="login__pin" onSubmit={onSubmit}>
          <label className="login__pin-label" htmlFor={pinId}>
            {manager ? t("login.pinFor", { name: manager.name }) : t("login.pickManager")}
          </label>
          <input
            ref={pinRef}
            id={pinId}
            className="login__pin-input"
            data-testid="pin-input"
            type="password"
            inputMode="numeric"
            autoComplete="off"
            maxLength={PIN_MAX}
            value={pin}
            disabled={manager === null}
            onChange={(event) => {
              setError(null);
              setPin(digitsOf(event.target.value));
            }}
          />
          <div className="keypad" role="group" aria-label={t("login.keypad")}>
            {["1", "2", "3", "4", "5", "6", "7", "8", "9"].map((digit) => (
              <KeypadKey key={digit} digit={digit} disabled={manager === null} onPress={press} />
            ))}
            <button
              type="button"
              className="button keypad__key"
              data-testid="pin-key-back"
              aria-label={t("login.erase")}
              disabled={manager === null || pin === ""}
              onClick={() => setPin(pinNow.current.slice(0, -1))}
            >
              ⌫
            </button>
            <KeypadKey digit="0" disabled={manager === null} onPress={press} />
            <button
              type="submit"
              className="button button--primary keypad__key"
              data-testid="pin-submit"
              disabled={!canSubmit}
            >
              {closing ? t("kiosk.closeSubmit") : t("login.submit")}
            </button>
          </div>
          {closing && (
            <button
              type="button"
              className="button"
              data-testid="close-cancel"
              onClick={closing.onCancel}
            >
              {t("kiosk.cancel")}
            </button>
          )}
          {error && (
            <p
              className="login__error"
              role="alert"
              data-testid="login-error"
              data-kind={error.kind}
            >
              {errorMessage(error, t, lang)}
            </p>
          )}
        </form>
      </div>
    </section>
  );
}

/** Why the PIN screen shows: locked after idle time, managers still coming, a shift left open. */
function SessionHints({ session }: { session: SessionView }) {
  const { t } = useTranslation();
  const lang = useLang();
  return (
    <>
      {session.lock && (
        <p className="login__hint" data-testid="login-idle" role="status">
          {t("login.idleLocked", { name: session.lock.manager.name })}
        </p>
      )}
      {session.waiting_for_sync && (
        <p className="login__error" data-testid="login-waiting" role="status">
          {t("login.waitingForSync")}
        </p>
      )}
      {session.shift && (
        <p className="login__hint muted" data-testid="login-shift-open">
          {t("login.shiftOpen", { time: formatDateTime(session.shift.opened_at, lang) })}
        </p>
      )}
    </>
  );
}

function KeypadKey({
  digit,
  disabled,
  onPress,
}: {
  digit: string;
  disabled: boolean;
  onPress: (digit: string) => void;
}) {
  return (
    <button
      type="button"
      className="button keypad__key"
      data-testid={`pin-key-${digit}`}
      disabled={disabled}
      onClick={() => onPress(digit)}
    >
      {digit}
    </button>
  );
}
