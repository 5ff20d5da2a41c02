//! The hand-over from the plain-HTML shell (index.html, public/boot.js) to the app: what was typed
//! into the shell's scan field, the codes entered there with Enter, whether it had the keyboard,
//! and the first view boot.js already asked for. Taken once, before the app's first render
//! replaces the shell, so nothing typed in the first moments of a start is lost. The app renders
//! once that first view is in (`bootFirstView`), so its first frame already shows the counter's
//! data: one render and one paint fewer on the way to it than an empty screen filled in after.
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
  /** The answer to the `counter_view` boot.js sent while the bundle loaded (null: none, or it failed). */
  firstView: CounterView | null;
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

/**
 * How long the app's first render waits for that view. The store answers in a few milliseconds,
 * usually before the bundle has even run; one that takes longer (a migration, a busy disk) should
 * not hold back the header, the sync strip and a configuration problem's banner.
 */
export const FIRST_VIEW_WAIT_MS = 400;

/**
 * The answer to the `counter_view` boot.js asked for, once it is in; null without a shell, when it
 * failed or when it is not in within `waitMs` (the app then asks again itself, and shows a failure).
 */
export async function bootFirstView(waitMs = FIRST_VIEW_WAIT_MS): Promise<CounterView | null> {
  const asked = window.__pvzBoot?.firstView;
  if (!asked) return null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), waitMs)));
  try {
    return await Promise.race([asked, late]);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Reads the shell while it is still in the document; call once, right before the first render.
 * `firstView`: what `bootFirstView` gave.
 */
export function takeOverBootShell(
  doc: Document = document,
  firstView: CounterView | null = null,
): BootHandoff {
  const boot = window.__pvzBoot;
  const input = doc.getElementById("pvz-boot-input");
  const field = input instanceof HTMLInputElement ? input : null;
  handoff = {
    draft: field?.value ?? "",
    focused: field !== null && doc.activeElement === field,
    submitted: boot ? [...boot.submitted] : [],
    firstView,
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
export function takeBootFirstView(): CounterView | null {
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
