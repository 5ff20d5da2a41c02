//! A modal asking the manager to confirm one step that cannot be taken back (closing the shift,
//! completing a receiving): what will happen in its body, the confirm button focused so Enter takes
//! it, Esc or the cancel button leave nothing changed, and Tab stays inside. The body may hold a
//! field (a description).
import { useLayoutEffect, useId, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { trapTab } from "../focusTrap";
import { useWindowKeydown } from "../useWindowKeydown";

type Props = {
  testId: string;
  title: string;
  confirmLabel: string;
  confirmTestId: string;
  /** False keeps the confirm button disabled (a required field still empty). */
  canConfirm?: boolean;
  /** Focus the confirm button on open (false: the body focuses its own field). */
  focusConfirm?: boolean;
  /** Resolves true when the step succeeded, which closes the dialog. */
  onConfirm: () => Promise<boolean>;
  onCancel: () => void;
  children: ReactNode;
};

export function ConfirmDialog({
  testId,
  title,
  confirmLabel,
  confirmTestId,
  canConfirm = true,
  focusConfirm = true,
  onConfirm,
  onCancel,
  children,
}: Props) {
  const { t } = useTranslation();
  const titleId = useId();
  const confirmRef = useRef<HTMLButtonElement>(null);
  const dialogRef = useRef<HTMLDivElement>(null);
  const [busy, setBusy] = useState(false);

  useLayoutEffect(() => {
    if (focusConfirm) confirmRef.current?.focus();
  }, [focusConfirm]);

  useWindowKeydown((event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      onCancel();
    }
  });

  const confirm = async () => {
    if (busy || !canConfirm) return;
    setBusy(true);
    const done = await onConfirm();
    setBusy(false);
    if (done) onCancel();
  };

  return (
    <div className="dialog-backdrop">
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        ref={dialogRef}
        onKeyDown={(event) => trapTab(dialogRef.current, event)}
        data-testid={testId}
      >
        <h2 id={titleId} className="dialog__title">
          {title}
        </h2>
        {children}
        <div className="dialog__actions">
          <button
            type="button"
            className="button"
            data-testid={`${testId}-cancel`}
            onClick={onCancel}
          >
            {t("common.cancel")} <kbd aria-hidden="true">Esc</kbd>
          </button>
          <button
            type="button"
            ref={confirmRef}
            className="button button--confirm"
            data-testid={confirmTestId}
            disabled={busy || !canConfirm}
            onClick={() => void confirm()}
          >
            {confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
