//! The issue flow (выдача) through the kiosk core on a real SQLite file with the demo seed.

use chrono::{TimeZone, Utc};
use pvz_domain::{FeeRule, Kopecks, OrderStatus, RefusalReason};
use pvz_kiosk_core::{ItemDecision, Kiosk, KioskError, ScanNotice};
use pvz_protocol::demo;
use std::path::Path;

fn open(path: &Path) -> Kiosk {
    Kiosk::open(path)
        .expect("store opens")
        .with_clock(Box::new(|| Utc.with_ymd_and_hms(2026, 11, 26, 10, 0, 0).single().expect("valid time")))
}

fn seeded(dir: &tempfile::TempDir) -> Kiosk {
    let kiosk = open(&dir.path().join("kiosk.sqlite3"));
    let (seed, _) = demo::seed();
    assert!(kiosk.import_seed(&seed).expect("seed imports"), "a fresh store takes the seed");
    kiosk
}

fn code(case: &str) -> String {
    demo::code(case).unwrap_or_else(|| panic!("demo code {case:?} exists"))
}

fn defect() -> ItemDecision {
    ItemDecision::Refuse { reason: RefusalReason::Defect, description: Some("оторван каблук".into()) }
}

#[test]
fn a_defect_refusal_is_free_and_the_issue_survives_a_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let kiosk = seeded(&dir);

    let opened = kiosk.scan(&code("pay at counter, 2 items (QR)")).expect("the demo QR opens its order");
    assert_eq!(opened.notice, Some(ScanNotice::OrderOpened), "a buyer code opens the order card");
    let order = opened.view.screen.order().expect("an order card is shown");
    assert_eq!(order.status, OrderStatus::InProgress, "the opened order is in progress");
    let (dress, shoes) = (order.items[0].item_id.clone(), order.items[1].item_id.clone());

    let ops_before = kiosk.outbox().expect("outbox").len();
    let err = kiosk
        .decide_item(&order.order_id, &dress, ItemDecision::Refuse { reason: RefusalReason::Defect, description: None })
        .expect_err("a defect without a description is refused");
    assert!(matches!(err, KioskError::DefectNeedsDescription), "the error says a description is needed: {err:?}");
    assert_eq!(kiosk.outbox().expect("outbox").len(), ops_before, "the refused refusal wrote no op");

    kiosk.decide_item(&order.order_id, &dress, defect()).expect("a described defect is recorded");
    let view = kiosk.decide_item(&order.order_id, &shoes, ItemDecision::HandOver).expect("hand over");
    let active = view.screen.order().expect("order still open");
    assert_eq!(active.items[0].fee_rule, Some(FeeRule::DefectFree), "the defect line says the return is free");
    assert_eq!(active.items[0].fee, Some(Kopecks::ZERO), "no return shipping for a defect");
    assert_eq!(active.settlement.to_collect, Kopecks(599_000), "only the shoes are paid; the dress costs nothing");
    assert_eq!(kiosk.outbox().expect("outbox").len(), ops_before + 2, "each decision wrote exactly one op");

    let err = kiosk.confirm_issue(&order.order_id, Kopecks(249_900), true).expect_err("the amount shown is stale");
    assert!(
        matches!(err, KioskError::AmountChanged { due: Kopecks(599_000), .. }),
        "confirming an amount other than the one due is refused and says what is due: {err:?}"
    );
    let err = kiosk.confirm_issue(&order.order_id, Kopecks(599_000), false).expect_err("payment must be confirmed");
    assert!(matches!(err, KioskError::PaymentNotConfirmed), "unconfirmed payment is refused: {err:?}");
    let done = kiosk.confirm_issue(&order.order_id, Kopecks(599_000), true).expect("the issue completes");
    let receipt = done.screen.receipt().expect("a receipt is shown");
    assert!(done.screen.order().is_none(), "the order card closes after the issue");
    assert_eq!(receipt.collected, Kopecks(599_000), "the receipt shows the amount taken");
    assert_eq!(receipt.refused.len(), 1, "the receipt lists the refused item");
    assert!(receipt.qr_data_uri.starts_with("data:image/svg+xml;base64,"), "the receipt carries a QR image");
    drop(kiosk);

    let restarted = open(&dir.path().join("kiosk.sqlite3"));
    let view = restarted.view().expect("view after restart");
    assert_eq!(view.screen.receipt().map(|r| &r.op_id), Some(&receipt.op_id), "the receipt is still on screen");
    let recent = view.recent.first().expect("the issue is in the recent list");
    assert_eq!((recent.handed_over, recent.refused), (1, 1), "one handed over, one refused");
    assert_eq!(recent.refusal_reasons, vec![RefusalReason::Defect], "the refusal reason is recorded");
    let err = restarted.scan("482137").expect_err("an issued order cannot be issued again");
    assert!(matches!(err, KioskError::AlreadyIssued { .. }), "already issued: {err:?}");

    let ops = restarted.outbox().expect("outbox");
    let seqs: Vec<i64> = ops.iter().map(|o| o.seq).collect();
    assert_eq!(seqs, (1..=ops.len() as i64).collect::<Vec<_>>(), "outbox seq is gap-free from 1");
    assert!(ops.iter().all(|o| o.op_id.get_version_num() == 7), "every op id is a UUIDv7");
    assert_eq!(ops.last().map(|o| o.body.kind()), Some("issue_completed"), "the last op completes the issue");
    assert_eq!(view.status.ops_waiting as usize, ops.len(), "all ops wait for sync");
}

type ErrorCheck = fn(&KioskError) -> bool;

#[test]
fn bad_codes_get_a_clear_error_and_change_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let kiosk = seeded(&dir);
    let cases: [(&str, ErrorCheck); 5] = [
        ("expired QR", |e| matches!(e, KioskError::TokenExpired { .. })),
        ("QR of another pickup point", |e| matches!(e, KioskError::ForeignCode)),
        ("QR signed by a foreign key", |e| matches!(e, KioskError::BadSignature)),
        ("unknown code", |e| matches!(e, KioskError::UnknownCode { .. })),
        ("already issued (short code)", |e| matches!(e, KioskError::AlreadyIssued { .. })),
    ];
    for (case, expected) in cases {
        let err = kiosk.scan(&code(case)).expect_err(case);
        assert!(expected(&err), "{case}: unexpected error {err:?}");
        assert!(!err.to_view().message.is_empty(), "{case}: the error has a message");
    }
    assert!(kiosk.outbox().expect("outbox").is_empty(), "no bad code wrote an op");
    assert!(kiosk.view().expect("view").screen.order().is_none(), "no bad code opened an order");
}

#[test]
fn a_code_typed_under_the_russian_layout_opens_the_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let kiosk = seeded(&dir);
    let latin = code("prepaid, 2 items (QR)");
    let russian = demo::typed_in_russian_layout(&latin);
    assert_ne!(russian, latin, "the test really types Cyrillic");
    let outcome = kiosk.scan(&russian).expect("the layout is undone");
    assert_eq!(outcome.view.screen.order().map(|o| o.order_id.as_str()), Some("ord-1002"), "the right order opens");
}

#[test]
fn buyer_side_refusals_carry_the_policy_fee_and_prepaid_goods_are_refunded() {
    let dir = tempfile::tempdir().expect("temp dir");
    let kiosk = seeded(&dir);
    let order = kiosk.scan("615204").expect("prepaid order opens").view.screen.order().cloned().expect("card");
    let changed_mind = ItemDecision::Refuse { reason: RefusalReason::ChangedMind, description: None };
    kiosk.decide_item(&order.order_id, &order.items[0].item_id, changed_mind).expect("refuse");
    let view = kiosk.decide_item(&order.order_id, &order.items[1].item_id, ItemDecision::HandOver).expect("hand over");
    let s = view.screen.order().cloned().expect("card").settlement;
    assert_eq!(s.fees, Kopecks(9_900), "electronics fall back to the default fee of 99 ₽");
    assert_eq!(s.to_collect, Kopecks(9_900), "a prepaid order costs only the fee");
    assert_eq!(s.to_refund, Kopecks(349_000), "the refused prepaid headphones are refunded");
}

#[test]
fn item_codes_are_matched_only_within_the_open_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let kiosk = seeded(&dir);
    let err = kiosk.scan("4601234567893").expect_err("an item scan needs an open order");
    assert!(matches!(err, KioskError::NoActiveOrder), "no order open: {err:?}");
    kiosk.scan("482137").expect("order opens");
    let hit = kiosk.scan("]E04601234567893\r\n").expect("the dress barcode is in this order");
    assert_eq!(hit.notice, Some(ScanNotice::ItemMatched { item_id: "itm-1001-1".into() }), "scanner framing stripped");
    let err = kiosk.scan("4600000000008").expect_err("headphones belong to another order");
    assert!(matches!(err, KioskError::ItemNotInOrder), "not in this order: {err:?}");
}

#[test]
fn a_set_aside_order_keeps_its_decisions_and_an_issued_one_is_final() {
    let dir = tempfile::tempdir().expect("temp dir");
    let kiosk = seeded(&dir);
    let order = kiosk.scan("730518").expect("open").view.screen.order().cloned().expect("card");
    let item = order.items[0].item_id.clone();
    kiosk.decide_item(&order.order_id, &item, ItemDecision::HandOver).expect("decide");
    assert!(kiosk.set_aside().expect("set aside").screen.order().is_none(), "the card closes");
    let resumed = kiosk.scan("730518").expect("reopen").view.screen.order().cloned().expect("card");
    assert_eq!(resumed.items[0].decision, Some(ItemDecision::HandOver), "the decision survived");
    let opened_ops = kiosk.outbox().expect("outbox").iter().filter(|o| o.body.kind() == "issue_opened").count();
    assert_eq!(opened_ops, 1, "resuming does not record a second opening");
    kiosk.confirm_issue(&order.order_id, Kopecks(69_000), true).expect("issue");
    let err = kiosk.decide_item(&order.order_id, &item, defect()).expect_err("no change after issue");
    assert!(matches!(err, KioskError::AlreadyIssued { .. }), "issued orders are final: {err:?}");
    let err = kiosk.confirm_issue(&order.order_id, Kopecks::ZERO, false).expect_err("no second issue");
    assert!(matches!(err, KioskError::AlreadyIssued { .. }), "a second confirm is refused: {err:?}");
}

#[test]
fn handing_over_the_rest_decides_only_undecided_items_at_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let kiosk = seeded(&dir);
    let order = kiosk.scan("482137").expect("open").view.screen.order().cloned().expect("card");
    kiosk.decide_item(&order.order_id, &order.items[0].item_id, defect()).expect("refuse the dress");
    let ops_before = kiosk.outbox().expect("outbox").len();
    let view = kiosk.hand_over_rest(&order.order_id).expect("hand over the rest");
    let items = view.screen.order().cloned().expect("card").items;
    assert_eq!(items[0].decision, Some(defect()), "the refusal already made is kept");
    assert_eq!(items[1].decision, Some(ItemDecision::HandOver), "the undecided shoes are handed over");
    assert_eq!(kiosk.outbox().expect("outbox").len(), ops_before + 1, "one op per newly decided item");
}

#[test]
fn a_defect_photo_is_kept_with_its_op_and_only_for_a_defect() {
    let dir = tempfile::tempdir().expect("temp dir");
    let kiosk = seeded(&dir);
    let order = kiosk.scan("482137").expect("open").view.screen.order().cloned().expect("card");
    let (dress, shoes) = (&order.items[0].item_id, &order.items[1].item_id);
    let jpeg = b"\xFF\xD8\xFF\xE0\0\x10JFIF\0photo-bytes";

    let err = kiosk.attach_defect_photo(&order.order_id, shoes, jpeg).expect_err("no defect on the shoes");
    assert!(matches!(err, KioskError::InvalidInput(_)), "a photo needs a defect refusal first: {err:?}");
    kiosk.decide_item(&order.order_id, dress, defect()).expect("refuse the dress as defective");
    let err = kiosk.attach_defect_photo(&order.order_id, dress, b"not an image").expect_err("not an image");
    assert!(matches!(err, KioskError::InvalidInput(_)), "a non-image is refused: {err:?}");
    let ops_before = kiosk.outbox().expect("outbox").len();

    let view = kiosk.attach_defect_photo(&order.order_id, dress, jpeg).expect("a JPEG is attached");
    assert_eq!(view.screen.order().expect("card").items[0].photos, 1, "the item shows one photo");
    let ops = kiosk.outbox().expect("outbox");
    assert_eq!(ops.len(), ops_before + 1, "one op for the photo, none for the refused attempts");
    assert_eq!(ops.last().map(|o| o.body.kind()), Some("defect_photo_attached"), "the op says what happened");
    let files: Vec<_> = std::fs::read_dir(dir.path().join("evidence")).expect("evidence folder").flatten().collect();
    assert_eq!(files.len(), 1, "the photo is a file beside the store");
}

#[test]
fn a_refusal_keeps_the_fee_the_buyer_was_told_when_the_policy_changes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let kiosk = seeded(&dir);
    let order = kiosk.scan("482137").expect("open").view.screen.order().cloned().expect("card");
    let did_not_fit = ItemDecision::Refuse { reason: RefusalReason::DidNotFit, description: None };
    kiosk.decide_item(&order.order_id, &order.items[0].item_id, did_not_fit).expect("refuse the dress");
    let doubled = pvz_domain::FeePolicy { default_fee: Kopecks(50_000), per_category: Default::default() };
    let page = pvz_protocol::PullPage {
        cursor: "later".into(),
        has_more: false,
        reset: false,
        remaining: 0,
        max_wait_seconds: 0,
        changes: vec![pvz_protocol::Change::SetFeePolicy(doubled)],
    };
    kiosk.apply_pull(&page).expect("a new policy arrives");
    let view = kiosk.view().expect("view");
    let dress = &view.screen.order().expect("card").items[0];
    assert_eq!(dress.fee, Some(Kopecks(14_900)), "the 149 ₽ clothes fee told to the buyer stays, not the new 500 ₽");
}

#[test]
fn a_popular_barcode_is_found_in_the_open_order_among_many() {
    let dir = tempfile::tempdir().expect("temp dir");
    let kiosk = seeded(&dir);
    let (seed, _) = demo::seed();
    let template = seed
        .pull
        .changes
        .iter()
        .find_map(|c| match c {
            pvz_protocol::Change::UpsertOrder(o) if o.order_id.as_str() == "ord-1005" => Some(o.clone()),
            _ => None,
        })
        .expect("the demo has ord-1005");
    // 200 other orders hold the same dress barcode as ord-1001.
    let changes = (0..200)
        .map(|n| {
            let mut order = template.clone();
            order.order_id = pvz_domain::OrderId::parse(&format!("pop-{n}")).expect("id");
            order.status = pvz_domain::OrderStatus::Ready;
            order.items[0].item_id = pvz_domain::ItemId::parse(&format!("pop-item-{n}")).expect("id");
            order.items[0].barcode = Some("4601234567893".into());
            pvz_protocol::Change::UpsertOrder(order)
        })
        .collect();
    kiosk
        .apply_pull(&pvz_protocol::PullPage {
            cursor: "pop".into(),
            has_more: false,
            reset: false,
            remaining: 0,
            max_wait_seconds: 0,
            changes,
        })
        .expect("pull");
    // ord-1001 arrives again (an update), so its items are now the newest rows of all.
    let again = seed
        .pull
        .changes
        .iter()
        .filter(|c| matches!(c, pvz_protocol::Change::UpsertOrder(o) if o.order_id.as_str() == "ord-1001"));
    kiosk
        .apply_pull(&pvz_protocol::PullPage {
            cursor: "again".into(),
            has_more: false,
            reset: false,
            remaining: 0,
            max_wait_seconds: 0,
            changes: again.cloned().collect(),
        })
        .expect("pull");
    kiosk.scan("482137").expect("open ord-1001");
    let hit = kiosk.scan("4601234567893").expect("the dress is in the open order");
    assert_eq!(
        hit.notice,
        Some(ScanNotice::ItemMatched { item_id: "itm-1001-1".into() }),
        "the open order's own item is found however many orders share its barcode"
    );
}

#[test]
fn a_buyer_side_refusal_waits_for_the_fee_policy_and_seller_fault_refusals_do_not() {
    let dir = tempfile::tempdir().expect("temp dir");
    let kiosk = open(&dir.path().join("kiosk.sqlite3"));
    // The orders have arrived but the policy has not (a first pull still paging, or a reset).
    let (mut seed, _) = demo::seed();
    let policy = seed
        .pull
        .changes
        .iter()
        .find_map(|c| match c {
            pvz_protocol::Change::SetFeePolicy(p) => Some(p.clone()),
            _ => None,
        })
        .expect("the demo seed carries a fee policy");
    seed.pull.changes.retain(|c| !matches!(c, pvz_protocol::Change::SetFeePolicy(_)));
    assert!(kiosk.import_seed(&seed).expect("seed imports"), "a fresh store takes the seed");

    let order =
        kiosk.scan("482137").expect("an order opens without a policy").view.screen.order().cloned().expect("card");
    let (dress, shoes) = (order.items[0].item_id.clone(), order.items[1].item_id.clone());
    let ops_before = kiosk.outbox().expect("outbox").len();
    let did_not_fit = ItemDecision::Refuse { reason: RefusalReason::DidNotFit, description: None };
    let err = kiosk
        .decide_item(&order.order_id, &dress, did_not_fit.clone())
        .expect_err("a buyer-side refusal without a policy is refused");
    assert!(matches!(err, KioskError::FeePolicyMissing), "the error says the policy is not loaded: {err:?}");
    assert_eq!(err.to_view().kind, pvz_kiosk_core::ErrorKind::FeePolicyMissing, "the window gets its own kind");
    assert_eq!(kiosk.outbox().expect("outbox").len(), ops_before, "the refused refusal wrote no op");
    let view = kiosk.view().expect("view");
    assert_eq!(view.screen.order().expect("card").items[0].decision, None, "and recorded no decision");

    let wrong = ItemDecision::Refuse { reason: RefusalReason::WrongItem, description: None };
    let view = kiosk.decide_item(&order.order_id, &shoes, wrong).expect("a seller-fault refusal needs no policy");
    let card = view.screen.order().expect("card");
    assert_eq!(card.items[1].fee, Some(Kopecks::ZERO), "a seller-fault refusal is free under any policy");
    assert_eq!(card.items[1].fee_rule, Some(FeeRule::SellerFaultFree), "and says why");
    kiosk.decide_item(&order.order_id, &shoes, ItemDecision::HandOver).expect("a hand-over needs no policy");
    assert_eq!(kiosk.outbox().expect("outbox").len(), ops_before + 2, "those two decisions wrote their ops");

    let page = pvz_protocol::PullPage {
        cursor: "policy".into(),
        has_more: false,
        reset: false,
        remaining: 0,
        max_wait_seconds: 0,
        changes: vec![pvz_protocol::Change::SetFeePolicy(policy)],
    };
    kiosk.apply_pull(&page).expect("the policy arrives");
    let view = kiosk.decide_item(&order.order_id, &dress, did_not_fit).expect("now the refusal is recorded");
    let card = view.screen.order().expect("card");
    assert_eq!(card.items[0].fee, Some(Kopecks(14_900)), "with the policy's 149 ₽ clothes fee");
    assert_eq!(card.items[0].fee_rule, Some(FeeRule::PolicyFee), "from the policy");
}
