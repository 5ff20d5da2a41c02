//! Keeps Tab inside a modal dialog: from its last control Tab goes to the first, and Shift+Tab from
//! the first to the last, so the keyboard never reaches the screen behind the backdrop.
import type { KeyboardEvent } from "react";

const FOCUSABLE =
  "button:not(:disabled), textarea:not(:disabled), input:not(:disabled), select:not(:disabled), a[href]";

/** A dialog's `onKeyDown`: wraps Tab at either end of `container`'s controls. */
export function trapTab(container: HTMLElement | null, event: KeyboardEvent): void {
  if (event.key !== "Tab" || container === null) return;
  const focusable = [...container.querySelectorAll<HTMLElement>(FOCUSABLE)];
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (!first || !last) return;
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}
