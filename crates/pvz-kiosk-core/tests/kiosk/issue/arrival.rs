//! Выдача before приёмка: an order whose goods have not reached the point is refused at the scan
//! (`order_not_arrived`, no card, nothing in the outbox), and so is a confirm sent anyway. Once the
//! counter's receiving of its shipment closes, the order opens and is issued, its op after the
//! receiving's. An order whose every item was missing stays refused, and the refusal says so
//! (detail `recorded_missing`: no receiving will bring it, the network marks it arrived), where an
//! order still expected carries no detail; one that arrived damaged opens. Orders in no shipment
//! (the demo seed's, with no arrival time) and orders the server says arrived open as before. An
//! order partly received opens; the item recorded missing is not handed over by «выдать остальное»
//! but left out as not arrived (unpaid, refunded when prepaid, no returned unit), unless the manager
//! found it and hands it over by hand.

use crate::support::shelf::*;
use pvz_domain::Kopecks;
use pvz_kiosk_core::{ErrorKind, FoundItemStatus, Kiosk, KioskError};
use pvz_protocol::{Change, ItemDecision, OpBody};

/// Анна's order (ord-r-1, two prepaid items) in SHP-T-001.
const ANNA_SHORT: &str = "555001";
/// Борис's (ord-r-2), Вера's (ord-r-3: her boots never come) and Глеб's (ord-r-4: the vase arrives
/// broken), all in SHP-T-001.
const BORIS_SHORT: &str = "555002";
const VERA_SHORT: &str = "555003";
const GLEB_SHORT: &str = "555004";

/// The detail of a refusal that the order has not arrived: `recorded_missing`, or none while expected.
fn not_arrived<T: std::fmt::Debug>(result: Result<T, KioskError>, what: &str) -> Option<String> {
    refused(result, ErrorKind::OrderNotArrived, what).to_view().detail
}

const RECORDED_MISSING: Option<&str> = Some("recorded_missing");

/// Scans an item of the open receiving and its proposed cell's label.
fn place(kiosk: &Kiosk, code: &str) {
    let scanned = kiosk.scan(code).unwrap_or_else(|e| panic!("{code} is expected in the shipment: {e}"));
    let proposal = scanned.view.receiving.and_then(|r| r.pending).expect("a cell is proposed");
    kiosk.scan(&cell_label(&proposal.proposed_cell)).expect("placed where proposed");
}

/// Where in the outbox (by seq) the first op matching `is` is.
fn seq_of(kiosk: &Kiosk, what: &str, is: impl Fn(&OpBody) -> bool) -> i64 {
    let outbox = kiosk.outbox().expect("outbox");
    outbox.iter().find(|e| is(&e.body)).map(|e| e.seq).unwrap_or_else(|| panic!("the outbox holds {what}"))
}

#[test]
fn an_order_expected_in_a_shipment_is_refused_until_its_receiving_closes_and_then_issued() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, _clock) = shelf_kiosk(&dir);
    let before = ops(&kiosk);

    let err = refused(kiosk.scan(ANNA_SHORT), ErrorKind::OrderNotArrived, "Анна's order is still expected");
    assert!(err.to_view().message.contains("receive its shipment"), "the message says what to do: {err}");
    assert_eq!(err.to_view().detail, None, "still expected: no detail, the plain text says to receive it");
    assert!(kiosk.view().expect("view").screen.order().is_none(), "no card opens for an order not arrived");
    refused(kiosk.confirm_issue("ord-r-1", Kopecks(0), false), ErrorKind::OrderNotArrived, "a confirm sent anyway");
    refused(kiosk.hand_over_rest("ord-r-1"), ErrorKind::OrderNotArrived, "handing its items over anyway");
    assert_eq!(ops(&kiosk), before, "nothing is written to the outbox for an order not arrived");

    kiosk.scan(SHIPMENT_CODE).expect("receiving opens");
    place(&kiosk, ANNA_1);
    place(&kiosk, ANNA_2);
    kiosk.mark_damaged("itm-r-4-1", "разбита").expect("Глеб's vase arrived broken");
    let open = not_arrived(
        kiosk.scan(ANNA_SHORT),
        "Анна's items are in cells but the receiving is open: its op is not in the outbox yet",
    );
    assert_eq!(open, None, "while the receiving is open nothing is recorded missing yet");
    assert_eq!(ops(&kiosk), before, "still nothing in the outbox while receiving");
    kiosk.close_receiving().expect("receiving closes with Борис's and Вера's items missing");

    let vera = not_arrived(kiosk.scan(VERA_SHORT), "Вера's only item was missing: nothing arrived");
    assert_eq!(vera.as_deref(), RECORDED_MISSING, "the refusal says her items were recorded missing");
    let boris = not_arrived(kiosk.scan(BORIS_SHORT), "nor did Борис's jacket");
    assert_eq!(boris.as_deref(), RECORDED_MISSING, "and so were his, by this counter's receiving");
    let vase = kiosk.scan(GLEB_SHORT).expect("a damaged item is at the point: Глеб's order opens");
    assert_eq!(vase.view.screen.order().map(|c| c.order_id.as_str()), Some("ord-r-4"), "Глеб's card is shown");
    kiosk.set_aside().expect("Глеб's card set aside");

    let card =
        kiosk.scan(ANNA_SHORT).expect("received: Анна's order opens").view.screen.order().cloned().expect("her card");
    assert_eq!(card.order_id, "ord-r-1", "Анна's card is shown");
    kiosk.hand_over_rest(&card.order_id).expect("both items handed over");
    let done = kiosk.confirm_issue(&card.order_id, Kopecks(0), false).expect("prepaid: the issue completes");
    assert_eq!(done.screen.receipt().map(|r| r.order_id.as_str()), Some("ord-r-1"), "the receipt is Анна's");

    let received = seq_of(&kiosk, "the receiving", |b| matches!(b, OpBody::ShipmentReceived { .. }));
    let issued = seq_of(
        &kiosk,
        "Анна's issue",
        |b| matches!(b, OpBody::IssueCompleted { order_id, .. } if order_id.as_str() == "ord-r-1"),
    );
    assert!(received < issued, "the receiving ({received}) goes to the server before the issue ({issued})");
}

#[test]
fn orders_in_no_shipment_or_that_the_server_says_arrived_open_as_before() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, _clock) = shelf_kiosk(&dir);

    let demo = kiosk.scan("482137").expect("the demo seed's order, in no shipment and with no arrival time, opens");
    assert_eq!(demo.view.screen.order().map(|c| c.order_id.as_str()), Some("ord-1001"), "its card is shown");
    kiosk.set_aside().expect("set aside");
    let dina = kiosk.scan(DINA_SHORT).expect("Дина's order, arrived by the server's word, opens");
    assert_eq!(dina.view.screen.order().map(|c| c.order_id.as_str()), Some(DINA_ORDER), "her card is shown");
    kiosk.set_aside().expect("set aside");

    let boris = not_arrived(kiosk.scan(BORIS_SHORT), "Борис's jacket is expected");
    assert_eq!(boris, None, "his shipment is not received as far as this counter knows: no detail");
    // Another counter of the point received the shipment: the feed brings his order arrived, with
    // its cell, and the shipment received.
    let mut boris = shipment_orders().swap_remove(1);
    assert_eq!(boris.order_id.as_str(), "ord-r-2", "Борис's order");
    boris.arrived_at = Some("2026-11-26T09:00:00Z".into());
    boris.items[0].cell = "A-02".into();
    let mut received = shipment(SHIPMENT, SHIPMENT_CODE, &shipment_orders());
    received.received = true;
    let changes = vec![Change::UpsertOrder(boris), Change::UpsertShipment(received)];
    kiosk.apply_pull(&page("shelf-2", false, changes)).expect("the feed says it arrived");
    let card = kiosk
        .scan(BORIS_SHORT)
        .expect("arrived elsewhere: Борис's order opens")
        .view
        .screen
        .order()
        .cloned()
        .expect("card");
    assert_eq!(card.items[0].cell, "A-02", "in the cell the other counter put it in");
    let vera = not_arrived(kiosk.scan(VERA_SHORT), "Вера's order did not arrive with the shipment");
    assert_eq!(vera.as_deref(), RECORDED_MISSING, "the feed says the shipment was received without her items");
}

/// Receives the shipment with Анна's scarf missing (her dress placed) and opens her order.
fn anna_partly_received(kiosk: &Kiosk) -> pvz_kiosk_core::OrderView {
    kiosk.scan(SHIPMENT_CODE).expect("receiving opens");
    place(kiosk, ANNA_1);
    kiosk.close_receiving().expect("receiving closes without her scarf");
    let card = kiosk
        .scan(ANNA_SHORT)
        .expect("one of her items arrived: the order opens")
        .view
        .screen
        .order()
        .cloned()
        .expect("card");
    let missing: Vec<(&str, bool)> = card.items.iter().map(|i| (i.item_id.as_str(), i.missing_at_receiving)).collect();
    assert_eq!(
        missing,
        vec![("itm-r-1-1", false), ("itm-r-1-2", true)],
        "the card says which item the receiving recorded missing"
    );
    card
}

#[test]
fn a_partly_received_order_is_issued_without_the_missing_item_which_is_refunded_not_handed_over() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, _clock) = shelf_kiosk(&dir);
    let card = anna_partly_received(&kiosk);

    let err = refused(
        kiosk.decide_item(&card.order_id, "itm-r-1-1", ItemDecision::NotArrived),
        ErrorKind::InvalidInput,
        "the dress is on the shelf: it cannot be left out as not arrived",
    );
    assert!(err.to_view().message.contains("recorded missing"), "the refusal says why: {err}");

    let view = kiosk.hand_over_rest(&card.order_id).expect("F2: the rest of the order");
    let card = view.screen.order().expect("the card stays open");
    let decisions: Vec<Option<ItemDecision>> = card.items.iter().map(|i| i.decision.clone()).collect();
    assert_eq!(
        decisions,
        vec![Some(ItemDecision::HandOver), Some(ItemDecision::NotArrived)],
        "the dress is handed over, the missing scarf is left out rather than handed over"
    );
    assert_eq!(card.settlement.to_collect, Kopecks(0), "a prepaid order: nothing to take, no fee for the scarf");
    assert_eq!(card.settlement.to_refund, Kopecks(100_000), "the prepaid scarf that never came is paid back");

    let done = kiosk.confirm_issue(&card.order_id, Kopecks(0), false).expect("the issue completes without the scarf");
    let receipt = done.screen.receipt().expect("a receipt");
    let names = |items: &[pvz_kiosk_core::ItemView]| items.iter().map(|i| i.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&receipt.handed_over), vec!["Платье"], "the receipt lists the dress as handed over");
    assert_eq!(names(&receipt.not_arrived), vec!["Шарф"], "and the scarf as not arrived");
    assert!(receipt.refused.is_empty(), "nothing was refused");
    assert_eq!(receipt.refunded, Kopecks(100_000), "the receipt gives the refund");

    let issued = ops(&kiosk)
        .into_iter()
        .find_map(|b| match b {
            OpBody::IssueCompleted { handed_over, refused, not_arrived, refunded, .. } => {
                Some((handed_over, refused, not_arrived, refunded))
            }
            _ => None,
        })
        .expect("the issue is in the outbox");
    assert_eq!(issued.0.iter().map(|i| i.as_str()).collect::<Vec<_>>(), vec!["itm-r-1-1"], "handed over: the dress");
    assert!(issued.1.is_empty(), "no refusal goes to the server");
    assert_eq!(issued.2.iter().map(|i| i.as_str()).collect::<Vec<_>>(), vec!["itm-r-1-2"], "not arrived: the scarf");
    assert_eq!(issued.3, Kopecks(100_000), "the op carries the refund");
    let returns = kiosk.open_returns().expect("returns desk").screen.returns_desk().cloned().expect("returns view");
    assert!(returns.waiting.is_empty(), "nothing is at the point to box for the seller: {:?}", returns.waiting);
    kiosk.close_returns().expect("back to the counter");

    let found = kiosk.find_item(ANNA_2).expect("the scarf is looked up").screen.found_item().cloned().expect("found");
    assert!(
        matches!(found.status, FoundItemStatus::NotArrived { .. }),
        "the search says the scarf never arrived, not that the buyer got it: {:?}",
        found.status
    );
    let found = kiosk.find_item(ANNA_1).expect("the dress is looked up").screen.found_item().cloned().expect("found");
    assert!(matches!(found.status, FoundItemStatus::Issued { .. }), "the dress was handed over: {:?}", found.status);
}

#[test]
fn a_missing_item_found_after_all_is_handed_over_by_hand() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, _clock) = shelf_kiosk(&dir);
    let card = anna_partly_received(&kiosk);
    kiosk.decide_item(&card.order_id, "itm-r-1-2", ItemDecision::HandOver).expect("the scarf turned up: hand it over");
    let card = kiosk.hand_over_rest(&card.order_id).expect("F2 for the dress").screen.order().cloned().expect("card");
    assert!(
        card.items.iter().all(|i| i.decision == Some(ItemDecision::HandOver)),
        "both handed over: a decision taken by hand stands"
    );
    assert_eq!(card.settlement.to_refund, Kopecks(0), "nothing to pay back");
    let done = kiosk.confirm_issue(&card.order_id, Kopecks(0), false).expect("issued whole");
    assert_eq!(done.screen.receipt().expect("receipt").not_arrived.len(), 0, "the receipt leaves nothing out");
}

#[test]
fn another_counters_receiving_that_missed_an_item_reaches_this_counter_by_the_feed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, _clock) = shelf_kiosk(&dir);
    // Another counter received the shipment with Анна's scarf missing: the feed brings her order
    // arrived, the dress in its cell, and the shipment received with the scarf marked missing.
    let mut anna = shipment_orders().swap_remove(0);
    anna.arrived_at = Some("2026-11-26T09:00:00Z".into());
    anna.items[0].cell = "A-01".into();
    let mut received = shipment(SHIPMENT, SHIPMENT_CODE, &shipment_orders());
    received.received = true;
    for item in &mut received.items {
        item.missing = item.item_id.as_str() == "itm-r-1-2";
    }
    kiosk
        .apply_pull(&page("shelf-2", false, vec![Change::UpsertOrder(anna), Change::UpsertShipment(received)]))
        .expect("the feed says what the other counter received");
    let card = kiosk.scan(ANNA_SHORT).expect("her order opens").view.screen.order().cloned().expect("card");
    let missing: Vec<(&str, bool)> = card.items.iter().map(|i| (i.item_id.as_str(), i.missing_at_receiving)).collect();
    assert_eq!(
        missing,
        vec![("itm-r-1-1", false), ("itm-r-1-2", true)],
        "this counter knows the scarf is missing though another counter received the shipment"
    );
    let card = kiosk.hand_over_rest(&card.order_id).expect("F2").screen.order().cloned().expect("card");
    assert_eq!(card.items[1].decision, Some(ItemDecision::NotArrived), "and leaves it out rather than hand it over");
}
