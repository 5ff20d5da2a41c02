//! English strings of kiosk mode and the configuration: its problems, closing the counter by PIN.
import type { Messages } from "../ru";

export const kiosk: Messages["kiosk"] = {
  configProblems:
    "The counter's configuration (kiosk.toml) has errors. These settings keep their defaults:",
  close: "Close the counter",
  closeHint: "Close the counter app: a manager's PIN is needed",
  closeTitle: "Close the counter?",
  closePrompt: "To close the counter app, a manager enters their PIN.",
  closeSubmit: "Close",
  cancel: "Keep open",
};
