//! Validation at the edge (issue 13): each pushed op is parsed on its own, every id through its
//! parser, so one bad op is rejected `invalid_input` (or `other_point`) and stored as that rejection
//! alone, the device's seq moves past it, and the ops after it still apply. The envelope's own
//! errors (malformed JSON, a seq that is not a number) still refuse the whole request.

use crate::common::*;
use serde_json::{json, Value};

/// An op as JSON, to be bent out of shape where a typed `PushOp` cannot go.
fn raw(seq: i64, body: pvz_protocol::OpBody) -> Value {
    serde_json::to_value(op(seq, body)).expect("an op serializes")
}

async fn push_raw(t: &TestServer, kiosk: &Kiosk, ops: Vec<Value>) -> Reply {
    t.post_json("/v1/sync/push", Some(&kiosk.credential), &json!({ "ops": ops })).await
}

#[tokio::test]
async fn ids_out_of_bounds_are_rejected_per_op_and_the_queue_moves_on() {
    let t = start().await;
    add_order(&t.admin, POINT, "o1", false);
    let kiosk = t.enroll(POINT).await;
    let mut long_operator = raw(1, opened("o1"));
    long_operator["operator"] = json!("x".repeat(5000));
    let mut spaced_return = raw(2, hand_back("hb-1", "courier-ivan", vec![]));
    spaced_return["body"]["items"] = json!([{
        "return_id": "r 1/2", "code": "4607000000113", "item_id": null, "order_id": null,
        "reason": "did_not_fit", "description": null, "fee": 0
    }]);
    let mut long_order = raw(3, opened("o1"));
    long_order["body"]["order_id"] = json!("o".repeat(65));
    let reply = push_raw(&t, &kiosk, vec![long_operator, spaced_return, long_order, raw(4, opened("o1"))]).await;
    assert_eq!(reply.status, 200, "bad ids are the ops' problem, not the request's: {}", reply.body);
    for (i, what) in
        [(0, "a 5,000-character operator"), (1, "a return id with '/' and spaces"), (2, "a 65-character order id")]
    {
        assert_eq!(reject_code(&reply, i), "invalid_input", "{what} is rejected as invalid input: {}", reply.body);
    }
    assert_eq!(outcome(&reply, 3), "applied", "the op after the bad ones still applies: {}", reply.body);
    assert_eq!(reply.body["last_seq"], 4, "the device's seq moved past the rejected ops");
    let counts = t.admin.op_counts(&kiosk.device_id).expect("counts");
    assert_eq!((counts.applied, counts.rejected), (1, 3), "each bad op is stored as its rejection");
    let next = t.push(&kiosk, &[op(5, opened("o1"))]).await;
    assert_eq!(next.status, 200, "later pushes are not blocked by what was rejected: {}", next.body);
    assert_eq!(outcome(&next, 0), "applied", "and later ops apply: {}", next.body);
    let feed = t.pull(&kiosk, &[]).await;
    assert_eq!(feed.status, 200, "the point's feed still reads: {}", feed.body);
    t.server.shutdown().await;
}

#[tokio::test]
async fn another_points_order_an_unknown_op_type_or_a_missing_field_refuse_that_op_alone() {
    let t = start().await;
    add_order(&t.admin, POINT, "mine", false);
    add_order(&t.admin, OTHER_POINT, "theirs", false);
    let kiosk = t.enroll(POINT).await;
    let mut unknown = raw(3, opened("mine"));
    unknown["body"]["type"] = json!("teleport_order");
    let mut missing = raw(4, opened("mine"));
    missing["body"].as_object_mut().expect("an object").remove("order_id");
    let ops = vec![
        raw(1, opened("mine")),
        raw(2, completed("theirs", &["theirs-1", "theirs-2"], vec![], 350_000, 0)),
        unknown,
        missing,
        raw(5, completed("mine", &["mine-1", "mine-2"], vec![], 350_000, 0)),
    ];
    let reply = push_raw(&t, &kiosk, ops).await;
    assert_eq!(reply.status, 200, "one op's fault does not refuse the batch: {}", reply.body);
    assert_eq!(outcome(&reply, 0), "applied", "the own point's op before applies: {}", reply.body);
    assert_eq!(reject_code(&reply, 1), "other_point", "another point's order is refused for that op: {}", reply.body);
    assert_eq!(reject_code(&reply, 2), "invalid_input", "an unknown op type is invalid input: {}", reply.body);
    assert_eq!(reject_code(&reply, 3), "invalid_input", "a missing field is invalid input: {}", reply.body);
    assert_eq!(outcome(&reply, 4), "applied", "the own point's op after applies: {}", reply.body);
    assert_eq!(reply.body["last_seq"], 5, "the seq advanced over every rejection");
    let report = t.admin.ledger_check().expect("ledger check");
    assert_eq!(report.transactions, 1, "only the own order's sale moved money: {report:?}");
    let again = push_raw(&t, &kiosk, vec![]).await;
    assert_eq!(again.body["last_seq"], 5, "the rejections are stored, not waiting to be resent");

    let r = t.post_json("/v1/sync/push", Some(&kiosk.credential), &json!({"ops": [{"seq": "one"}]})).await;
    assert_api_error(&r, 422, "bad_request", "a seq that is not a number still refuses the envelope");
    let r = t.post_raw("/v1/sync/push", Some(&kiosk.credential), b"{\"ops\": [".to_vec()).await;
    assert_api_error(&r, 400, "bad_request", "malformed JSON still refuses the envelope");
    t.server.shutdown().await;
}
