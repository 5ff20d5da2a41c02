//! Keeps the logged-in manager's session alive while they work (keys, clicks and touches the
//! backend does not see), and reads the view again when the idle lock is due, so the PIN screen
//! comes up by itself on a counter left alone.
import { useEffect, useRef } from "react";
import type { SessionView } from "../../bindings";
import type { Counter } from "../../counterState";
import * as api from "./api";

/** At most one keep-alive call per this many ms: the idle lock counts minutes, not keys. */
export const KEEP_ALIVE_EVERY_MS = 30_000;

/** How long after the idle lock is due the view is read again (clocks are never quite equal). */
const LOCK_CHECK_GRACE_MS = 1_000;

/** setTimeout's longest delay; a later lock is re-armed when the view changes anyway. */
const MAX_TIMER_MS = 2_147_483_647;

export function useSessionKeeper(
  session: SessionView | null,
  counter: Pick<Counter, "refresh" | "setSession">,
): void {
  const loggedIn = (session?.logged_in ?? null) !== null;
  const idleLockAt = session?.idle_lock_at ?? null;
  const lastSent = useRef(Number.NEGATIVE_INFINITY);
  const { refresh, setSession } = counter;

  useEffect(() => {
    if (!loggedIn) return;
    // The login itself was activity.
    lastSent.current = performance.now();
    const onActivity = () => {
      const now = performance.now();
      if (now - lastSent.current < KEEP_ALIVE_EVERY_MS) return;
      lastSent.current = now;
      api.keepAlive().then(setSession, () => undefined);
    };
    const options = { capture: true, passive: true };
    window.addEventListener("keydown", onActivity, options);
    window.addEventListener("pointerdown", onActivity, options);
    return () => {
      window.removeEventListener("keydown", onActivity, options);
      window.removeEventListener("pointerdown", onActivity, options);
    };
  }, [loggedIn, setSession]);

  useEffect(() => {
    if (!loggedIn || idleLockAt === null) return;
    const due = Date.parse(idleLockAt);
    if (Number.isNaN(due)) return;
    const delay = Math.min(Math.max(due - Date.now() + LOCK_CHECK_GRACE_MS, 0), MAX_TIMER_MS);
    const timer = setTimeout(refresh, delay);
    return () => clearTimeout(timer);
  }, [loggedIn, idleLockAt, refresh]);
}
