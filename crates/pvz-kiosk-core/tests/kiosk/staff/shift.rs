//! A scripted shift on a temp SQLite file, from login to the closed shift's report: two issues with
//! refusals (a fee for one), a claim return, a courier's hand-back and a box handed to a driver. The
//! report's figures, its CSV, and its PDF's text (read back with `pdftotext`, Debian poppler-utils).

use crate::support::counter::*;
use crate::support::staff::*;
use pvz_domain::{Kopecks, RefusalReason, ShiftReport};
use pvz_kiosk_core::{DocumentFormat, DocumentRef, ErrorKind, ItemDecision, Kiosk, ShiftReportView};
use pvz_protocol::OpBody;
use std::process::Command;

/// The shift's work: returns the shift id.
fn work_a_shift(kiosk: &Kiosk, clock: &Clock) -> String {
    let shift_id = on_duty(kiosk).session.shift.expect("open shift").shift_id;
    // Order 482137 (pay at the counter): the dress refused as not fitting (clothes fee 149 ₽), the
    // shoes handed over: 5 990 ₽ + 149 ₽ taken.
    let card = kiosk.scan("482137").expect("order opens").view.screen.order().cloned().expect("card");
    let did_not_fit = ItemDecision::Refuse { reason: RefusalReason::DidNotFit, description: None };
    kiosk.decide_item(&card.order_id, &card.items[0].item_id, did_not_fit).expect("dress refused");
    kiosk.hand_over_rest(&card.order_id).expect("shoes handed over");
    kiosk.confirm_issue(&card.order_id, Kopecks(613_900), true).expect("issued");
    // Order 615204 (prepaid): the headphones refused as defective (no fee, refunded), the case given.
    let card = kiosk.scan("615204").expect("order opens").view.screen.order().cloned().expect("card");
    let defect =
        ItemDecision::Refuse { reason: RefusalReason::Defect, description: Some("не включаются".into()) };
    kiosk.decide_item(&card.order_id, &card.items[0].item_id, defect).expect("headphones refused");
    kiosk.hand_over_rest(&card.order_id).expect("case handed over");
    kiosk.confirm_issue(&card.order_id, Kopecks(0), false).expect("issued");
    // A claim return (refund 4 590 ₽), a courier's hand-back of one item, a box to the driver.
    kiosk.scan(&refund_code("cl-shift", clock)).expect("claim opens");
    kiosk.scan(JACKET_BARCODE).expect("checked");
    kiosk.set_claim_condition("шов разошёлся").expect("noted");
    kiosk.accept_claim_return().expect("accepted");
    kiosk.scan(&badge(COURIER)).expect("hand-back");
    let scanned = kiosk.scan("WB-SKU-100001").expect("item").view.screen.hand_back().cloned().expect("hand-back");
    let return_id = scanned.lines[0].scanned.as_ref().expect("scanned").return_id.clone();
    kiosk.set_hand_back_reason(&return_id, RefusalReason::WrongItem, None).expect("reason");
    kiosk.complete_hand_back(ANNA_NAME).expect("hand-back completed");
    kiosk.create_box().expect("box");
    kiosk.scan("4601234567893").expect("the dress packed");
    kiosk.close_box().expect("closed");
    kiosk.scan(&badge(DRIVER)).expect("driver");
    kiosk.hand_over_boxes(DRIVER).expect("handed");
    shift_id
}

fn expected_figures(report: &ShiftReport) {
    assert_eq!((report.orders_issued, report.items_handed_over, report.items_refused), (2, 2, 2), "{report:?}");
    assert_eq!(report.fees, Kopecks(14_900), "the dress's return fee");
    assert_eq!(report.money_taken, Kopecks(613_900), "shoes and the fee, taken at the counter");
    assert_eq!(report.refunds, Kopecks(349_000), "the prepaid headphones paid back");
    assert_eq!((report.claim_returns, report.claim_refunds), (1, JACKET_PRICE), "one claim refund");
    assert_eq!((report.courier_hand_backs, report.courier_items), (1, 1), "one hand-back of one item");
    assert_eq!((report.boxes_handed_over, report.box_items), (1, 1), "one box of one item");
    let counts = |reason| {
        let row = report.refusals_for(reason);
        (row.at_counter, row.from_couriers)
    };
    assert_eq!(counts(RefusalReason::DidNotFit), (1, 0), "the dress");
    assert_eq!(counts(RefusalReason::Defect), (1, 0), "the headphones");
    assert_eq!(counts(RefusalReason::WrongItem), (0, 1), "the courier's item");
}

#[test]
fn a_closed_shift_reports_what_the_counter_did_and_exports_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, clock) = staffed(&dir);
    let shift_id = work_a_shift(&kiosk, &clock);
    let running = kiosk.view().expect("view").shift_report.expect("the running report is on the counter");
    assert!(running.closed_at.is_none(), "still open");
    expected_figures(&running.report);

    clock.advance_seconds(8 * 3600);
    kiosk.keep_alive().expect("idle for hours: locked");
    refused(kiosk.close_shift(), ErrorKind::IdleLocked, "an idle-locked counter cannot close the shift");
    kiosk.log_in(BORIS, BORIS_PIN).expect("Boris takes over");
    let view = kiosk.close_shift().expect("Boris closes Anna's shift");
    assert!(view.session.shift.is_none(), "no shift is open");
    let closed: ShiftReportView = view.shift_report.expect("the closed shift's report stays on the counter");
    assert_eq!(closed.shift_id, shift_id, "the report of the shift just closed");
    assert_eq!(closed.opened_by.map(|s| s.name), Some(ANNA_NAME.to_owned()), "opened by Anna");
    assert_eq!(closed.closed_by.map(|s| s.name), Some(BORIS_NAME.to_owned()), "closed by Boris");
    expected_figures(&closed.report);
    let ops = ops(&kiosk);
    match ops.last() {
        Some(OpBody::ShiftClosed { shift_id: id, report }) => {
            assert_eq!(id, &shift_id, "the closing op names the shift");
            expected_figures(report);
        }
        other => panic!("the last op must close the shift, got {other:?}"),
    }
    refused(kiosk.scan("730518"), ErrorKind::ShiftNotOpen, "no counter work after the shift closed");
    assert!(kiosk.dismiss_shift_report().expect("dismissed").shift_report.is_none(), "the report leaves the counter");
    assert_eq!(kiosk.shift_report(&shift_id).expect("still there by id").report, closed.report, "kept as closed");

    let csv = std::fs::read_to_string(kiosk.export_shift_report_csv(&shift_id).expect("CSV")).expect("read CSV");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "section,key,value", "the header of the documented layout");
    for row in [
        format!("shift,shift_id,{shift_id}").as_str(),
        "shift,opened_by,Анна Управляющая",
        "shift,closed_by,Борис Сменщик",
        "totals,orders_issued,2",
        "totals,items_refused,2",
        "totals,items_not_arrived,0",
        "totals,fees_kopecks,14900",
        "totals,money_taken_kopecks,613900",
        "totals,refunds_kopecks,349000",
        "totals,claim_refunds_kopecks,459000",
        "totals,boxes_handed_over,1",
        "refusals_at_counter,did_not_fit,1",
        "refusals_from_couriers,wrong_item,1",
    ] {
        assert!(lines.contains(&row), "the CSV has the row {row:?}:\n{csv}");
    }
    assert_eq!(lines.len(), 1 + 7 + 14 + 10, "header, shift, totals and two rows per reason");

    let pdf = kiosk.export_document(&DocumentRef::ShiftReport { shift_id }, DocumentFormat::Pdf).expect("PDF");
    let output = Command::new("pdftotext")
        .args([pdf.as_os_str(), "-".as_ref()])
        .output()
        .unwrap_or_else(|e| panic!("pdftotext must be installed (Debian package poppler-utils): {e}"));
    let text = String::from_utf8_lossy(&output.stdout).replace('\u{a0}', " ");
    for expected in ["Отчёт за смену", ANNA_NAME, BORIS_NAME, "6 139,00", "3 490,00", "149,00", "не подошёл"]
    {
        assert!(text.contains(expected), "the PDF shows {expected:?}:\n{text}");
    }
}

#[test]
fn a_counter_without_login_opens_and_closes_shifts_without_an_operator() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, _clock) = seeded(&dir);
    refused(kiosk.close_shift(), ErrorKind::ShiftNotOpen, "nothing to close");
    let view = kiosk.open_shift().expect("opens without login");
    assert!(view.session.shift.as_ref().is_some_and(|s| s.opened_by.is_none()), "opened by nobody in particular");
    let card = kiosk.scan("730518").expect("order opens").view.screen.order().cloned().expect("card");
    kiosk.hand_over_rest(&card.order_id).expect("handed over");
    kiosk.confirm_issue(&card.order_id, Kopecks(69_000), true).expect("issued");
    let closed = kiosk.close_shift().expect("closes").shift_report.expect("report");
    assert_eq!((closed.report.orders_issued, closed.report.money_taken), (1, Kopecks(69_000)), "the book");
}
