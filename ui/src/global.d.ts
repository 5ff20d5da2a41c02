// Window globals the kiosk UI adds.
import type { CounterView } from "./bindings";

export {};

declare global {
  interface Window {
    /** Milliseconds from the Enter that ended a scan to the painted order card, newest last. */
    __pvzScanTimings?: number[];
    /** Milliseconds of each `scan` command's round trip (IPC + core), newest last. */
    __pvzScanIpcTimings?: number[];
    /** Per scan, milliseconds from its Enter to the answer, the card committed, the frame, painted. */
    __pvzScanPhases?: { answer: number; commit: number; frame: number; painted: number }[];
    /** Set by public/boot.js, which runs on the plain-HTML shell before the bundle. */
    __pvzBoot?: {
      submitted: { code: string; at: number }[];
      /** The `counter_view` asked for before the bundle ran. */
      firstView: Promise<CounterView> | null;
      firstFrameSent: boolean;
    };
  }
}
