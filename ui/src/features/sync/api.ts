//! Sync: the status strip's data, "sync now", acknowledging a rejected op, and «Диагностика»; later changes of the
//! status arrive as `sync-status` events.
import type { SyncStatusView } from "../../bindings";
import { commandCaller } from "../../ipc/command";

export const COMMANDS = [
  "sync_status",
  "sync_now",
  "acknowledge_attention",
  "save_diagnostics",
] as const;
const call = commandCaller<(typeof COMMANDS)[number]>();

/** The event the backend emits with a SyncStatusView on every change. */
export const SYNC_STATUS_EVENT = "sync-status";

/** The sync status strip's data; later changes arrive as `sync-status` events. */
export const syncStatus = () => call<SyncStatusView>("sync_status");
/** Wakes the sync engine now; rejects with not_connected when the kiosk has no server. */
export const syncNow = () => call<SyncStatusView>("sync_now");
/**
 * "Разобрано": the manager has dealt with the rejected op `seq`; it leaves the attention list.
 * Resolves with the status without it; rejects with invalid_input for an op that is not rejected.
 */
export const acknowledgeAttention = (seq: number) =>
  call<SyncStatusView>("acknowledge_attention", { seq });
/** «Диагностика»: saves the support zip in the documents folder; resolves with its path. */
export const saveDiagnostics = () => call<string>("save_diagnostics");
