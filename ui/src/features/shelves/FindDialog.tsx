//! Найти товар: type any of an item's codes (barcode, marking, return label, item id) or scan it —
//! while this dialog is open a scan is looked up here instead of going to the counter. The item
//! found replaces the home screen with its card and history.
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ConfirmDialog } from "../../components/ConfirmDialog";

type Props = {
  /** Resolves true when an item was found (the dialog then closes). */
  onFind: (code: string) => Promise<boolean>;
  onCancel: () => void;
};

export function FindDialog({ onFind, onCancel }: Props) {
  const { t } = useTranslation();
  const inputId = useId();
  const [code, setCode] = useState("");
  const trimmed = code.trim();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (trimmed) void onFind(trimmed).then((found) => found && onCancel());
  };

  return (
    <ConfirmDialog
      testId="find-dialog"
      title={t("find.title")}
      confirmLabel={t("find.submit")}
      confirmTestId="find-submit"
      canConfirm={trimmed !== ""}
      focusConfirm={false}
      onConfirm={() => onFind(trimmed)}
      onCancel={onCancel}
    >
      <form className="field" onSubmit={submit}>
        <label htmlFor={inputId}>{t("find.label")}</label>
        <input
          id={inputId}
          data-testid="find-input"
          value={code}
          // The dialog opens to be typed or scanned into.
          autoFocus
          autoComplete="off"
          spellCheck={false}
          placeholder={t("find.placeholder")}
          onChange={(event) => setCode(event.target.value)}
        />
      </form>
      <p className="muted">{t("find.hint")}</p>
    </ConfirmDialog>
  );
}
