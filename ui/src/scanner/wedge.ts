//! Keyboard-wedge scanner detection, without the DOM: fed key events with their times, it tells a
//! scanner burst (many characters, tiny gaps, a terminator) from a person typing, and drops a code
//! that is scanned again too soon. useWedge.ts wires it to the window.

/** Where the key was going: a text field keeps receiving characters; anywhere else they are held. */
export type KeyTarget = "editable" | "other";

export type WedgeKey = {
  /** `KeyboardEvent.key`: one character for printable keys, a name ("Enter", "Shift") otherwise. */
  key: string;
  /** Milliseconds on one monotonic clock (event.timeStamp / performance.now()). */
  time: number;
  target: KeyTarget;
};

export type WedgeVerdict =
  /** Let the key do what it normally does. */
  | { kind: "pass" }
  /**
   * A printable key outside a text field, buffered in case it starts a scan: prevent its default.
   * `continuesBurst` is true when it came fast after the previous one, i.e. it is almost certainly
   * scanner input and app hotkeys should not see it.
   */
  | { kind: "hold"; continuesBurst: boolean }
  /**
   * A scan ended: consume the key, remove the last `strip` characters the burst typed into the
   * focused text field (0 outside one), and deliver `code`.
   */
  | { kind: "scan"; code: string; strip: number }
  /** Same as scan, but the code was just delivered: consume and strip, deliver nothing. */
  | { kind: "drop"; code: string; strip: number };

export type WedgeOptions = {
  /** Shortest burst that counts as a scan when a terminator ends it. */
  minLength: number;
  /** Longest gap between two keys while a burst is starting (its first `minLength` characters). */
  maxGapMs: number;
  /**
   * Silence that ends a burst with no terminator. It is also the longest gap a burst survives once
   * it has `minLength` fast characters: that is a scanner (nobody types that fast for that long),
   * and a busy kiosk (sync, printing) stamps a long QR code's keys unevenly. A 175-character code
   * showed a 43 ms gap under load, which a flat `maxGapMs` broke in two.
   */
  silenceMs: number;
  /** A silence-ended burst must be at least this long, so a short fast chord is never a scan. */
  silenceMinLength: number;
  /**
   * The same code again within this window, with no other code read in between, is a double read,
   * not a second scan. (A code read again after another one is meant: the same cell label for the
   * next item at receiving.)
   */
  dedupeMs: number;
};

export const DEFAULT_WEDGE_OPTIONS: WedgeOptions = {
  minLength: 6,
  maxGapMs: 35,
  silenceMs: 150,
  silenceMinLength: 8,
  dedupeMs: 1500,
};

/** Keys a scanner sends around characters (Shift for capitals) that must not break a burst. */
const MODIFIER_KEYS: ReadonlySet<string> = new Set([
  "Shift",
  "Control",
  "Alt",
  "AltGraph",
  "Meta",
  "CapsLock",
  "NumLock",
  "Fn",
  "OS",
]);

const PASS: WedgeVerdict = { kind: "pass" };

/** A modifier pressed on its own (Shift for a capital): part of typing, never a key of its own. */
export function isModifierKey(key: string): boolean {
  return MODIFIER_KEYS.has(key);
}

/** `KeyboardEvent.key` is a single code point exactly for keys that produce a character. */
export function isPrintableKey(key: string): boolean {
  return key === GROUP_SEPARATOR || ([...key].length === 1 && key >= " ");
}

/** GS (ASCII 29): separates the fields of a GS1 DataMatrix (Честный ЗНАК); part of the code. */
export const GROUP_SEPARATOR = "\u001d";

export class WedgeDetector {
  private readonly options: WedgeOptions;
  private chars = "";
  private target: KeyTarget = "other";
  private lastKeyAt = Number.NEGATIVE_INFINITY;
  /** The code delivered last and when, for the double-read window. */
  private delivered: { code: string; at: number } | null = null;

  constructor(options: Partial<WedgeOptions> = {}) {
    this.options = { ...DEFAULT_WEDGE_OPTIONS, ...options };
  }

  /** Characters of the burst in progress (for diagnostics and tests). */
  get pending(): string {
    return this.chars;
  }

  key(event: WedgeKey): WedgeVerdict {
    if (isModifierKey(event.key)) return PASS;

    if (isPrintableKey(event.key)) return this.character(event);

    if (event.key === "Enter" || event.key === "Tab") {
      const isScan = this.continues(event.time) && this.chars.length >= this.options.minLength;
      const { chars, target } = this.take();
      return isScan ? this.finish(chars, target, event.time) : PASS;
    }

    // Arrows, Backspace, Escape, F-keys: a person is at the keyboard; whatever was held is dropped.
    this.take();
    return PASS;
  }

  /**
   * Call when no key has come for a while (useWedge schedules it `silenceMs` after each key):
   * ends a long fast burst that had no terminator.
   */
  idle(now: number): WedgeVerdict | null {
    const silent = now - this.lastKeyAt >= this.options.silenceMs;
    if (!silent || this.chars.length < this.options.silenceMinLength) return null;
    const { chars, target } = this.take();
    // In a text field only a terminator makes a burst a scan: fast typing or an auto-typed
    // description that simply stops must stay where it was typed.
    if (target === "editable") return null;
    return this.finish(chars, target, now);
  }

  reset(): void {
    this.take();
    this.delivered = null;
  }

  private character(event: WedgeKey): WedgeVerdict {
    const continuesBurst =
      this.chars.length > 0 && event.target === this.target && this.continues(event.time);
    if (!continuesBurst) {
      this.chars = "";
      this.target = event.target;
    }
    this.lastKeyAt = event.time;

    // A lone Space on a focused button presses it; only a Space inside a burst is held.
    if (event.target === "other" && event.key === " " && !continuesBurst) return PASS;

    this.chars += event.key;
    if (event.target === "editable") return PASS;
    return { kind: "hold", continuesBurst };
  }

  /** Whether a key at `time` still belongs to the burst in progress (see `silenceMs`). */
  private continues(time: number): boolean {
    const gap = time - this.lastKeyAt;
    if (gap <= this.options.maxGapMs) return true;
    return this.chars.length >= this.options.minLength && gap < this.options.silenceMs;
  }

  private finish(code: string, target: KeyTarget, now: number): WedgeVerdict {
    const strip = target === "editable" ? code.length : 0;
    const last = this.delivered;
    if (last !== null && last.code === code && now - last.at < this.options.dedupeMs) {
      return { kind: "drop", code, strip };
    }
    this.delivered = { code, at: now };
    return { kind: "scan", code, strip };
  }

  private take(): { chars: string; target: KeyTarget } {
    const taken = { chars: this.chars, target: this.target };
    this.chars = "";
    this.lastKeyAt = Number.NEGATIVE_INFINITY;
    return taken;
  }
}
