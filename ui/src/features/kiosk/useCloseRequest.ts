//! A close request held by kiosk mode: the window asks for a manager's PIN in place of the screen
//! (the PIN screen's own form), or closes at once where nobody can log in here to ask.
import { listen } from "@tauri-apps/api/event";
import { useCallback, useEffect, useState } from "react";
import type { KioskError, SessionView } from "../../bindings";
import { toKioskError } from "../../ipc/command";
import * as api from "./api";

export type CloseRequest = {
  /** A close request waits for a PIN. */
  asking: boolean;
  cancel: () => void;
  /** Resolves with why the PIN was refused, or null once the window closes. */
  authorize: (employeeId: string, pin: string) => Promise<KioskError | null>;
};

export function useCloseRequest(session: SessionView | null): CloseRequest {
  const [requested, setRequested] = useState(false);
  // Until the first view says otherwise, a PIN is asked for.
  const loginRequired = session?.login_required ?? true;

  useEffect(() => {
    let active = true;
    let unlisten: (() => void) | null = null;
    listen(api.CLOSE_REQUESTED_EVENT, () => {
      if (active) setRequested(true);
    }).then(
      (stop) => {
        if (active) unlisten = stop;
        else stop();
      },
      () => undefined,
    );
    return () => {
      active = false;
      unlisten?.();
    };
  }, []);

  // Nobody can log in here: nothing to ask for, the close goes ahead.
  useEffect(() => {
    if (requested && !loginRequired) {
      api.authorizeClose(null, null).catch(() => setRequested(false));
    }
  }, [requested, loginRequired]);

  const cancel = useCallback(() => setRequested(false), []);
  const authorize = useCallback(async (employeeId: string, pin: string) => {
    try {
      await api.authorizeClose(employeeId, pin);
      return null;
    } catch (thrown) {
      return toKioskError(thrown);
    }
  }, []);
  return { asking: requested && loginRequired, cancel, authorize };
}
