//! The sync status as the backend last published it: read once at start, then kept current by the
//! `sync-status` event. A kiosk without a server (the demo) answers with `configured: false`.
import { listen } from "@tauri-apps/api/event";
import { useCallback, useEffect, useMemo, useState } from "react";
import type { KioskError, SyncStatusView } from "../../bindings";
import { toKioskError } from "../../ipc/command";
import * as api from "./api";

export type SyncState = {
  status: SyncStatusView | null;
  /** Why the last action from the strip failed ("sync now" without a server, an acknowledgement). */
  error: KioskError | null;
  syncNow: () => void;
  /** Marks the rejected op `seq` as dealt with; settles once the new status is in. */
  acknowledge: (seq: number) => Promise<void>;
};

export function useSyncStatus(): SyncState {
  const [status, setStatus] = useState<SyncStatusView | null>(null);
  const [error, setError] = useState<KioskError | null>(null);

  useEffect(() => {
    let active = true;
    let unlisten: (() => void) | null = null;
    // Subscribe first, so a change between the read and the subscription is not missed.
    listen<SyncStatusView>(api.SYNC_STATUS_EVENT, (event) => {
      if (active) setStatus(event.payload);
    }).then(
      (stop) => {
        if (active) unlisten = stop;
        else stop();
      },
      () => undefined,
    );
    api.syncStatus().then(
      (initial) => {
        // An event may already have brought a newer status.
        if (active && initial) setStatus((current) => current ?? initial);
      },
      () => undefined,
    );
    return () => {
      active = false;
      unlisten?.();
    };
  }, []);

  const syncNow = useCallback(() => {
    setError(null);
    api.syncNow().then(setStatus, (thrown: unknown) => setError(toKioskError(thrown)));
  }, []);

  const acknowledge = useCallback(async (seq: number) => {
    setError(null);
    try {
      setStatus(await api.acknowledgeAttention(seq));
    } catch (thrown: unknown) {
      setError(toKioskError(thrown));
    }
  }, []);

  // The same object while nothing changed, so the strip need not re-render with each counter view.
  return useMemo(
    () => ({ status, error, syncNow, acknowledge }),
    [status, error, syncNow, acknowledge],
  );
}
