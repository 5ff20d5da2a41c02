//! The print bar under every document (receipt, return label, box label, the acts): choose a printer
//! from the system's (CUPS) list, print, or save the document as PDF or PNG (or another file the
//! screen offers, such as the shift report's CSV) and see where it went. Its outcome and its errors
//! stay in the bar: printing never blocks the counter.
import { useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { DocumentFormat, DocumentRef, KioskError, PrinterView } from "../bindings";
import { errorMessage } from "../errors";
import { useLang } from "../i18n";
import { toKioskError } from "../ipc/command";
import * as documents from "../ipc/documents";
import { Icon } from "./Icon";

type Outcome =
  | { kind: "printed"; printer: string; job: string }
  | { kind: "saved"; path: string }
  | { kind: "failed"; error: KioskError };

/** The files a document can be saved as, in the bar's order. */
const EXPORTS = [
  { format: "pdf", label: "print.savePdf" },
  { format: "png", label: "print.savePng" },
] as const satisfies readonly { format: DocumentFormat; label: string }[];

/** `null` while the list is being read. */
type Printers = { list: PrinterView[]; error: KioskError | null } | null;

/** Another file the screen can save the document as; `save` resolves with the saved file's path. */
export type ExtraExport = { testId: string; label: string; save: () => Promise<string> };

type Props = {
  document: DocumentRef;
  /** The document formats offered, PDF and PNG unless the screen says otherwise. */
  formats?: readonly DocumentFormat[] | undefined;
  extraExports?: readonly ExtraExport[] | undefined;
};

export function PrintBar({ document, formats = ["pdf", "png"], extraExports = [] }: Props) {
  const { t } = useTranslation();
  const lang = useLang();
  const selectId = useId();
  const [printers, setPrinters] = useState<Printers>(null);
  const [chosen, setChosen] = useState("");
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  useEffect(() => {
    let live = true;
    documents.listPrinters().then(
      (list) => {
        if (!live) return;
        setPrinters({ list, error: null });
        const preferred = list.find((printer) => printer.is_default) ?? list[0];
        setChosen(preferred?.name ?? "");
      },
      (thrown: unknown) => {
        if (live) setPrinters({ list: [], error: toKioskError(thrown) });
      },
    );
    return () => {
      live = false;
    };
  }, []);

  const perform = async (action: () => Promise<Outcome>) => {
    if (busy) return;
    setBusy(true);
    setOutcome(null);
    try {
      setOutcome(await action());
    } catch (thrown) {
      setOutcome({ kind: "failed", error: toKioskError(thrown) });
    } finally {
      setBusy(false);
    }
  };

  const print = () =>
    void perform(async () => {
      const job = await documents.printDocument(document, chosen);
      return { kind: "printed", printer: chosen, job };
    });

  const save = (format: DocumentFormat) =>
    void perform(async () => ({
      kind: "saved",
      path: await documents.exportDocument(document, format),
    }));

  const noPrinters = printers !== null && printers.list.length === 0;

  return (
    <div className="print-bar" data-testid="print-bar" data-document={document.kind}>
      <div className="print-bar__row">
        <label className="print-bar__label" htmlFor={selectId}>
          {t("print.printer")}
        </label>
        <select
          id={selectId}
          className="print-bar__select"
          data-testid="print-printer"
          value={chosen}
          disabled={printers === null || noPrinters}
          onChange={(event) => setChosen(event.target.value)}
        >
          {printers === null && <option value="">{t("print.loading")}</option>}
          {noPrinters && <option value="">{t("print.none")}</option>}
          {printers?.list.map((printer) => (
            <option key={printer.name} value={printer.name}>
              {printer.name}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button button--primary"
          data-testid="print-submit"
          disabled={busy || chosen === ""}
          onClick={print}
        >
          <Icon name="printer" />
          {t("print.print")}
        </button>
      </div>
      <div className="print-bar__row">
        {EXPORTS.filter(({ format }) => formats.includes(format)).map(({ format, label }) => (
          <button
            key={format}
            type="button"
            className="button"
            data-testid={`export-${format}`}
            disabled={busy}
            onClick={() => save(format)}
          >
            {t(label)}
          </button>
        ))}
        {extraExports.map((extra) => (
          <button
            key={extra.testId}
            type="button"
            className="button"
            data-testid={extra.testId}
            disabled={busy}
            onClick={() => void perform(async () => ({ kind: "saved", path: await extra.save() }))}
          >
            {extra.label}
          </button>
        ))}
      </div>
      {noPrinters && (
        <p
          className="print-bar__note"
          data-testid="print-no-printers"
          // The technical reason (CUPS down, not installed) is for whoever fixes the machine.
          title={printers.error ? errorMessage(printers.error, t, lang) : undefined}
        >
          {printers.error ? t("print.unavailable") : t("print.noPrinters")}
        </p>
      )}
      {outcome?.kind === "printed" && (
        <p
          className="print-bar__done"
          role="status"
          data-testid="print-result"
          data-job={outcome.job}
        >
          {t("print.printed", { printer: outcome.printer, job: outcome.job })}
        </p>
      )}
      {outcome?.kind === "saved" && (
        <p
          className="print-bar__done"
          role="status"
          data-testid="print-result"
          data-path={outcome.path}
        >
          {t("print.saved")} <span className="print-bar__path">{outcome.path}</span>
        </p>
      )}
      {outcome?.kind === "failed" && (
        <p
          className="print-bar__error"
          role="alert"
          data-testid="print-error"
          data-kind={outcome.error.kind}
        >
          {errorMessage(outcome.error, t, lang)}
        </p>
      )}
    </div>
  );
}
