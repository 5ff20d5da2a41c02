//! The counter as every screen sees it: the backend's last view, the last error and scan notice,
//! and the actions that change them (built by useCounter, which runs them one at a time).
import type {
  CounterView,
  ItemDecision,
  KioskError,
  OrderView,
  ScanNotice,
  SessionView,
} from "./bindings";
import type { PendingPaint } from "./perf";

/** The last scan's notice, with a serial so the same item matched twice is seen twice. */
export type SeenNotice = { notice: ScanNotice; serial: number };

export type Counter = {
  view: CounterView | null;
  error: KioskError | null;
  notice: SeenNotice | null;
  pendingPaint: PendingPaint | null;
  scan: (input: string, startedAt: number) => void;
  decide: (order: OrderView, itemId: string, decision: ItemDecision) => Promise<boolean>;
  handOverUndecided: (order: OrderView) => void;
  clearDecision: (order: OrderView, itemId: string) => void;
  attachPhoto: (order: OrderView, itemId: string, file: File) => void;
  confirmIssue: (order: OrderView) => void;
  setAside: () => void;
  dismissReceipt: () => void;
  /**
   * Runs a backend action that answers with the counter view, in the queue like every other
   * action (the returns screens call the api through this); resolves true when it succeeded.
   */
  perform: (task: () => Promise<CounterView>) => Promise<boolean>;
  /** Вход по PIN: resolves null once logged in (the view is replaced), else the error. */
  logIn: (employeeId: string, pin: string) => Promise<KioskError | null>;
  /** Reads the view again (e.g. when the session may have idle-locked). */
  refresh: () => void;
  /** The session as keep_alive answered it, put into the view. */
  setSession: (session: SessionView) => void;
  /** "Подключение кассы": resolves null once enrolled (the view is replaced), else the error. */
  enroll: (
    serverUrl: string,
    code: string,
    deviceName: string | null,
  ) => Promise<KioskError | null>;
};
