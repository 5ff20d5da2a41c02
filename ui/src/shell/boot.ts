//! The hand-over from the plain-HTML shell (index.html, public/boot.js) to the app: what was typed
//! into the shell's scan field, the codes entered there with Enter, whether it had the keyboard,
//! and the first view boot.js already asked for. Taken once, before the app's first render
//! replaces the shell, so nothing typed in the first moments of a start is lost.
import type { CounterView } from "../bindings";

/** A code entered in the shell; `at` is performance.now() at its Enter. */
export type BootScan = { code: string; at: number };

export type BootHandoff = {
  /** Typed into the shell's field and not entered yet: the app's field starts with it. */
  draft: string;
  /** The shell's field had the keyboard: the app's field takes it. */
  focused: boolean;
  /** Entered with Enter before the app ran, oldest first: scanned once the counter is up. */
  submitted: BootScan[];
  /** The `counter_view` boot.js sent while the bundle loaded. */
  firstView: Promise<CounterView> | null;
  /** boot.js already reported the first frame. */
  firstFrameSent: boolean;
};

const NOTHING: BootHandoff = {
  draft: "",
  focused: false,
  submitted: [],
  firstView: null,
  firstFrameSent: false,
};

let handoff: BootHandoff = NOTHING;

/** Reads the shell while it is still in the document; call once, before the first render. */
export function takeOverBootShell(doc: Document = document): BootHandoff {
  const boot = window.__pvzBoot;
  const input = doc.getElementById("pvz-boot-input");
  const field = input instanceof HTMLInputElement ? input : null;
  handoff = {
    draft: field?.value ?? "",
    focused: field !== null && doc.activeElement === field,
    submitted: boot ? [...boot.submitted] : [],
    firstView: boot?.firstView ?? null,
    firstFrameSent: boot?.firstFrameSent ?? false,
  };
  // Later entries (there should be none once the app renders) would be lost: stop collecting.
  if (boot) boot.submitted = [];
  return handoff;
}

/** What the shell handed over; the same object until the next take-over. */
export function bootHandoff(): BootHandoff {
  return handoff;
}

/** The first view boot.js asked for, once; null afterwards (and without a shell). */
export function takeBootFirstView(): Promise<CounterView> | null {
  const view = handoff.firstView;
  handoff = { ...handoff, firstView: null };
  return view;
}

/** The codes entered in the shell, once; empty afterwards. */
export function takeBootScans(): BootScan[] {
  const scans = handoff.submitted;
  handoff = { ...handoff, submitted: [] };
  return scans;
}

/** The shell's unfinished text, once; empty afterwards. */
export function takeBootDraft(): { draft: string; focused: boolean } {
  const { draft, focused } = handoff;
  handoff = { ...handoff, draft: "", focused: false };
  return { draft, focused };
}
