//! The commands every screen relies on: the counter's view, a scan (typed or from the scanner, it
//! may open any flow) and the cold-start report. Each capability's own commands live in its
//! `features/<capability>/api.ts`.
import type { CounterView, ScanOutcome } from "../bindings";
import { commandCaller } from "./command";

export const COMMANDS = ["counter_view", "scan", "ui_ready"] as const;
const call = commandCaller<(typeof COMMANDS)[number]>();

export const counterView = () => call<CounterView>("counter_view");
/** `input` is the raw string as typed or scanned; the backend normalizes layout and prefixes. */
export const scan = (input: string) => call<ScanOutcome>("scan", { input });
/** Called after the first frame and after the first frame with data (cold-start metrics). */
export const uiReady = (stage: "first_frame" | "data") => call<void>("ui_ready", { stage });
