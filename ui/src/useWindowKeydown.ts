//! Screen hotkeys (F2, F9, Esc, Enter, 1–5) listen on the window in the bubble phase, after the
//! scanner wedge has had its say in the capture phase and stopped the keys that belong to a scan.
import { useLayoutEffect, useRef } from "react";

/**
 * Layout effects, so a screen's hotkeys work from the commit that shows it: with passive effects a
 * key pressed right after the screen appeared could reach no listener, or the previous screen's
 * handler (seen as a flaky test under load: F6 pressed as soon as home showed did nothing).
 */
export function useWindowKeydown(handler: (event: KeyboardEvent) => void, active = true): void {
  const handlerRef = useRef(handler);
  useLayoutEffect(() => {
    handlerRef.current = handler;
  }, [handler]);

  useLayoutEffect(() => {
    if (!active) return;
    const listener = (event: KeyboardEvent) => handlerRef.current(event);
    window.addEventListener("keydown", listener);
    return () => window.removeEventListener("keydown", listener);
  }, [active]);
}

/** True when the key is going into a text field, where digits and Enter mean text. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (target instanceof HTMLTextAreaElement) return true;
  if (target instanceof HTMLInputElement)
    return !["button", "checkbox", "radio", "submit"].includes(target.type);
  return target instanceof HTMLElement && target.isContentEditable;
}

/** True when the key lands on something that already reacts to Enter by itself. */
export function isInteractiveTarget(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (isTypingTarget(target) || target.closest("button, a[href], select, summary") !== null)
  );
}
