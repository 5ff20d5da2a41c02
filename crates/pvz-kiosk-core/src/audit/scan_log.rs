//! Every scan or typed code the counter receives goes into the scan log, refused ones too: a scan
//! that did something in the transaction that did it (one commit, one sync to disk per scan), a
//! refused one in a small transaction of its own after (so it is still on record). It logs the
//! normalized text, its classified kind, the manager on duty (none while logged out or locked), and
//! what it matched or why it was refused. A signed code (pickup QR, claim code, staff badge) is
//! logged without its signature (`redact`): what it claimed stays readable, but a copy of the log
//! (or of an evidence bundle) cannot be printed as a working badge or code.

use crate::error::{KioskError, Result};
use crate::kiosk::timestamp;
use crate::redact;
use crate::staff::manager_on_duty;
use crate::store::scan_log::{self, ScanRow};
use crate::store::settings;
use crate::store::Db;
use crate::view::ScanNotice;
use crate::Kiosk;
use chrono::{DateTime, Utc};
use pvz_domain::scan::normalize;
use pvz_domain::{classify, Scan};
use serde_json::Value;

/// Texts longer than this are cut in the log (a damaged code can be long).
const MAX_TEXT: usize = 200;

/// The text the log keeps: the normalized input, a signed code's signature withheld.
fn logged_text(scan: &Scan, normalized: &str) -> String {
    redact::scan_text(scan, normalized).chars().take(MAX_TEXT).collect()
}

/// What a scan was classified as, by the domain's own name for it (`ean13`, `pickup_token`…).
pub(crate) fn scan_kind(scan: &Scan) -> String {
    serde_json::to_value(scan).ok().and_then(|v| field(&v, "kind")).unwrap_or_else(|| "unknown".to_owned())
}

fn field(notice: &Value, name: &str) -> Option<String> {
    notice.get(name).and_then(Value::as_str).map(str::to_owned)
}

fn scan_row(
    conn: &Db<'_>,
    input: &str,
    at: DateTime<Utc>,
    result: std::result::Result<&ScanNotice, &KioskError>,
) -> Result<ScanRow> {
    let scan = classify(input);
    let text = logged_text(&scan, &normalize(input));
    // The session row outlives an idle lock (and a manager retired meanwhile): only one on duty counts.
    let operator = manager_on_duty(conn, at)?.map(|m| m.to_string());
    let mut row = ScanRow {
        scanned_at: timestamp(at),
        text,
        kind: scan_kind(&scan),
        operator,
        outcome: String::new(),
        item_id: None,
        return_id: None,
        order_id: None,
    };
    match result {
        // Generic over notices: whatever ids a notice carries are what the scan matched.
        Ok(notice) => {
            let notice = serde_json::to_value(notice).unwrap_or(Value::Null);
            row.outcome = field(&notice, "kind").unwrap_or_default();
            row.item_id = field(&notice, "item_id");
            row.return_id = field(&notice, "return_id");
            row.order_id = field(&notice, "order_id");
            if matches!(notice.get("kind").and_then(Value::as_str), Some("order_opened")) {
                row.order_id = settings::get_counter_state(conn)?.active_order.map(|o| o.to_string());
            }
        }
        Err(e) => {
            row.outcome =
                serde_json::to_value(e.kind()).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
        }
    }
    Ok(row)
}

/// Writes the scan's row in `tx`.
fn insert_row(
    tx: &Db<'_>,
    input: &str,
    at: DateTime<Utc>,
    result: std::result::Result<&ScanNotice, &KioskError>,
) -> Result<()> {
    let row = scan_row(tx, input, at, result)?;
    Ok(scan_log::insert_scan(tx, &row)?)
}

/// A failure to log is itself logged, never the scan's failure: the counter goes on.
fn report(logged: Result<()>) {
    if let Err(e) = logged {
        tracing::error!(error = %e, "the scan could not be written to the scan log");
    }
}

/// Records a scan that did something, inside the transaction that did it.
pub(crate) fn log_done_scan(tx: &Db<'_>, input: &str, at: DateTime<Utc>, notice: &ScanNotice) {
    report(insert_row(tx, input, at, Ok(notice)));
}

impl Kiosk {
    /// Records a refused scan in a transaction of its own (the scan's was rolled back) and hands the
    /// refusal on.
    pub(crate) fn log_refused_scan(&self, input: &str, at: DateTime<Utc>, refusal: KioskError) -> KioskError {
        report(self.store.with_tx(|tx| insert_row(tx, input, at, Err(&refusal))));
        refusal
    }
}
