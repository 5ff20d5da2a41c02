//! The documents the counter prints: any receipt, return label, hand-back act, box label or handover
//! act this kiosk holds, by reference, as a `pvz_print::Document`; exported as PDF, PNG or HTML into
//! the `documents/` folder beside the store, or printed through CUPS on a chosen printer.

mod paper;
mod shift_export;

use crate::codes::qr::receipt_qr_text;
use crate::error::{KioskError, Result};
use crate::issue::order::receipt_view;
use crate::kiosk::{parse_id, parse_order_id, parse_return_id};
use crate::returns::boxes::{box_view, handover_act_view};
use crate::returns::claim_return::return_label_view;
use crate::returns::hand_back_view::hand_back_act_view;
use crate::store::Db;
use crate::store::{return_boxes, settings};
use crate::view::returns::{DocumentFormat, DocumentRef};
use crate::Kiosk;
use pvz_domain::ReturnBoxId;
use pvz_print::{cups, render_html, render_pdf, render_png, Document, Paper, THERMAL_DPI};
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use ts_rs::TS;

/// A printer the system (CUPS) offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct PrinterView {
    pub name: String,
    pub is_default: bool,
}

/// An A4 act rasterised for a screen or a mail; thermal papers use the printer head's resolution.
const A4_PNG_DPI: u32 = 150;

fn not_found(what: &str, id: &str) -> KioskError {
    KioskError::DocumentNotFound(format!("{what} {id}"))
}

/// The document `doc` names, built from what the store holds now.
fn build(conn: &Db<'_>, doc: &DocumentRef) -> Result<Document> {
    let point = settings::get_enrollment(conn)?.map(|e| e.pickup_point_name).unwrap_or_default();
    match doc {
        DocumentRef::Receipt { order_id } => {
            let receipt = receipt_view(conn, &parse_order_id(order_id)?)?
                .ok_or_else(|| not_found("no receipt for order", order_id))?;
            let qr = receipt_qr_text(&receipt.op_id);
            Ok(paper::receipt(&point, &receipt, qr))
        }
        DocumentRef::ReturnLabel { return_id } => {
            let label = return_label_view(conn, &parse_return_id(return_id)?)?
                .ok_or_else(|| not_found("no returned item", return_id))?;
            Ok(paper::return_label(&point, &label))
        }
        DocumentRef::HandBackAct { hand_back_id } => {
            let act = hand_back_act_view(conn, hand_back_id)?
                .ok_or_else(|| not_found("no completed hand-back", hand_back_id))?;
            Ok(paper::hand_back_act(&point, &act))
        }
        DocumentRef::BoxLabel { box_id } => {
            let row = return_boxes::get_return_box(conn, &parse_id(ReturnBoxId::parse, box_id)?)?
                .ok_or_else(|| not_found("no box", box_id))?;
            paper::box_label(&point, &box_view(conn, row)?)
                .ok_or_else(|| not_found("a label needs a closed box:", box_id))
        }
        DocumentRef::HandoverAct { handover_id } => {
            let act = handover_act_view(conn, handover_id)?.ok_or_else(|| not_found("no handover", handover_id))?;
            Ok(paper::handover_act(&point, &act))
        }
        DocumentRef::ShiftReport { shift_id } => {
            let row =
                crate::store::shifts::get_shift(conn, shift_id)?.ok_or_else(|| not_found("no shift", shift_id))?;
            Ok(crate::documents::shift_export::shift_report_document(&crate::staff::shift::shift_report_view(
                conn, row,
            )?))
        }
    }
}

/// The file name an export gets: what it is and which one, e.g. `box-label-0192….pdf`.
fn file_stem(doc: &DocumentRef) -> String {
    let (kind, id) = match doc {
        DocumentRef::Receipt { order_id } => ("receipt", order_id),
        DocumentRef::ReturnLabel { return_id } => ("return-label", return_id),
        DocumentRef::HandBackAct { hand_back_id } => ("hand-back-act", hand_back_id),
        DocumentRef::BoxLabel { box_id } => ("box-label", box_id),
        DocumentRef::HandoverAct { handover_id } => ("handover-act", handover_id),
        DocumentRef::ShiftReport { shift_id } => ("shift-report", shift_id),
    };
    // Ids are checked when the document is built; this keeps a name safe whatever came in.
    let id: String = id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    format!("{kind}-{id}")
}

impl Kiosk {
    /// The printable document `doc` refers to.
    pub fn document(&self, doc: &DocumentRef) -> Result<Document> {
        self.store.with_conn(|c| build(c, doc))
    }

    /// Writes `doc` as `format` into the documents folder beside the store (replacing an earlier
    /// export of the same document) and returns the file's path.
    pub fn export_document(&self, doc: &DocumentRef, format: DocumentFormat) -> Result<PathBuf> {
        let document = self.document(doc)?;
        let (bytes, extension) = match format {
            DocumentFormat::Pdf => (render_pdf(&document)?, "pdf"),
            DocumentFormat::Png => {
                let dpi = if document.paper == Paper::A4 { A4_PNG_DPI } else { THERMAL_DPI };
                (render_png(&document, dpi)?, "png")
            }
            DocumentFormat::Html => (render_html(&document)?.into_bytes(), "html"),
        };
        self.write_document(&format!("{}.{extension}", file_stem(doc)), &bytes)
    }

    /// Writes `bytes` as `file_name` into the documents folder (replacing an earlier file of that
    /// name) and returns its path. Written aside and renamed, so a file under its name is always whole.
    pub(crate) fn write_document(&self, file_name: &str, bytes: &[u8]) -> Result<PathBuf> {
        std::fs::create_dir_all(self.documents_dir())?;
        let path = self.documents_dir().join(file_name);
        let partial = self.documents_dir().join(format!("{file_name}.partial"));
        let mut file = std::fs::File::create(&partial)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&partial, &path)?;
        Ok(path)
    }

    /// Prints `doc` on `printer` through CUPS; returns the print job's id.
    pub fn print_document(&self, doc: &DocumentRef, printer: &str) -> Result<String> {
        let document = self.document(doc)?;
        let pdf = render_pdf(&document)?;
        Ok(cups::print_pdf(printer, &document.title, &pdf)?)
    }

    /// The printers CUPS offers, the default marked: `preferred` (the configuration's
    /// `default_printer`) when CUPS offers it, the system's default otherwise.
    pub fn list_printers(&self, preferred: Option<&str>) -> Result<Vec<PrinterView>> {
        let printers =
            cups::list_printers()?.into_iter().map(|p| PrinterView { name: p.name, is_default: p.is_default });
        Ok(prefer_printer(printers.collect(), preferred))
    }
}

/// `printers` with `preferred` as the one default, when it is among them; as they were otherwise (a
/// configured printer that is unplugged or misspelt does not leave the counter without a default).
fn prefer_printer(mut printers: Vec<PrinterView>, preferred: Option<&str>) -> Vec<PrinterView> {
    let Some(preferred) = preferred else { return printers };
    if printers.iter().any(|p| p.name == preferred) {
        for printer in &mut printers {
            printer.is_default = printer.name == preferred;
        }
    } else {
        tracing::warn!(printer = preferred, "the configured default printer is not among the system's printers");
    }
    printers
}

#[cfg(test)]
mod tests {
    use super::*;

    fn printers(list: &[(&str, bool)]) -> Vec<PrinterView> {
        list.iter()
            .map(|(name, is_default)| PrinterView { name: (*name).to_owned(), is_default: *is_default })
            .collect()
    }

    #[test]
    fn the_configured_printer_is_the_default_when_the_system_offers_it() {
        let system = printers(&[("Office", true), ("Xprinter", false)]);
        assert_eq!(
            prefer_printer(system.clone(), Some("Xprinter")),
            printers(&[("Office", false), ("Xprinter", true)]),
            "the configured label printer is picked first, and only it"
        );
        assert_eq!(prefer_printer(system.clone(), Some("Zebra")), system, "an absent one leaves the system's default");
        assert_eq!(prefer_printer(system.clone(), None), system, "none configured: the system's default");
    }
}
