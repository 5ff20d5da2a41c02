//! Installs the wedge detector on the whole window (one capture-phase keydown listener), so a scan
//! works wherever focus is: outside text fields the scanner's characters are held back; inside one
//! they flow normally, and a burst ended by Enter is taken back out of the field and delivered.
import { useLayoutEffect, useRef } from "react";
import { DEFAULT_WEDGE_OPTIONS, GROUP_SEPARATOR, WedgeDetector, type WedgeVerdict } from "./wedge";

/** When the detector is asked whether a burst has ended: just after its silence. */
const SILENCE_CHECK_MS = DEFAULT_WEDGE_OPTIONS.silenceMs + 10;

/**
 * Scanners in keyboard mode send the GS1 separator as Ctrl+] (by key position, so it also works
 * under the Russian layout) or as the character itself.
 */
function isGroupSeparator(event: KeyboardEvent): boolean {
  return event.key === GROUP_SEPARATOR || (event.ctrlKey && event.code === "BracketRight");
}

/** performance.now() of the last key that continued a scanner burst. */
let lastBurstKeyAt = Number.NEGATIVE_INFINITY;

/**
 * True when a scanner burst went on after `since`. A burst's first key cannot be told from a
 * person's key press until the second one comes, so a single-key hotkey (1–5 in the refusal
 * dialog) waits a moment and asks this before acting.
 */
export function burstContinuedSince(since: number): boolean {
  return lastBurstKeyAt > since;
}

/** `code` as scanned; `at` is performance.now() at the key that ended the scan. */
export type ScanHandler = (code: string, at: number) => void;

type TextField = HTMLInputElement | HTMLTextAreaElement;

const TEXT_INPUT_TYPES = new Set(["text", "search", "tel", "url", "email", "password", "number"]);

function textFieldOf(target: EventTarget | null): TextField | null {
  if (target instanceof HTMLTextAreaElement) return target;
  if (target instanceof HTMLInputElement && TEXT_INPUT_TYPES.has(target.type)) return target;
  return null;
}

function isEditable(target: EventTarget | null): boolean {
  return (
    textFieldOf(target) !== null || (target instanceof HTMLElement && target.isContentEditable)
  );
}

/**
 * The event's own timestamp is closest to when the scanner sent the key (a busy main thread
 * delays handlers, not stamps); fall back to now when an engine stamps on another clock.
 */
function keyTime(event: KeyboardEvent): number {
  const now = performance.now();
  const stamp = event.timeStamp;
  return stamp > 0 && stamp <= now + 1 ? stamp : now;
}

/** Sets a (possibly React-controlled) field's value so React sees the change as user input. */
function replaceValue(field: TextField, value: string): void {
  // React tracks the value through the instance property; going through the prototype's setter
  // makes the following input event look like a real edit, so onChange fires.
  const proto =
    field instanceof HTMLTextAreaElement
      ? HTMLTextAreaElement.prototype
      : HTMLInputElement.prototype;
  if (!Reflect.set(proto, "value", value, field)) field.value = value;
  field.dispatchEvent(new Event("input", { bubbles: true }));
}

/** Removes the burst the scanner typed into `field`: the `count` characters before the caret. */
export function stripBurst(field: TextField, code: string, count: number): void {
  if (count <= 0) return;
  const value = field.value;
  let end: number;
  try {
    end = field.selectionEnd ?? value.length;
  } catch {
    end = value.length; // some input types have no selection
  }
  let start = end - count;
  if (start < 0 || value.slice(start, end) !== code) {
    // The caret moved or the field changed the text; fall back to the last copy of the code.
    start = value.lastIndexOf(code);
    if (start < 0) return;
  }
  replaceValue(field, value.slice(0, start) + value.slice(start + count));
  try {
    field.setSelectionRange(start, start);
  } catch {
    // Not every input type supports a selection; the value is what matters.
  }
}

/** `enabled` false: no listener at all (a kiosk with nothing to scan, whose form takes long text). */
export function useWedge(onScan: ScanHandler, enabled = true): void {
  const onScanRef = useRef(onScan);
  // In the commit too: a scan that arrives right after the screen changed reaches the new handler.
  useLayoutEffect(() => {
    onScanRef.current = onScan;
  }, [onScan]);

  // A layout effect, so the listener comes and goes in the same commit as the screen that needs it:
  // with a passive effect the connect form could be on screen, and typed into, before the listener
  // left (seen as a flaky test under load: a typed server address taken for a scan).
  useLayoutEffect(() => {
    if (!enabled) return;
    const detector = new WedgeDetector();
    let silenceTimer: ReturnType<typeof setTimeout> | undefined;
    // The field a burst was typing into, to strip it when the burst ends on silence.
    let burstField: TextField | null = null;

    const deliver = (verdict: WedgeVerdict, field: TextField | null, at: number): boolean => {
      if (verdict.kind !== "scan" && verdict.kind !== "drop") return false;
      if (field) stripBurst(field, verdict.code, verdict.strip);
      if (verdict.kind === "scan") onScanRef.current(verdict.code, at);
      return true;
    };

    const onSilence = () => {
      const now = performance.now();
      const verdict = detector.idle(now);
      if (verdict) deliver(verdict, burstField, now);
    };

    const onKeyDown = (event: KeyboardEvent) => {
      if (event.isComposing) return;
      const at = performance.now();
      // A chord (Ctrl+C, Alt+Tab) is a person at the keyboard and breaks any burst.
      const chord = event.ctrlKey || event.metaKey || event.altKey;
      const key = isGroupSeparator(event) ? GROUP_SEPARATOR : chord ? "Unidentified" : event.key;
      const field = textFieldOf(event.target);
      const verdict = detector.key({
        key,
        time: keyTime(event),
        target: isEditable(event.target) ? "editable" : "other",
      });

      clearTimeout(silenceTimer);
      if (verdict.kind === "pass" && key.length === 1) {
        burstField = field;
        silenceTimer = setTimeout(onSilence, SILENCE_CHECK_MS);
      }

      if ((verdict.kind === "hold" && verdict.continuesBurst) || verdict.kind === "scan") {
        lastBurstKeyAt = at;
      }
      if (verdict.kind === "hold") {
        event.preventDefault();
        // Hotkeys (e.g. 1–5 in the refusal dialog) must not fire on the scanner's characters.
        if (verdict.continuesBurst) event.stopPropagation();
        silenceTimer = setTimeout(onSilence, SILENCE_CHECK_MS);
        return;
      }
      if (deliver(verdict, field, at)) {
        // The terminator belongs to the scan: no form submit, no focus move, no button press.
        event.preventDefault();
        event.stopPropagation();
      }
    };

    window.addEventListener("keydown", onKeyDown, { capture: true });
    return () => {
      window.removeEventListener("keydown", onKeyDown, { capture: true });
      clearTimeout(silenceTimer);
    };
  }, [enabled]);
}
