//! The big "Готово" button that closes a document screen (a label or an act): it takes the focus
//! when the screen opens, and Enter anywhere not on another control presses it.
import { useLayoutEffect, useRef } from "react";
import { isInteractiveTarget, useWindowKeydown } from "../useWindowKeydown";

type Props = { testId: string; label: string; onDone: () => void };

export function DoneButton({ testId, label, onDone }: Props) {
  const ref = useRef<HTMLButtonElement>(null);

  useLayoutEffect(() => ref.current?.focus(), []);

  // Enter on the focused button clicks it already; this covers focus anywhere else.
  useWindowKeydown((event) => {
    if (event.key === "Enter" && !isInteractiveTarget(event.target)) {
      event.preventDefault();
      onDone();
    }
  });

  return (
    <button
      type="button"
      ref={ref}
      className="button button--primary button--big"
      data-testid={testId}
      aria-keyshortcuts="Enter"
      onClick={onDone}
    >
      {label} <kbd aria-hidden="true">Enter</kbd>
    </button>
  );
}
