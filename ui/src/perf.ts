//! Scan-to-card timing: from the Enter that ended a scan (or a manual submit) to the moment the
//! resulting order card has been committed and painted. Collected in `window.__pvzScanTimings` for
//! end-to-end tests and for looking at in the devtools.
import { useEffect, useLayoutEffect } from "react";
import { api } from "./api";

/** A scan whose card is about to be committed; a new object per scan, so each is measured once. */
export type PendingPaint = { startedAt: number };

export function recordScanTiming(ms: number): void {
  (window.__pvzScanTimings ??= []).push(ms);
}

/**
 * Call in the component that renders the order card, with the pending scan set in the same update
 * as the new view: the layout effect runs once the card is in the DOM, the animation frame when the
 * browser is about to paint it, and the timeout after that paint.
 */
export function useScanPaintTiming(pending: PendingPaint | null): void {
  useLayoutEffect(() => {
    if (!pending) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => recordScanTiming(performance.now() - pending.startedAt), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [pending]);
}

let uiReadySent = false;

/**
 * Tells the backend, once per page load, that the first frame showing the counter's data is on
 * screen (the cold-start metric: the window is interactive, not merely painted). `loaded` turns
 * true when the first `counter_view` has been rendered.
 */
export function useUiReadyAfterFirstPaint(loaded: boolean): void {
  useEffect(() => {
    if (!loaded || uiReadySent) return;
    uiReadySent = true;
    requestAnimationFrame(() => {
      setTimeout(() => {
        api.uiReady().catch((thrown: unknown) => console.warn("ui_ready failed", thrown));
      }, 0);
    });
  }, [loaded]);
}
