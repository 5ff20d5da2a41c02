//! Documents: receipts, labels, acts and reports, printed through the system's print queues (CUPS)
//! or saved as a file. The print bar under every document is their one user.
import type { DocumentFormat, DocumentRef, PrinterView } from "../bindings";
import { commandCaller } from "./command";

export const COMMANDS = ["list_printers", "print_document", "export_document"] as const;
const call = commandCaller<(typeof COMMANDS)[number]>();

/** The print queues of the system's scheduler (CUPS), the default marked. */
export const listPrinters = () => call<PrinterView[]>("list_printers");
/** Sends the document to `printer` (a name from listPrinters); resolves with the job's id. */
export const printDocument = (document: DocumentRef, printer: string) =>
  call<string>("print_document", { document, printer });
/** Saves the document as a file; resolves with the saved file's path. */
export const exportDocument = (document: DocumentRef, format: DocumentFormat) =>
  call<string>("export_document", { document, format });
