//! Scan-to-card timing: from the Enter that ended a scan (or a manual submit) to the moment the
//! resulting order card has been committed and painted. Collected in `window.__pvzScanTimings` for
//! end-to-end tests and for looking at in the devtools.
import { useEffect, useLayoutEffect } from "react";
import { uiReady } from "./ipc/counter";
import { bootHandoff } from "./shell/boot";

/**
 * A scan whose card is about to be committed; a new object per scan, so each is measured once.
 * `answeredAt`: when the `scan` command's answer reached the page.
 */
export type PendingPaint = { startedAt: number; answeredAt?: number };

/** Where a scan's time went, each from the Enter: the answer, the card in the DOM, the frame, painted. */
type ScanPhases = { answer: number; commit: number; frame: number; painted: number };

export function recordScanTiming(ms: number): void {
  (window.__pvzScanTimings ??= []).push(ms);
}

/** The `scan` command's round trip alone (IPC + core), to tell backend time from rendering. */
export function recordScanIpcTiming(ms: number): void {
  (window.__pvzScanIpcTimings ??= []).push(ms);
}

/**
 * Call in the component that renders the order card, with the pending scan set in the same update
 * as the new view: the layout effect runs once the card is in the DOM, the animation frame when the
 * browser is about to paint it, and the timeout after that paint.
 */
export function useScanPaintTiming(pending: PendingPaint | null): void {
  useLayoutEffect(() => {
    if (!pending) return;
    const since = (at: number) => at - pending.startedAt;
    const commit = since(performance.now());
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      const framed = since(performance.now());
      timer = setTimeout(() => {
        const painted = since(performance.now());
        const answer = pending.answeredAt === undefined ? NaN : since(pending.answeredAt);
        const phases: ScanPhases = { answer, commit, frame: framed, painted };
        (window.__pvzScanPhases ??= []).push(phases);
        recordScanTiming(painted);
      }, 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [pending]);
}

const uiStagesSent = new Set<string>();

function reportStageAfterPaint(stage: "first_frame" | "data"): void {
  // The plain-HTML shell's first frame came before the app's (public/boot.js reported it).
  if (stage === "first_frame" && bootHandoff().firstFrameSent) return;
  if (uiStagesSent.has(stage)) return;
  uiStagesSent.add(stage);
  performance.mark(`pvz:${stage}-committed`);
  requestAnimationFrame(() => {
    setTimeout(() => {
      performance.mark(`pvz:${stage}-painted`);
      uiReady(stage).catch((thrown: unknown) => console.warn("ui_ready failed", thrown));
    }, 0);
  });
}

/**
 * Tells the backend, once per page load, when the first frame is on screen (the scan field and the
 * scanner listener are live) and when the first frame showing the counter's data is (the cold-start
 * metrics). `loaded` turns true when the first `counter_view` has been rendered. The data's report
 * is timed from the commit that put it in the DOM (a layout effect), so the frame measured is the
 * first one painting it, not the one after React's passive effects.
 */
export function useUiReadyAfterFirstPaint(loaded: boolean): void {
  useEffect(() => {
    performance.mark("pvz:app-committed");
    reportStageAfterPaint("first_frame");
  }, []);
  useLayoutEffect(() => {
    if (loaded) reportStageAfterPaint("data");
  }, [loaded]);
}
