//! The counter's configuration as the window received it before its first frame (kiosk.toml, the
//! user's file and the environment, merged by the core): kiosk mode, the language to open in, and
//! the problems found. Outside the kiosk's window (the unit tests) it is the plain counter.
import type { ConfigView } from "../../bindings";

declare global {
  interface Window {
    /** Set by the window's initialization script, before any of the page's own code runs. */
    __PVZ_CONFIG__?: ConfigView;
  }
}

const PLAIN: ConfigView = { kiosk_mode: false, language: null, problems: [] };

export function kioskConfig(): ConfigView {
  return typeof window !== "undefined" && window.__PVZ_CONFIG__ ? window.__PVZ_CONFIG__ : PLAIN;
}
