//! Вход по PIN и смена: who works the counter (`session`), opening and closing the shift, and the
//! shift's report (`shift_report`).
import type { CounterView, SessionView } from "../../bindings";
import { commandCaller } from "../../ipc/command";

export const COMMANDS = [
  "log_in",
  "log_out",
  "keep_alive",
  "open_shift",
  "close_shift",
  "dismiss_shift_report",
  "export_shift_report_csv",
] as const;
const call = commandCaller<(typeof COMMANDS)[number]>();

/**
 * Logs the manager in; rejects with wrong_pin (tries left in `detail`) or pin_locked (until when,
 * RFC 3339, in `detail`).
 */
export const logIn = (employeeId: string, pin: string) =>
  call<CounterView>("log_in", { employeeId, pin });
/** The PIN screen shows; an open shift stays open. */
export const logOut = () => call<CounterView>("log_out");
/** Activity the backend does not see (keys, clicks): the session does not idle-lock meanwhile. */
export const keepAlive = () => call<SessionView>("keep_alive");
export const openShift = () => call<CounterView>("open_shift");
/** The view then has the closed shift's `shift_report` (with `closed_at`) until dismissed. */
export const closeShift = () => call<CounterView>("close_shift");
export const dismissShiftReport = () => call<CounterView>("dismiss_shift_report");
/** Saves the shift's report as CSV; resolves with the file's path (PDF: exportDocument). */
export const exportShiftReportCsv = (shiftId: string) =>
  call<string>("export_shift_report_csv", { shiftId });
