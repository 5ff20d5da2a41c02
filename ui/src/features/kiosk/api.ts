//! Kiosk mode: a close request (Alt+F4, the window manager, «Закрыть кассу») comes to the window as
//! `close-requested` and is allowed by a manager's PIN.
import { commandCaller } from "../../ipc/command";

export const COMMANDS = ["authorize_close"] as const;
const call = commandCaller<(typeof COMMANDS)[number]>();

/** The event the backend sends when it holds a close request for a PIN. */
export const CLOSE_REQUESTED_EVENT = "close-requested";

/**
 * Closes the counter with the manager's PIN (none where nobody can log in here); rejects with
 * wrong_pin or pin_locked exactly as a login does.
 */
export const authorizeClose = (employeeId: string | null, pin: string | null) =>
  call<void>("authorize_close", { employeeId, pin });

/**
 * Asks to close the window, as the window manager's close button would. The window API loads only
 * then: it is not needed for the first paint.
 */
export const requestClose = async () => {
  const { getCurrentWindow } = await import("@tauri-apps/api/window");
  await getCurrentWindow().close();
};
