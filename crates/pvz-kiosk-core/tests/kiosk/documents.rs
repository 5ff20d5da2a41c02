//! The papers the counter prints, built from a real counter's store: each document names what it is
//! about, both parties sign the acts, and every QR code, exported as PNG, reads back with an
//! independent reader (`zbarimg`, Debian package zbar-tools) as exactly the text encoded.

use crate::support::counter::*;
use pvz_domain::{ClaimState, Kopecks, RefusalReason};
use pvz_kiosk_core::{DocumentFormat, DocumentRef, ErrorKind, ItemDecision, Kiosk};
use std::path::Path;
use std::process::Command;

/// A counter that did one of everything: an issue with a refusal, a claim return, a courier's
/// hand-back, a closed box handed to a driver. Returns the document of each.
fn busy_counter(kiosk: &Kiosk, clock: &Clock) -> Vec<DocumentRef> {
    let card = kiosk.scan("482137").expect("order opens").view.screen.order().cloned().expect("card");
    let defect = ItemDecision::Refuse { reason: RefusalReason::Defect, description: Some("пятно".into()) };
    kiosk.decide_item(&card.order_id, &card.items[0].item_id, defect).expect("refused");
    kiosk.hand_over_rest(&card.order_id).expect("shoes handed over");
    kiosk.confirm_issue(&card.order_id, Kopecks(599_000), true).expect("issued");

    kiosk.scan(&refund_code("cl-doc", clock)).expect("claim opens");
    // The code names no item and this point never had the order: the server's answer names it.
    kiosk.apply_claim_status(&status("cl-doc", ClaimState::Approved, None)).expect("the server's word");
    kiosk.scan(JACKET_BARCODE).expect("checked");
    kiosk.set_claim_condition("шов").expect("noted");
    let label = kiosk.accept_claim_return().expect("accepted").screen.return_label().cloned().expect("label");

    kiosk.scan(&badge(COURIER)).expect("hand-back");
    let scanned = kiosk.scan("WB-SKU-100001").expect("item").view.screen.hand_back().cloned().expect("hand-back");
    let return_id = scanned.lines[0].scanned.as_ref().expect("scanned").return_id.clone();
    kiosk.set_hand_back_reason(&return_id, RefusalReason::DidNotFit, None).expect("reason");
    let act = kiosk.complete_hand_back("Мария Менеджер").expect("done").screen.hand_back_act().cloned().expect("act");

    kiosk.create_box().expect("box");
    kiosk.scan("4601234567893").expect("the dress packed");
    let closed =
        kiosk.close_box().expect("closed").screen.returns_desk().cloned().expect("desk").closed_boxes.remove(0);
    kiosk.scan(&badge(DRIVER)).expect("driver");
    let handover = kiosk.hand_over_boxes(DRIVER).expect("handed").screen.handover_act().cloned().expect("act");
    vec![
        DocumentRef::Receipt { order_id: card.order_id },
        DocumentRef::ReturnLabel { return_id: label.return_id },
        DocumentRef::HandBackAct { hand_back_id: act.hand_back_id },
        DocumentRef::BoxLabel { box_id: closed.box_id },
        DocumentRef::HandoverAct { handover_id: handover.handover_id },
    ]
}

fn zbarimg(png: &Path) -> Vec<String> {
    let output = Command::new("zbarimg")
        .args(["--raw", "-q"])
        .arg(png)
        .output()
        .unwrap_or_else(|e| panic!("zbarimg must be installed (Debian package zbar-tools): {e}"));
    String::from_utf8_lossy(&output.stdout).lines().map(str::to_owned).collect()
}

#[test]
fn every_paper_names_its_subject_and_its_qr_reads_back_exactly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, clock) = seeded(&dir);
    let refs = busy_counter(&kiosk, &clock);
    for doc_ref in &refs {
        let doc = kiosk.document(doc_ref).expect("the document is built");
        assert!(!doc.title.is_empty(), "{doc_ref:?}: a title");
        let text = format!("{doc:?}");
        match doc_ref {
            DocumentRef::Receipt { .. } => assert!(text.contains("482137"), "the receipt names the order"),
            DocumentRef::ReturnLabel { return_id } => {
                assert_eq!(doc.qr.as_ref().map(|q| q.payload.clone()), Some(format!("PVZR1:{return_id}")), "label QR");
                assert!(text.contains("Куртка зимняя"), "the label names the item");
            }
            DocumentRef::HandBackAct { .. } => {
                let signatures = doc.signatures.join("\n");
                assert!(signatures.contains(COURIER_NAME), "the courier signs the act: {signatures}");
                assert!(signatures.contains("Мария Менеджер"), "so does who accepted: {signatures}");
                assert!(text.contains("Джинсы") || text.contains("WB-SKU-100001"), "the act lists the item");
            }
            DocumentRef::BoxLabel { box_id } => {
                assert_eq!(doc.qr.as_ref().map(|q| q.payload.clone()), Some(format!("PVZB1:{box_id}:1")), "box QR");
            }
            DocumentRef::HandoverAct { .. } => {
                assert!(doc.signatures.join("\n").contains(DRIVER_NAME), "the driver signs the handover act");
            }
            DocumentRef::ShiftReport { .. } => assert!(text.contains("Отчёт за смену"), "the shift report's title"),
        }
        let qr = doc.qr.as_ref().map(|q| q.payload.clone());
        let png = kiosk.export_document(doc_ref, DocumentFormat::Png).expect("PNG exported");
        assert!(png.starts_with(kiosk.documents_dir()), "exports go to the documents folder: {}", png.display());
        if let Some(payload) = qr {
            assert_eq!(zbarimg(&png), vec![payload.clone()], "{doc_ref:?}: the printed QR reads back as {payload}");
        }
        let pdf = std::fs::read(kiosk.export_document(doc_ref, DocumentFormat::Pdf).expect("PDF")).expect("read");
        assert!(pdf.starts_with(b"%PDF"), "{doc_ref:?}: a PDF");
        let html =
            std::fs::read_to_string(kiosk.export_document(doc_ref, DocumentFormat::Html).expect("HTML")).expect("read");
        assert!(html.contains(&doc.title), "{doc_ref:?}: the page carries the title");
    }
    if let Ok(keep) = std::env::var("PVZ_KEEP_DOCUMENTS") {
        // For a look at the papers: PVZ_KEEP_DOCUMENTS=/tmp/papers cargo test -p pvz-kiosk-core --test kiosk documents
        for file in std::fs::read_dir(kiosk.documents_dir()).expect("documents folder").flatten() {
            std::fs::create_dir_all(&keep).expect("folder to keep the papers in");
            std::fs::copy(file.path(), Path::new(&keep).join(file.file_name())).expect("copied");
        }
    }
    let files = std::fs::read_dir(kiosk.documents_dir()).expect("documents folder").count();
    assert_eq!(files, refs.len() * 3, "one file per document and format, nothing half-written left");
}

#[test]
fn a_document_that_does_not_exist_or_a_printer_not_chosen_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, _clock) = seeded(&dir);
    let missing = DocumentRef::HandoverAct { handover_id: "nope".into() };
    refused(kiosk.document(&missing), ErrorKind::DocumentNotFound, "an act that was never made");
    kiosk.create_box().expect("a box");
    let open = kiosk.view().expect("view").screen.returns_desk().cloned().and_then(|r| r.open_box).expect("open box");
    refused(
        kiosk.document(&DocumentRef::BoxLabel { box_id: open.box_id }),
        ErrorKind::DocumentNotFound,
        "an open box has no label yet",
    );
    let receipt = DocumentRef::Receipt { order_id: "ord-1001".into() };
    refused(kiosk.document(&receipt), ErrorKind::DocumentNotFound, "an order not issued has no receipt");

    let dir2 = tempfile::tempdir().expect("temp dir");
    let (kiosk2, clock) = seeded(&dir2);
    let refs = busy_counter(&kiosk2, &clock);
    let e = refused(kiosk2.print_document(&refs[0], " "), ErrorKind::PrintingFailed, "printing with no printer");
    assert_eq!(e.to_view().detail.as_deref(), Some("no_printer_chosen"), "the window learns which failure it was");
}
