//! The shift report on paper and as a spreadsheet: an A4 document (printed or exported as PDF through
//! the documents module) and a CSV file written beside the store's other documents.
//!
//! CSV layout (UTF-8, comma-separated, one header line `section,key,value`):
//! - `shift` rows: `shift_id`, `pickup_point`, `device_id`, `opened_at`, `opened_by`, `closed_at`,
//!   `closed_by` (times RFC 3339 UTC, people by name; empty while the shift is open or for a counter
//!   without login);
//! - `totals` rows: `orders_issued`, `items_handed_over`, `items_refused`, `items_not_arrived`, `fees_kopecks`,
//!   `money_taken_kopecks`, `refunds_kopecks`, `claim_returns`, `claim_refunds_kopecks`,
//!   `courier_hand_backs`, `courier_items`, `boxes_handed_over`, `box_items`, `unredeemed_to_returns`
//!   (money in integer kopecks);
//! - `refusals_at_counter` and `refusals_from_couriers` rows: one per refusal reason by its wire name
//!   (`defect`, `did_not_fit`, `changed_mind`, `wrong_item`, `incomplete`), the count as value.

use crate::documents::paper::{local_time, reason_ru};
use crate::error::{KioskError, Result};
use crate::view::staff::ShiftReportView;
use crate::Kiosk;
use pvz_print::{Document, Paper, Table};
use std::path::PathBuf;

fn name(who: Option<&crate::StaffView>) -> String {
    who.map(|s| s.name.clone()).unwrap_or_default()
}

fn reason_key(reason: pvz_domain::RefusalReason) -> String {
    serde_json::to_value(reason).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// The report's rows in the documented layout.
pub(crate) fn csv_rows(v: &ShiftReportView) -> Vec<[String; 3]> {
    let r = &v.report;
    let row = |section: &str, key: &str, value: String| [section.to_owned(), key.to_owned(), value];
    let mut rows = vec![
        row("shift", "shift_id", v.shift_id.clone()),
        row("shift", "pickup_point", v.pickup_point.clone()),
        row("shift", "device_id", v.device_id.clone()),
        row("shift", "opened_at", v.opened_at.clone()),
        row("shift", "opened_by", name(v.opened_by.as_ref())),
        row("shift", "closed_at", v.closed_at.clone().unwrap_or_default()),
        row("shift", "closed_by", name(v.closed_by.as_ref())),
    ];
    let totals = [
        ("orders_issued", i64::from(r.orders_issued)),
        ("items_handed_over", i64::from(r.items_handed_over)),
        ("items_refused", i64::from(r.items_refused)),
        ("items_not_arrived", i64::from(r.items_not_arrived)),
        ("fees_kopecks", r.fees.0),
        ("money_taken_kopecks", r.money_taken.0),
        ("refunds_kopecks", r.refunds.0),
        ("claim_returns", i64::from(r.claim_returns)),
        ("claim_refunds_kopecks", r.claim_refunds.0),
        ("courier_hand_backs", i64::from(r.courier_hand_backs)),
        ("courier_items", i64::from(r.courier_items)),
        ("boxes_handed_over", i64::from(r.boxes_handed_over)),
        ("box_items", i64::from(r.box_items)),
        ("unredeemed_to_returns", i64::from(r.unredeemed_to_returns)),
    ];
    rows.extend(totals.iter().map(|(key, value)| row("totals", key, value.to_string())));
    rows.extend(r.refusals.iter().map(|c| row("refusals_at_counter", &reason_key(c.reason), c.at_counter.to_string())));
    rows.extend(
        r.refusals.iter().map(|c| row("refusals_from_couriers", &reason_key(c.reason), c.from_couriers.to_string())),
    );
    rows
}

pub(crate) fn shift_report_csv(v: &ShiftReportView) -> Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| KioskError::Internal(format!("csv: {e}"));
    writer.write_record(["section", "key", "value"]).map_err(fail)?;
    for row in csv_rows(v) {
        writer.write_record(&row).map_err(fail)?;
    }
    writer.into_inner().map_err(|e| KioskError::Internal(format!("csv: {e}")))
}

/// Отчёт за смену on A4, in Russian.
pub(crate) fn shift_report_document(v: &ShiftReportView) -> Document {
    let r = &v.report;
    let mut doc = Document::new(Paper::A4, "Отчёт за смену");
    doc.subtitle = Some(format!("{} · касса {}", v.pickup_point, v.device_id));
    let closed = match &v.closed_at {
        Some(at) => format!("{} ({})", local_time(at), name(v.closed_by.as_ref())),
        None => "смена открыта, данные на текущий момент".to_owned(),
    };
    doc.fields = vec![
        ("Смена открыта".into(), format!("{} ({})", local_time(&v.opened_at), name(v.opened_by.as_ref()))),
        ("Смена закрыта".into(), closed),
        ("Выдано заказов".into(), r.orders_issued.to_string()),
        ("Выдано товаров".into(), r.items_handed_over.to_string()),
        ("Отказов при выдаче".into(), r.items_refused.to_string()),
        ("Не поступило (выдано без них)".into(), r.items_not_arrived.to_string()),
        ("Принято денег".into(), r.money_taken.to_string()),
        ("В т. ч. сборы за обратную доставку".into(), r.fees.to_string()),
        ("Возвраты покупателям".into(), r.refunds.to_string()),
        ("Возвраты по претензиям".into(), format!("{} на {}", r.claim_returns, r.claim_refunds)),
        ("Отказы от курьеров".into(), format!("{} передач, {} товаров", r.courier_hand_backs, r.courier_items)),
        ("Передано коробок".into(), format!("{} ({} товаров)", r.boxes_handed_over, r.box_items)),
        ("Невостребованные в возврат".into(), r.unredeemed_to_returns.to_string()),
    ];
    let rows = r
        .refusals
        .iter()
        .map(|c| vec![reason_ru(c.reason).to_owned(), c.at_counter.to_string(), c.from_couriers.to_string()])
        .collect();
    doc.table = Some(Table {
        headers: ["Причина отказа", "При выдаче", "От курьеров"].map(String::from).to_vec(),
        rows,
    });
    doc.signatures = vec![format!("Менеджер: {} ________", name(v.closed_by.as_ref().or(v.opened_by.as_ref())))];
    doc
}

impl Kiosk {
    /// Writes the shift's report as CSV (see the module doc for the columns) into the documents
    /// folder beside the store and returns the file's path.
    pub fn export_shift_report_csv(&self, shift_id: &str) -> Result<PathBuf> {
        let view = self.shift_report(shift_id)?;
        let bytes = shift_report_csv(&view)?;
        let id: String = view.shift_id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
        self.write_document(&format!("shift-report-{id}.csv"), &bytes)
    }
}
