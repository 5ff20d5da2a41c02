// Window globals the kiosk UI adds.
export {};

declare global {
  interface Window {
    /** Milliseconds from the Enter that ended a scan to the painted order card, newest last. */
    __pvzScanTimings?: number[];
    /** Milliseconds of each `scan` command's round trip (IPC + core), newest last. */
    __pvzScanIpcTimings?: number[];
    /** Per scan, milliseconds from its Enter to the answer, the card committed, the frame, painted. */
    __pvzScanPhases?: { answer: number; commit: number; frame: number; painted: number }[];
  }
}
