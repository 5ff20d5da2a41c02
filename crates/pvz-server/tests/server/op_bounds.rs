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
