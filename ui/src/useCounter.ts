//! The counter's state as the backend last reported it, and the actions that change it (the
//! Counter of counterState.ts). Every action goes through one queue so a fast scanner or a double
//! click can never interleave two commands; each action clears the error banner and either replaces
//! the view or sets the error.
import { useCallback, useEffect, useRef, useState } from "react";
import type {
  CounterView,
  ErrorKind,
  ItemDecision,
  KioskError,
  OrderView,
  SessionView,
} from "./bindings";
import type { Counter, SeenNotice } from "./counterState";
import * as enrollment from "./features/enroll/api";
import * as issue from "./features/issue/api";
import * as returns from "./features/returns/api";
import * as staff from "./features/staff/api";
import { fileToBase64 } from "./ipc/base64";
import { toKioskError } from "./ipc/command";
import * as counterApi from "./ipc/counter";
import { recordScanIpcTiming, type PendingPaint } from "./perf";
import { takeBootFirstView } from "./shell/boot";

/**
 * Errors that mean the counter needs a person first (a PIN, a shift): the view is read again so the
 * PIN or shift screen replaces whatever was on show.
 */
const NEEDS_STAFF: ReadonlySet<ErrorKind> = new Set<ErrorKind>([
  "login_required",
  "idle_locked",
  "shift_not_open",
]);

export function useCounter(): Counter {
  // The first view boot.js asked for, when the shell handed one over: on screen from the first render.
  const [view, setView] = useState<CounterView | null>(takeBootFirstView);
  const startedWithView = useRef(view !== null);
  const [error, setError] = useState<KioskError | null>(null);
  const [notice, setNotice] = useState<SeenNotice | null>(null);
  const [pendingPaint, setPendingPaint] = useState<PendingPaint | null>(null);
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const noticeSerial = useRef(0);

  /** Runs `task` after every earlier one; resolves true when it succeeded. */
  const run = useCallback(<T>(task: () => Promise<T>, onDone: (result: T) => void) => {
    setError(null);
    const done = queue.current.then(task).then(
      (result) => {
        onDone(result);
        return true;
      },
      (thrown: unknown) => {
        const error = toKioskError(thrown);
        setError(error);
        if (NEEDS_STAFF.has(error.kind))
          void counterApi.counterView().then(setView, () => undefined);
        return false;
      },
    );
    queue.current = done;
    return done;
  }, []);

  useEffect(() => {
    if (startedWithView.current) return;
    queue.current = counterApi.counterView().then(setView, (thrown: unknown) => {
      setError(toKioskError(thrown));
    });
  }, []);

  const scan = useCallback(
    (input: string, startedAt: number) => {
      const code = input.trim();
      if (!code) return;
      void run(
        async () => {
          const sent = performance.now();
          const outcome = await counterApi.scan(code);
          recordScanIpcTiming(performance.now() - sent);
          return outcome;
        },
        (outcome) => {
          setView(outcome.view);
          if (outcome.notice) {
            noticeSerial.current += 1;
            setNotice({ notice: outcome.notice, serial: noticeSerial.current });
            // What the signed code or badge alone cannot tell, the server may: the claim's current
            // state, the courier's manifest. Offline the backend answers with the view unchanged.
            if (outcome.notice.kind === "claim_opened")
              void run(returns.refreshClaimStatus, setView);
            if (outcome.notice.kind === "hand_back_started")
              void run(returns.loadCourierManifest, setView);
          }
          if (outcome.view.screen.kind === "order")
            setPendingPaint({ startedAt, answeredAt: performance.now() });
        },
      );
    },
    [run],
  );

  const decide = useCallback(
    (order: OrderView, itemId: string, decision: ItemDecision) =>
      run(() => issue.decideItem(order.order_id, itemId, decision), setView),
    [run],
  );

  const handOverUndecided = useCallback(
    (order: OrderView) => {
      if (order.items.every((item) => item.decision !== null)) return;
      void run(() => issue.handOverRest(order.order_id), setView);
    },
    [run],
  );

  const attachPhoto = useCallback(
    (order: OrderView, itemId: string, file: File) => {
      void run(
        async () => issue.attachDefectPhoto(order.order_id, itemId, await fileToBase64(file)),
        setView,
      );
    },
    [run],
  );

  const clearDecision = useCallback(
    (order: OrderView, itemId: string) => {
      void run(() => issue.clearDecision(order.order_id, itemId), setView);
    },
    [run],
  );

  const confirmIssue = useCallback(
    (order: OrderView) => {
      // The manager confirms the amount on screen; the backend refuses if it is no longer due.
      const shown = order.settlement.to_collect;
      void run(() => issue.confirmIssue(order.order_id, shown, shown > 0), setView).then((ok) => {
        // Show what is due now, so the banner and the card agree.
        if (!ok) void counterApi.counterView().then(setView, () => undefined);
      });
    },
    [run],
  );

  const perform = useCallback((task: () => Promise<CounterView>) => run(task, setView), [run]);

  const setAside = useCallback(() => void run(issue.setAside, setView), [run]);
  const dismissReceipt = useCallback(() => void run(issue.dismissReceipt, setView), [run]);

  // Not through `run`: the PIN screen shows its own error (tries left, locked until).
  const logIn = useCallback((employeeId: string, pin: string) => {
    const done = queue.current
      .then(() => staff.logIn(employeeId, pin))
      .then(
        (loggedIn) => {
          setError(null);
          setView(loggedIn);
          return null;
        },
        (thrown: unknown) => {
          const error = toKioskError(thrown);
          // A lockout changes the manager list (their "locked until"); show it.
          void counterApi.counterView().then(setView, () => undefined);
          return error;
        },
      );
    queue.current = done;
    return done;
  }, []);

  const refresh = useCallback(() => {
    queue.current = queue.current
      .then(() => counterApi.counterView())
      .then(setView, () => undefined);
  }, []);

  const setSession = useCallback((session: SessionView) => {
    setView((current) => (current ? { ...current, session } : current));
  }, []);

  // Not through `run`: the connect form shows its own error and keeps what was typed.
  const enroll = useCallback((serverUrl: string, code: string, deviceName: string | null) => {
    const done = queue.current
      .then(() => enrollment.enroll(serverUrl, code, deviceName))
      .then(
        (enrolled) => {
          setError(null);
          setView(enrolled);
          return null;
        },
        (thrown: unknown) => toKioskError(thrown),
      );
    queue.current = done;
    return done;
  }, []);

  return {
    view,
    error,
    notice,
    pendingPaint,
    scan,
    decide,
    handOverUndecided,
    clearDecision,
    attachPhoto,
    confirmIssue,
    setAside,
    dismissReceipt,
    perform,
    logIn,
    refresh,
    setSession,
    enroll,
  };
}
