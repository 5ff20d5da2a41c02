//! Честный ЗНАК: the item decision op that hands a marked unit over carries its whole code (serial
//! and crypto tail, GS kept), and the server keeps it on the item, so the sale of a marked item can
//! be reported with its code. The last decision stands: a decision taken back, or a refusal, leaves
//! no mark; an op from a kiosk that sends none leaves none.

use crate::common::*;
use pvz_protocol::{ItemDecision, OpBody};

const MARK: &str = "0104601234567893211234567890ABC\u{1d}91EE06\u{1d}92Zm9yLXRlc3Rpbmctb25seS1ub3QtYS1yZWFsLXRhaWw=";

fn decided(item: &str, decision: ItemDecision, mark: Option<&str>) -> OpBody {
    OpBody::ItemDecided { order_id: order_id("o1"), item_id: item_id(item), decision, mark: mark.map(Into::into) }
}

#[tokio::test]
async fn the_mark_of_the_unit_handed_over_is_kept_on_its_item_and_the_last_decision_stands() {
    let t = start().await;
    add_order(&t.admin, POINT, "o1", false);
    let kiosk = t.enroll(POINT).await;
    let cleared = OpBody::ItemDecisionCleared { order_id: order_id("o1"), item_id: item_id("o1-1") };

    let first = [
        op(1, opened("o1")),
        op(2, decided("o1-1", ItemDecision::HandOver, Some(MARK))),
        op(3, cleared),
        op(4, decided("o1-2", ItemDecision::HandOver, Some(MARK))),
        op(5, decided("o1-2", ItemDecision::NotArrived, Some(MARK))),
    ];
    let reply = t.push(&kiosk, &first).await;
    assert_eq!(reply.status, 200, "the push succeeds: {}", reply.body);
    for i in 0..first.len() {
        assert_eq!(outcome(&reply, i), "applied", "op {i} applies: {}", reply.body);
    }
    assert_eq!(t.admin.handed_over_mark("o1-1").expect("read"), None, "a hand-over taken back leaves no mark");
    assert_eq!(
        t.admin.handed_over_mark("o1-2").expect("read"),
        None,
        "nor does a later decision other than a hand-over"
    );

    let second = [
        op(6, decided("o1-1", ItemDecision::HandOver, Some(MARK))),
        op(7, decided("o1-2", ItemDecision::HandOver, None)),
        op(8, completed("o1", &["o1-1", "o1-2"], vec![], 350_000, 0)),
    ];
    let reply = t.push(&kiosk, &second).await;
    for i in 0..second.len() {
        assert_eq!(outcome(&reply, i), "applied", "op {} applies: {}", 6 + i, reply.body);
    }
    assert_eq!(
        t.admin.handed_over_mark("o1-1").expect("read").as_deref(),
        Some(MARK),
        "the whole mark of the unit handed over is kept, GS separators included"
    );
    assert_eq!(t.admin.handed_over_mark("o1-2").expect("read"), None, "a unit handed over without its mark has none");
    assert_eq!(t.admin.ledger_check().expect("ledger").total, 0, "the sale posted and the ledger sums to zero");
}
