//! Ops bounded by construction (issue 13, finding 4): every free-text field and every list of an op
//! has a bound, so a text or list past it is that op's `invalid_input` rejection (the queue moves
//! on) rather than a body the server refuses with 413 forever.

use crate::common::*;
use pvz_domain::{ItemId, OrderId, RefusalReason, ReturnId};
use pvz_protocol::{ExpiredItem, ItemDecision, OpBody};

#[tokio::test]
async fn texts_and_lists_past_their_bounds_are_rejected_for_their_op_alone() {
    let t = start().await;
    add_order(&t.admin, POINT, "o1", false);
    let kiosk = t.enroll(POINT).await;
    let long_description = OpBody::ItemDecided {
        order_id: order_id("o1"),
        item_id: item_id("o1-1"),
        decision: ItemDecision::Refuse { reason: RefusalReason::Defect, description: Some("ш".repeat(2001)) },
        mark: None,
    };
    let huge_expiry = OpBody::ShelfExpired {
        items: (0..201)
            .map(|n| ExpiredItem {
                order_id: OrderId::parse("o1").expect("id"),
                item_id: ItemId::parse(&format!("i{n}")).expect("id"),
                return_id: ReturnId::parse(&format!("r{n}")).expect("id"),
            })
            .collect(),
    };
    let mut long_name = hand_back("hb-1", "courier-ivan", vec![]);
    if let OpBody::CourierHandBackCompleted { accepted_by, .. } = &mut long_name {
        *accepted_by = "Анна".repeat(60);
    }
    let reply =
        t.push(&kiosk, &[op(1, long_description), op(2, huge_expiry), op(3, long_name), op(4, opened("o1"))]).await;
    assert_eq!(reply.status, 200, "an op out of bounds is not the request's fault: {}", reply.body);
    for (i, what) in [(0, "a 2,001-character description"), (1, "an expiry of 201 items"), (2, "a 240-character name")]
    {
        assert_eq!(reject_code(&reply, i), "invalid_input", "{what} is rejected as invalid input: {}", reply.body);
    }
    assert_eq!(outcome(&reply, 3), "applied", "the op after them applies: {}", reply.body);
    t.server.shutdown().await;
}

/// Each op kind at its largest: every list at its cap, every text at its length in the widest
/// characters (4 bytes each in UTF-8; a scanned code's separators escaped to 6 in JSON), every id 64
/// characters. Each, pushed alone, fits in the server's default body limit and is read (whatever its
/// business verdict), so no op the kiosk can queue is answered 413 or `invalid_input`.
fn largest_ops() -> Vec<OpBody> {
    use pvz_domain::text::{CELL, CONDITION, DESCRIPTION, PERSON_NAME, REFERENCE, SCANNED_CODE, SIGNED_CODE};
    use pvz_domain::{ClaimId, CompensationKind, EmployeeId, Kopecks, RefusalCount, ReturnBoxId, ShiftReport};
    use pvz_protocol::bounds::*;
    use pvz_protocol::{BoxedItem, DamagedItem, HandBackItem, PhotoRef, PlacedItem, RefusedItem, ReturnSource};
    let id = |prefix: &str, n: usize| format!("{prefix}{n:0>60}");
    let order = |n| OrderId::parse(&id("ord-", n)).expect("id");
    let item = |n| ItemId::parse(&id("itm-", n)).expect("id");
    let unit = |n| ReturnId::parse(&id("ret-", n)).expect("id");
    let prose = |max: usize| "😀".repeat(max);
    let code = || "\u{1d}".repeat(SCANNED_CODE.max);
    let reference = |n: usize| format!("{n:0>width$}", width = REFERENCE.max);
    let cell = || "A".repeat(CELL.max);
    let photos = || {
        (0..MAX_PHOTOS)
            .map(|n| PhotoRef {
                photo_id: reference(n),
                sha256: "f".repeat(64),
                media_type: "i".repeat(100),
                size_bytes: u64::MAX,
            })
            .collect::<Vec<_>>()
    };
    let reason = RefusalReason::Defect;
    vec![
        OpBody::IssueOpened { order_id: order(0) },
        OpBody::ItemDecided {
            order_id: order(0),
            item_id: item(0),
            decision: ItemDecision::Refuse { reason, description: Some(prose(DESCRIPTION.max)) },
            mark: None,
        },
        OpBody::DefectPhotoAttached {
            order_id: order(0),
            item_id: item(0),
            photo_id: reference(0),
            sha256: "f".repeat(64),
            media_type: "i".repeat(100),
            size_bytes: u64::MAX,
        },
        OpBody::ItemDecisionCleared { order_id: order(0), item_id: item(0) },
        OpBody::IssueCompleted {
            order_id: order(0),
            handed_over: (0..MAX_ORDER_ITEMS).map(item).collect(),
            refused: (0..MAX_ORDER_ITEMS)
                .map(|n| RefusedItem {
                    item_id: item(n),
                    reason,
                    description: Some(prose(DESCRIPTION.max)),
                    fee: Kopecks(i64::MAX),
                })
                .collect(),
            collected: Kopecks(i64::MAX),
            refunded: Kopecks(i64::MAX),
            payment_taken: true,
            not_arrived: (0..MAX_ORDER_ITEMS).map(item).collect(),
        },
        OpBody::ClaimReturnAccepted {
            claim_id: ClaimId::parse(&id("clm-", 0)).expect("id"),
            order_id: order(0),
            item_id: item(0),
            return_id: unit(0),
            compensation: CompensationKind::Replacement,
            amount: Kopecks(i64::MAX),
            condition: prose(CONDITION.max),
            photos: photos(),
            code_issue: u32::MAX,
            return_code: Some(format!("PVZC1.{}", "A".repeat(SIGNED_CODE.max - "PVZC1.".len()))),
        },
        OpBody::CourierHandBackCompleted {
            hand_back_id: reference(0),
            courier_id: EmployeeId::parse(&id("emp-", 0)).expect("id"),
            accepted_by: prose(PERSON_NAME.max),
            items: (0..MAX_HAND_BACK_ITEMS)
                .map(|n| HandBackItem {
                    return_id: unit(n),
                    code: code(),
                    item_id: Some(item(n)),
                    order_id: Some(order(n)),
                    reason,
                    description: Some(prose(DESCRIPTION.max)),
                    fee: Kopecks(i64::MAX),
                })
                .collect(),
            missing: (0..MAX_HAND_BACK_ITEMS).map(item).collect(),
        },
        OpBody::ReturnBoxClosed {
            box_id: ReturnBoxId::parse(&id("box-", 0)).expect("id"),
            items: (0..MAX_BOX_ITEMS)
                .map(|n| BoxedItem { return_id: unit(n), item_id: Some(item(n)), source: ReturnSource::CounterRefusal })
                .collect(),
        },
        OpBody::BoxesHandedOver {
            handover_id: reference(0),
            driver_id: EmployeeId::parse(&id("emp-", 1)).expect("id"),
            box_ids: (0..MAX_HANDOVER_BOXES).map(|n| ReturnBoxId::parse(&id("box-", n)).expect("id")).collect(),
        },
        OpBody::ShipmentReceived {
            shipment_id: reference(0),
            placed: (0..MAX_SHIPMENT_LINES)
                .map(|n| PlacedItem { order_id: order(n), item_id: item(n), cell: cell() })
                .collect(),
            missing: (0..MAX_SHIPMENT_LINES).map(item).collect(),
            unexpected: (0..MAX_UNEXPECTED_CODES).map(|_| code()).collect(),
            damaged: (0..MAX_DAMAGED_ITEMS)
                .map(|n| DamagedItem {
                    order_id: order(n),
                    item_id: item(n),
                    description: prose(DESCRIPTION.max),
                    photos: photos(),
                })
                .collect(),
        },
        OpBody::ItemMoved { order_id: order(0), item_id: item(0), from: cell(), to: cell() },
        OpBody::ShelfExpired {
            items: (0..MAX_EXPIRED_ITEMS)
                .map(|n| ExpiredItem { order_id: order(n), item_id: item(n), return_id: unit(n) })
                .collect(),
        },
        OpBody::ShiftOpened { shift_id: reference(0) },
        OpBody::ShiftClosed {
            shift_id: reference(0),
            report: ShiftReport {
                orders_issued: u32::MAX,
                refusals: (0..MAX_REPORT_REFUSALS)
                    .map(|_| RefusalCount { reason, at_counter: u32::MAX, from_couriers: u32::MAX })
                    .collect(),
                fees: Kopecks(i64::MAX),
                money_taken: Kopecks(i64::MAX),
                ..ShiftReport::default()
            },
        },
    ]
}

#[tokio::test]
async fn the_largest_op_of_every_kind_is_read_within_the_servers_body_limit() {
    let t = start().await;
    let kiosk = t.enroll(POINT).await;
    let limit = pvz_server::Config::default().max_body_bytes;
    let ops = largest_ops();
    let kinds: std::collections::BTreeSet<&str> = ops.iter().map(OpBody::kind).collect();
    assert_eq!(kinds.len(), 14, "every op kind is here: {kinds:?}");
    for (n, body) in ops.into_iter().enumerate() {
        let kind = body.kind();
        assert_eq!(body.check_bounds(), Ok(()), "{kind} at its largest is within its own bounds");
        let mut pushed = op(n as i64 + 1, body);
        pushed.operator = Some(pvz_domain::EmployeeId::parse(&"e".repeat(64)).expect("id"));
        let size =
            serde_json::to_vec(&serde_json::json!({ "ops": [&pushed], "now": pushed.created_at })).expect("json").len();
        eprintln!("largest {kind}: {size} bytes of {limit}");
        assert!(size <= limit, "{kind} at its largest ({size} bytes) fits in the {limit}-byte limit");
        let reply = t.push(&kiosk, &[pushed]).await;
        assert_eq!(reply.status, 200, "{kind} at its largest is read, not refused: {}", reply.body);
        assert_ne!(reject_code(&reply, 0), "invalid_input", "{kind} at its largest is valid input: {}", reply.body);
    }
    t.server.shutdown().await;
}
