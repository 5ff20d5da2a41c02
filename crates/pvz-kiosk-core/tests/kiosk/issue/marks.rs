//! Честный ЗНАК marking codes at the counter: the DataMatrix on a unit of an item in the open order
//! picks that item by its GTIN, whichever barcode (EAN-13, EAN-8, UPC-A) the order knows it by, and
//! however the scanner sent the group separator (GS, character 232, none) or the keyboard layout
//! typed it. A unit whose serial is not the one the order expects is refused as a possible swap;
//! the op handing an item over carries the whole mark scanned off it. At the returns desk a mark
//! boxes the refused unit the same way, by GTIN, unless that unit carries another mark.

use crate::support::shelf::page;
use chrono::{TimeZone, Utc};
use pvz_domain::{ItemId, Kopecks, OrderId, OrderStatus, PickupPointId, RefusalReason, ShortCode};
use pvz_kiosk_core::{ErrorKind, ItemDecision, Kiosk, ScanNotice};
use pvz_protocol::{demo, Change, ItemWire, OpBody, OrderWire};

const GS: char = '\u{1d}';
const CRYPTO_44: &str = "Zm9yLXRlc3Rpbmctb25seS1ub3QtYS1yZWFsLXRhaWw=";
const SHORT_CODE: &str = "777001";
const ORDER: &str = "ord-marks-1";
/// Shoes known by their EAN-13, a pack of gum by its EAN-8, an imported kettle by its UPC-A.
const SHOES: (&str, &str) = ("itm-marks-shoes", "4601234567893");
const GUM: (&str, &str) = ("itm-marks-gum", "96385074");
const KETTLE: (&str, &str) = ("itm-marks-kettle", "036000291452");
/// Perfume whose order expects one unit: GTIN-14 04607001770015, serial PERFUME000001.
const PERFUME: (&str, &str) = ("itm-marks-perfume", "4607001770015");
const PERFUME_MARK: &str = "04607001770015PERFUME000001";

fn item((id, barcode): (&str, &str), mark: Option<&str>) -> ItemWire {
    ItemWire {
        item_id: ItemId::parse(id).expect("item id"),
        name: id.trim_start_matches("itm-marks-").into(),
        variant: "—".into(),
        cell: "A-01".into(),
        price: Kopecks(100_000),
        prepaid: false,
        category: "clothes".into(),
        barcode: Some(barcode.into()),
        mark: mark.map(Into::into),
    }
}

/// A demo kiosk with one order of four items at its point, the perfume's unit named by its mark.
fn kiosk_with_order(dir: &tempfile::TempDir) -> Kiosk {
    let kiosk = Kiosk::open(&dir.path().join("kiosk.sqlite3"))
        .expect("store opens")
        .with_clock(Box::new(|| Utc.with_ymd_and_hms(2026, 11, 26, 10, 0, 0).single().expect("valid time")));
    let (seed, _) = demo::seed();
    assert!(kiosk.import_seed(&seed).expect("seed imports"), "a fresh store takes the seed");
    let order = OrderWire {
        order_id: OrderId::parse(ORDER).expect("order id"),
        pickup_point_id: PickupPointId::parse(demo::PICKUP_POINT).expect("point"),
        short_code: ShortCode::parse(SHORT_CODE).expect("short code"),
        buyer: "Марина М.".into(),
        status: OrderStatus::Ready,
        issued_at: None,
        arrived_at: None,
        items: vec![item(SHOES, None), item(GUM, None), item(KETTLE, None), item(PERFUME, Some(PERFUME_MARK))],
    };
    kiosk
        .apply_pull(&page("marks-1", false, vec![Change::UpsertOrder(order)]))
        .expect("the order arrives with the feed");
    kiosk
}

/// A marking code of a unit of `gtin` with `serial`: 91 key and 92 crypto tail, GS-separated.
fn mark(gtin: &str, serial: &str) -> String {
    format!("01{gtin}21{serial}{GS}91EE06{GS}92{CRYPTO_44}")
}

fn matched(kiosk: &Kiosk, scanned: &str) -> String {
    match kiosk.scan(scanned).unwrap_or_else(|e| panic!("{scanned:?} must match an item of the open order: {e}")).notice
    {
        Some(ScanNotice::ItemMatched { item_id }) => item_id,
        other => panic!("{scanned:?} must match an item of the open order, got {other:?}"),
    }
}

fn decided_marks(kiosk: &Kiosk) -> Vec<(String, Option<String>)> {
    let outbox = kiosk.outbox().expect("outbox");
    outbox
        .into_iter()
        .filter_map(|e| match e.body {
            OpBody::ItemDecided { item_id, mark, .. } => Some((item_id.to_string(), mark)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_marking_code_picks_the_item_whose_ean13_names_its_product_however_it_was_sent() {
    let dir = tempfile::tempdir().expect("temp dir");
    let kiosk = kiosk_with_order(&dir);
    kiosk.scan(SHORT_CODE).expect("the order opens");
    let shoes = mark("04601234567893", "1234567890ABC");
    for (scanned, how) in [
        (shoes.clone(), "with GS separators"),
        (shoes.replace(GS, "\u{e8}"), "with character 232 for GS"),
        (shoes.replace(GS, ""), "with no separator at all"),
        (demo::typed_in_russian_layout(&shoes.replace(GS, "\u{e8}")), "with 232 and typed under ЙЦУКЕН"),
        (demo::typed_in_russian_layout(&format!("]d2{}\r\n", shoes.replace(GS, ""))), "typed under ЙЦУКЕН, no GS"),
    ] {
        assert_eq!(matched(&kiosk, &scanned), SHOES.0, "the shoes' mark {how} picks the shoes (EAN-13 in the order)");
    }
    let found = kiosk.find_items_by_code(&shoes.replace(GS, "\u{e8}")).expect("item search");
    assert!(
        found.iter().any(|f| f.item_id == SHOES.0),
        "the item search finds the shoes by their mark too (and the demo's units of the product): {found:?}"
    );
}

#[test]
fn a_marking_code_picks_items_known_by_an_ean8_or_a_upca() {
    let dir = tempfile::tempdir().expect("temp dir");
    let kiosk = kiosk_with_order(&dir);
    kiosk.scan(SHORT_CODE).expect("the order opens");
    assert_eq!(matched(&kiosk, &mark("00000096385074", "gum001")), GUM.0, "an EAN-8 is the GTIN-14 zero-padded");
    assert_eq!(matched(&kiosk, &mark("00036000291452", "KTL0001")), KETTLE.0, "so is a UPC-A");
    assert_eq!(matched(&kiosk, "0036000291452"), KETTLE.0, "a UPC-A read as EAN-13 (a leading 0) is the kettle too");
    let other = kiosk.scan(&mark("04600000000008", "1234567890ABC")).expect_err("a product not in the order");
    assert_eq!(other.to_view().kind, ErrorKind::ItemNotInOrder, "a mark of another product is not in the order");
}

#[test]
fn a_unit_whose_serial_is_not_the_one_the_order_expects_is_refused_as_a_possible_swap() {
    let dir = tempfile::tempdir().expect("temp dir");
    let kiosk = kiosk_with_order(&dir);
    kiosk.scan(SHORT_CODE).expect("the order opens");
    let ops_before = kiosk.outbox().expect("outbox").len();

    let swapped = kiosk.scan(&mark("04607001770015", "PERFUME000002")).expect_err("another unit of the perfume");
    let view = swapped.to_view();
    assert_eq!(view.kind, ErrorKind::OtherUnitOfItem, "refused as another unit, not as a product not in the order");
    assert!(view.message.contains("marking code is not the one the order expects"), "the reason: {}", view.message);
    assert_eq!(kiosk.outbox().expect("outbox").len(), ops_before, "a refused unit writes nothing");

    assert_eq!(matched(&kiosk, &mark("04607001770015", "PERFUME000001")), PERFUME.0, "the unit the order expects");
    assert_eq!(matched(&kiosk, PERFUME.1), PERFUME.0, "its EAN-13 alone names the product, with no serial to check");
}

#[test]
fn the_op_handing_an_item_over_carries_the_whole_mark_scanned_off_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let kiosk = kiosk_with_order(&dir);
    kiosk.scan(SHORT_CODE).expect("the order opens");
    let shoes = mark("04601234567893", "1234567890ABC");
    matched(&kiosk, &shoes.replace(GS, "\u{e8}"));
    kiosk.decide_item(ORDER, SHOES.0, ItemDecision::HandOver).expect("the shoes handed over");
    kiosk.hand_over_rest(ORDER).expect("the rest handed over (F2)");
    let perfume = format!("010460700177001521PERFUME000001{GS}93Ab+/");
    matched(&kiosk, &perfume.replace(GS, ""));

    let decided = decided_marks(&kiosk);
    assert_eq!(
        decided.first(),
        Some(&(SHOES.0.to_owned(), Some(shoes.clone()))),
        "the shoes' hand-over carries their whole mark, serial and crypto tail, GS kept though 232 was scanned"
    );
    assert!(
        decided.iter().any(|(id, mark)| id == GUM.0 && mark.is_none()),
        "the gum, handed over without its mark scanned, carries none: {decided:?}"
    );
    assert_eq!(
        decided.last(),
        Some(&(PERFUME.0.to_owned(), Some(perfume.clone()))),
        "a mark scanned after the item was handed over records the hand-over again, with the mark"
    );
}

#[test]
fn at_the_returns_desk_a_mark_boxes_the_refused_unit_known_by_an_ean8_or_a_upca() {
    let dir = tempfile::tempdir().expect("temp dir");
    let kiosk = kiosk_with_order(&dir);
    kiosk.scan(SHORT_CODE).expect("the order opens");
    for (id, _) in [SHOES, GUM, KETTLE, PERFUME] {
        let defect = ItemDecision::Refuse { reason: RefusalReason::Defect, description: Some("вмятина".into()) };
        kiosk.decide_item(ORDER, id, defect).unwrap_or_else(|e| panic!("{id} refused as a defect: {e}"));
    }
    kiosk.confirm_issue(ORDER, Kopecks(0), false).expect("the order closes with everything refused");
    kiosk.open_returns().expect("the returns desk opens");
    kiosk.create_box().expect("a box is opened");

    let boxed = |scanned: &str, what: &str| {
        let outcome = kiosk.scan(scanned).unwrap_or_else(|e| panic!("{what} goes into the box: {e}"));
        assert!(matches!(outcome.notice, Some(ScanNotice::BoxItemAdded { .. })), "{what} goes into the box");
    };
    boxed(&mark("00000096385074", "gum001").replace(GS, "\u{e8}"), "the gum (EAN-8 in the order) by its mark");
    boxed(&mark("00036000291452", "KTL0001"), "the kettle (UPC-A in the order) by its mark");
    let other = kiosk.scan(&mark("04607001770015", "PERFUME000002")).expect_err("another unit of the perfume");
    assert_eq!(
        other.to_view().kind,
        ErrorKind::NotAmongWaitingReturns,
        "the refused perfume carries its own mark; a unit with another serial is not it"
    );
    boxed(&mark("04607001770015", "PERFUME000001"), "the perfume by its own mark");
    boxed(SHOES.1, "the shoes by their EAN-13");
    let desk = kiosk.view().expect("view").screen.returns_desk().cloned().expect("the desk is on screen");
    assert!(desk.waiting.is_empty(), "all four refused units are in the box: {:?}", desk.waiting);
}
