// Window globals the kiosk UI adds.
export {};

declare global {
  interface Window {
    /** Milliseconds from the Enter that ended a scan to the painted order card, newest last. */
    __pvzScanTimings?: number[];
    /** Milliseconds of each `scan` command's round trip (IPC + core), newest last. */
    __pvzScanIpcTimings?: number[];
  }
}
