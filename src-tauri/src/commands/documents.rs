//! Commands for the documents the counter prints (receipts, return labels, the acts, box labels):
//! the system's printers, printing on one, and saving a document as a file. Printing and exporting
//! record nothing, so they do not nudge sync.

use super::{reply, Reply};
use crate::kiosk_mode::KioskMode;
use crate::AppState;
use pvz_kiosk_core::{DocumentFormat, DocumentRef, PrinterView};
use tauri::State;

/// The printers CUPS offers, the configuration's `default_printer` marked default when among them;
/// empty when there are none (the window says so and offers PDF).
#[tauri::command(async)]
pub fn list_printers(state: State<'_, AppState>, mode: State<'_, KioskMode>) -> Reply<Vec<PrinterView>> {
    reply(state.kiosk.list_printers(mode.loaded.config.default_printer.as_deref()))
}

/// Prints `document` on `printer`; returns the print job's id.
#[tauri::command(async)]
pub fn print_document(state: State<'_, AppState>, document: DocumentRef, printer: String) -> Reply<String> {
    reply(state.kiosk.print_document(&document, &printer))
}

/// Saves `document` as `format` in the documents folder beside the store; returns the file's path.
#[tauri::command(async)]
pub fn export_document(state: State<'_, AppState>, document: DocumentRef, format: DocumentFormat) -> Reply<String> {
    reply(state.kiosk.export_document(&document, format)).map(|path| path.display().to_string())
}
