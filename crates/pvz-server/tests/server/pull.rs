//! Pull: the point's feed in version order, pages with `has_more`/`remaining`, cursors, resets after an
//! epoch bump, changes committed after a page never skipped, and cancellations as tombstones.

use crate::common::*;

fn order_ids(page: &Reply) -> Vec<String> {
    page.body["changes"]
        .as_array()
        .map(|c| c.iter().filter_map(|c| c["order_id"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn pages_follow_the_cursor_and_count_what_remains() {
    let t = start().await;
    for i in 0..5 {
        add_order(&t.admin, POINT, &format!("o{i}"), false);
    }
    add_order(&t.admin, OTHER_POINT, "elsewhere", false);
    let kiosk = t.enroll(POINT).await;
    let first = t.pull(&kiosk, &[("limit", "2")]).await;
    assert_eq!(first.status, 200, "pull succeeds: {}", first.body);
    assert_eq!(first.body["changes"][0]["type"], "set_fee_policy", "the fee policy comes first");
    assert_eq!(first.body["changes"][0]["default_fee"], 9_900, "with the point's fee");
    assert_eq!(first.body["has_more"], true, "more pages follow");
    assert_eq!(first.body["remaining"], 4, "4 changes after this page");
    let cursor = first.body["cursor"].as_str().unwrap_or("").to_owned();
    let second = t.pull(&kiosk, &[("limit", "10"), ("cursor", &cursor)]).await;
    assert_eq!(order_ids(&second), ["o1", "o2", "o3", "o4"], "the rest, in order, only this point's");
    assert_eq!(second.body["has_more"], false, "the last page");
    assert!(second.body.get("remaining").is_none(), "nothing remains");
    assert_eq!(second.body["changes"][0]["buyer"], "Анна К.", "the buyer name is masked");
    let cursor = second.body["cursor"].as_str().unwrap_or("").to_owned();
    let empty = t.pull(&kiosk, &[("cursor", &cursor)]).await;
    assert_eq!(empty.body["changes"], serde_json::json!([]), "an empty poll");
    assert_eq!(empty.body["cursor"], cursor.as_str(), "keeps the cursor");

    t.admin.mark_order_issued("o0").expect("issue o0");
    let later = t.pull(&kiosk, &[("cursor", &cursor)]).await;
    assert_eq!(order_ids(&later), ["o0"], "a change after the cursor is delivered, whatever the order's age");
    assert_eq!(later.body["changes"][0]["status"], "issued", "with its new status");
    t.server.shutdown().await;
}

#[tokio::test]
async fn an_epoch_bump_resets_the_kiosk_and_bad_cursors_are_400() {
    let t = start().await;
    add_order(&t.admin, POINT, "o1", false);
    let kiosk = t.enroll(POINT).await;
    let first = t.pull(&kiosk, &[]).await;
    let cursor = first.body["cursor"].as_str().unwrap_or("").to_owned();
    t.admin.reset_feed(POINT).expect("reset feed");
    let after = t.pull(&kiosk, &[("cursor", &cursor)]).await;
    assert_eq!(after.body["reset"], true, "a cursor of the old epoch gets a reset");
    assert_eq!(order_ids(&after), ["o1"], "and the feed from the start");
    assert!(after.body["cursor"].as_str().is_some_and(|c| c.starts_with("2.")), "in the new epoch: {}", after.body);
    for bad in ["x", "1", "1.x", "-1.2"] {
        assert_api_error(&t.pull(&kiosk, &[("cursor", bad)]).await, 400, "bad_request", &format!("cursor {bad:?}"));
    }
    assert_api_error(&t.pull(&kiosk, &[("limit", "many")]).await, 400, "bad_request", "a non-numeric limit");
    t.server.shutdown().await;
}

#[tokio::test]
async fn a_change_committed_while_paging_is_not_skipped() {
    let t = start().await;
    for i in 0..4 {
        add_order(&t.admin, POINT, &format!("o{i}"), false);
    }
    let kiosk = t.enroll(POINT).await;
    let first = t.pull(&kiosk, &[("limit", "2")]).await;
    let cursor = first.body["cursor"].as_str().unwrap_or("").to_owned();
    // An order already delivered changes, and a new one arrives, between two pages.
    t.admin.cancel_order("o3").expect("cancel");
    t.admin.mark_order_issued("o0").expect("issue");
    add_order(&t.admin, POINT, "o9", false);
    let mut seen = order_ids(&first);
    let mut cursor = cursor;
    loop {
        let page = t.pull(&kiosk, &[("limit", "1"), ("cursor", &cursor)]).await;
        assert_eq!(page.status, 200, "pull: {}", page.body);
        seen.extend(order_ids(&page));
        cursor = page.body["cursor"].as_str().unwrap_or("").to_owned();
        if page.body["has_more"] != true {
            break;
        }
    }
    assert_eq!(seen, ["o0", "o1", "o2", "o3", "o0", "o9"], "every change arrives once, in version order");
    t.server.shutdown().await;
}

/// Each change of a page as `(type, order id)`; the fee policy has no order id.
fn kinds(page: &Reply) -> Vec<(String, String)> {
    page.body["changes"]
        .as_array()
        .map(|c| {
            c.iter()
                .map(|c| (c["type"].as_str().unwrap_or("").to_owned(), c["order_id"].as_str().unwrap_or("").to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

fn pair(kind: &str, order: &str) -> (String, String) {
    (kind.to_owned(), order.to_owned())
}

#[tokio::test]
async fn a_cancel_after_the_cursor_arrives_on_the_next_pull_as_a_tombstone() {
    let t = start().await;
    for i in 0..3 {
        add_order(&t.admin, POINT, &format!("o{i}"), false);
    }
    let kiosk = t.enroll(POINT).await;
    let first = t.pull(&kiosk, &[]).await;
    assert_eq!(first.body["has_more"], false, "the first pull takes everything: {}", first.body);
    let cursor = first.body["cursor"].as_str().unwrap_or("").to_owned();

    t.admin.cancel_order("o1").expect("cancel o1");
    let next = t.pull(&kiosk, &[("cursor", &cursor)]).await;
    assert_eq!(next.status, 200, "pull succeeds: {}", next.body);
    assert_eq!(
        next.body["changes"],
        serde_json::json!([{"type": "cancel_order", "order_id": "o1"}]),
        "the cancellation arrives as a tombstone with only the order id, nothing of the buyer or items"
    );
    assert_eq!(next.body["has_more"], false, "and nothing else is pending");
    let cursor = next.body["cursor"].as_str().unwrap_or("").to_owned();
    let idle = t.pull(&kiosk, &[("cursor", &cursor)]).await;
    assert_eq!(idle.body["changes"], serde_json::json!([]), "a cancellation is delivered once, not on every poll");
    t.server.shutdown().await;
}

#[tokio::test]
async fn a_cancel_committed_while_paging_is_not_skipped() {
    let t = start().await;
    for i in 0..4 {
        add_order(&t.admin, POINT, &format!("o{i}"), false);
    }
    let kiosk = t.enroll(POINT).await;
    let first = t.pull(&kiosk, &[("limit", "2")]).await;
    assert_eq!(kinds(&first), [pair("set_fee_policy", ""), pair("upsert_order", "o0")], "policy, then the oldest");
    // Between two pages: an order already delivered is cancelled, one not yet delivered is cancelled,
    // and new work arrives after both.
    t.admin.cancel_order("o0").expect("cancel a delivered order");
    t.admin.cancel_order("o2").expect("cancel an order the kiosk has not seen");
    add_order(&t.admin, POINT, "o9", false);
    let mut seen = Vec::new();
    let mut cursor = first.body["cursor"].as_str().unwrap_or("").to_owned();
    for page_no in 0..20 {
        let page = t.pull(&kiosk, &[("limit", "1"), ("cursor", &cursor)]).await;
        assert_eq!(page.status, 200, "pull: {}", page.body);
        if page_no == 0 {
            assert_eq!(page.body["remaining"], 4, "the progress count includes the tombstones: {}", page.body);
        }
        seen.extend(kinds(&page));
        cursor = page.body["cursor"].as_str().unwrap_or("").to_owned();
        if page.body["has_more"] != true {
            break;
        }
    }
    assert_eq!(
        seen,
        [
            pair("upsert_order", "o1"),
            pair("upsert_order", "o3"),
            pair("cancel_order", "o0"),
            pair("cancel_order", "o2"),
            pair("upsert_order", "o9"),
        ],
        "every cancellation after the cursor arrives once, in version order, among the other changes"
    );

    let fresh = t.enroll(POINT).await;
    let whole = t.pull(&fresh, &[]).await;
    let cancels: Vec<_> = kinds(&whole).into_iter().filter(|(kind, _)| kind == "cancel_order").collect();
    assert_eq!(
        cancels,
        [pair("cancel_order", "o0"), pair("cancel_order", "o2")],
        "a first pull carries the tombstones too, for a kiosk whose cache outlived its cursor"
    );
    t.server.shutdown().await;
}

#[tokio::test]
async fn a_pull_from_scratch_opens_with_a_policy_changed_after_the_orders() {
    let t = start().await;
    for i in 0..6 {
        add_order(&t.admin, POINT, &format!("o{i}"), false);
    }
    let mut changed = policy();
    changed.default_fee = pvz_domain::Kopecks(12_300);
    t.admin.set_fee_policy(POINT, &changed).expect("change the policy after the orders");
    let kiosk = t.enroll(POINT).await;

    let first = t.pull(&kiosk, &[("limit", "2")]).await;
    assert_eq!(first.status, 200, "pull succeeds: {}", first.body);
    assert_eq!(
        kinds(&first),
        [pair("set_fee_policy", ""), pair("upsert_order", "o0"), pair("upsert_order", "o1")],
        "a pull from no cursor opens with the policy, before any order it prices, then a full page of orders"
    );
    assert_eq!(first.body["changes"][0]["default_fee"], 12_300, "the point's current policy, not an old one");

    // Paging on: the orders in order, and the policy once more at its own version (the same policy).
    let mut seen = Vec::new();
    let mut cursor = first.body["cursor"].as_str().unwrap_or("").to_owned();
    for _ in 0..20 {
        let page = t.pull(&kiosk, &[("limit", "2"), ("cursor", &cursor)]).await;
        assert_eq!(page.status, 200, "pull: {}", page.body);
        seen.extend(kinds(&page));
        cursor = page.body["cursor"].as_str().unwrap_or("").to_owned();
        if page.body["has_more"] != true {
            break;
        }
    }
    let orders: Vec<_> = seen.iter().filter(|(kind, _)| kind == "upsert_order").map(|(_, id)| id.as_str()).collect();
    assert_eq!(orders, ["o2", "o3", "o4", "o5"], "the later pages carry the rest of the orders, each once");

    // A reset (new epoch) is a pull from scratch too.
    t.admin.reset_feed(POINT).expect("reset feed");
    let after = t.pull(&kiosk, &[("limit", "1"), ("cursor", &cursor)]).await;
    assert_eq!(after.body["reset"], true, "the old epoch's cursor gets a reset: {}", after.body);
    assert_eq!(
        kinds(&after).first(),
        Some(&pair("set_fee_policy", "")),
        "a reset page opens with the policy too: {}",
        after.body
    );
    t.server.shutdown().await;
}

fn employees(page: &Reply) -> Vec<serde_json::Value> {
    page.body["changes"]
        .as_array()
        .map(|c| c.iter().filter(|c| c["type"] == "upsert_employee").cloned().collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn employees_reach_their_points_kiosks_without_their_pin_and_retiring_one_is_a_change() {
    let t = start().await;
    use pvz_server::admin::Role;
    t.admin.add_employee_as("courier-1", POINT, "Иван Петров", Role::Courier, "1111").expect("courier");
    t.admin.add_employee_as("driver-1", POINT, "Олег Смирнов", Role::Driver, "2222").expect("driver");
    t.admin.add_employee_as("courier-b", OTHER_POINT, "Чужой", Role::Courier, "3333").expect("elsewhere");
    let kiosk = t.enroll(POINT).await;
    let first = t.pull(&kiosk, &[]).await;
    assert_eq!(
        employees(&first),
        [
            serde_json::json!({"type": "upsert_employee", "employee_id": "courier-1", "name": "Иван Петров", "role": "courier", "retired": false, "badge_serial": 0}),
            serde_json::json!({"type": "upsert_employee", "employee_id": "driver-1", "name": "Олег Смирнов", "role": "driver", "retired": false, "badge_serial": 0}),
        ],
        "the point's employees, name, role and current badge number only (no PIN hash), not another point's"
    );
    let cursor = first.body["cursor"].as_str().unwrap_or("").to_owned();
    t.admin.retire_employee("courier-1").expect("retire");
    let later = t.pull(&kiosk, &[("cursor", &cursor)]).await;
    let changed = employees(&later);
    assert_eq!(changed.len(), 1, "retiring is one change after the cursor: {}", later.body);
    assert_eq!(
        (changed[0]["employee_id"].clone(), changed[0]["retired"].clone()),
        ("courier-1".into(), true.into()),
        "retired"
    );

    t.admin.reset_feed(POINT).expect("reset");
    let cursor = later.body["cursor"].as_str().unwrap_or("").to_owned();
    let replay = t.pull(&kiosk, &[("cursor", &cursor)]).await;
    assert_eq!(replay.body["reset"], true, "a reset");
    assert_eq!(employees(&replay).len(), 2, "replays every employee of the point");
    let small = t.pull(&kiosk, &[("limit", "1")]).await;
    assert_eq!(small.body["remaining"], 2, "both employees count in what remains after a one-row page: {}", small.body);
    t.server.shutdown().await;
}
