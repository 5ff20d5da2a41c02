//! The frame of a screen that shows one printable document (a return label, an act): its title with
//! a tick, the content and the print bar under it, and beside it whatever the document shows large
//! (a QR code) and the big "Готово" (Enter) that closes it.
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { DoneButton } from "./DoneButton";
import { PrintBar, type ExtraExport } from "./PrintBar";
import type { DocumentFormat, DocumentRef } from "../bindings";

type Props = {
  testId: string;
  title: string;
  document: DocumentRef;
  /** What the print bar offers to save it as (PDF and PNG unless said). */
  formats?: readonly DocumentFormat[];
  extraExports?: readonly ExtraExport[];
  /** The done button's test id; pressing it (or Enter) closes the screen. */
  doneTestId: string;
  onDone: () => void;
  /** Shown above the print bar, e.g. the QR code. */
  aside?: ReactNode;
  children: ReactNode;
};

export function DocumentScreen({
  testId,
  title,
  document,
  formats,
  extraExports,
  doneTestId,
  onDone,
  aside,
  children,
}: Props) {
  const { t } = useTranslation();
  const titleId = `${testId}-title`;
  return (
    <section className="receipt" data-testid={testId} aria-labelledby={titleId}>
      <div className="receipt__main">
        <h1 id={titleId} className="receipt__title">
          <span className="icon icon--hand-over" aria-hidden="true">
            ✓
          </span>
          {title}
        </h1>
        {children}
        <PrintBar document={document} formats={formats} extraExports={extraExports} />
      </div>
      <div className="receipt__side">
        {aside}
        <DoneButton testId={doneTestId} label={t("common.done")} onDone={onDone} />
      </div>
    </section>
  );
}
