//! Upgrading a database of the release before receiving, staff login and shifts (migration 0005):
//! its ops keep their outcomes with no operator, its orders arrived when they were added, and those
//! still waiting come once more after the point's old head, so a kiosk learns their arrival and can
//! list them when they expire. Its working managers come once more too, now with their PIN hashes
//! (the release before sent employees without them), so login is required at a kiosk upgraded in
//! place, not only at one enrolled afresh.

use super::*;
use pvz_domain::PickupPointId;

/// An empty database with the schema of the release before receiving (migrations 0001–0004).
fn release_4_database(dir: &Path) -> Connection {
    let mut conn = open(&dir.join(DB_FILE)).expect("open");
    released_migrations(4)
        .to_latest(conn.as_sqlite_mut().expect("a SQLite connection"))
        .expect("the release before receiving");
    conn
}

#[test]
fn a_database_from_before_receiving_gets_arrivals_for_its_waiting_orders_and_keeps_its_ops() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut conn = release_4_database(dir.path());
    conn.execute_batch(
        "INSERT INTO pickup_points (id, name, epoch, version, fee_policy, policy_version, created_at)
             VALUES ('pp-old', 'Old', 1, 5, '{\"default_fee\":9900,\"per_category\":{}}', 1, '2026-11-01T00:00:00.000Z');
         INSERT INTO devices (id, pickup_point_id, name, secret_sha256, last_seq, created_at)
             VALUES ('dev-1', 'pp-old', 'Касса', 'hash', 1, 'then');
         INSERT INTO buyers (id, full_name) VALUES ('b-1', 'Анна Кузнецова');
         INSERT INTO sellers (id, name) VALUES ('s-1', 'Продавец');
         INSERT INTO orders (id, pickup_point_id, short_code, buyer_id, status, issued_at, version, created_at)
             VALUES ('waiting', 'pp-old', '123456', 'b-1', 'ready', NULL, 3, '2026-11-20T08:00:00.000Z'),
                    ('issued', 'pp-old', '654321', 'b-1', 'issued', 'then', 4, '2026-11-19T08:00:00.000Z');
         INSERT INTO order_items (id, order_id, position, seller_id, name, variant, cell, price, prepaid, category)
             VALUES ('waiting-1', 'waiting', 0, 's-1', 'Платье', 'M', 'A-1', 100000, 0, 'clothes'),
                    ('issued-1', 'issued', 0, 's-1', 'Шарф', '-', 'A-2', 50000, 0, 'clothes');
         INSERT INTO ops (device_id, seq, op_id, pickup_point_id, kind, body, created_at, received_at, status)
             VALUES ('dev-1', 1, 'op-1', 'pp-old', 'issue_opened', '{\"type\":\"issue_opened\",\"order_id\":\"waiting\"}',
                     'then', 'then', 'applied');",
    )
    .expect("data of the release before receiving");
    migrations().to_latest(conn.as_sqlite_mut().expect("a SQLite connection")).expect("migration 0005 applies on top");

    let point = PickupPointId::parse("pp-old").expect("id");
    let listed = ops::list_ops(&conn, &point, 10).expect("the audit reads old ops");
    assert_eq!(
        listed.iter().map(|o| (o.op_id.as_str(), o.operator.as_deref(), o.status.as_str())).collect::<Vec<_>>(),
        [("op-1", None, "applied")],
        "an old op keeps its outcome and has no operator"
    );
    let page = feed::pull_page(&conn, &point, Some(feed::Cursor { epoch: 1, version: 5 }), 100).expect("pull");
    let orders: Vec<(String, Option<String>)> = page
        .changes
        .iter()
        .filter_map(|c| match c {
            pvz_protocol::Change::UpsertOrder(o) => Some((o.order_id.to_string(), o.arrived_at.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        orders,
        [("waiting".to_owned(), Some("2026-11-20T08:00:00.000Z".to_owned()))],
        "a kiosk at the old head pulls the waiting order again, arrived when it was added; the issued one stays put"
    );
    assert_eq!(page.changes.len(), 1, "and nothing else (no storage policy or cells were set): {:?}", page.changes);
    assert_eq!(points::get_storage_policy(&conn, &point).expect("read"), None, "no storage policy until one is set");
    let issued: Option<String> =
        conn.query_row("SELECT arrived_at FROM orders WHERE id = 'issued'", [], |r| r.get(0)).expect("issued order");
    assert_eq!(issued.as_deref(), Some("2026-11-19T08:00:00.000Z"), "an issued order's arrival is kept for history");
    let leftover: i64 = conn
        .query_row("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE '%restamp%'", [], |r| r.get(0))
        .expect("schema");
    assert_eq!(leftover, 0, "the migration's working table is gone");
}

#[test]
fn a_database_from_before_receiving_sends_its_working_managers_again_with_their_pin_hashes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut conn = release_4_database(dir.path());
    // Versions as release 4 stamped them: every employee and the waiting order at or below the head (6).
    conn.execute_batch(
        "INSERT INTO pickup_points (id, name, epoch, version, fee_policy, policy_version, created_at)
             VALUES ('pp-old', 'Old', 1, 6, '{\"default_fee\":9900,\"per_category\":{}}', 1, '2026-11-01T00:00:00.000Z');
         INSERT INTO employees (id, pickup_point_id, name, role, pin_hash, created_at, retired_at, version)
             VALUES ('mgr-anna', 'pp-old', 'Анна', 'manager', '$argon2id$v=19$m=19456,t=2,p=1$YW5uYQ$aGFzaA', 'then', NULL, 2),
                    ('mgr-gone', 'pp-old', 'Олег', 'manager', '$argon2id$v=19$m=19456,t=2,p=1$b2xlZw$aGFzaA', 'then', 'later', 3),
                    ('cour-1', 'pp-old', 'Курьер', 'courier', '$argon2id$v=19$m=19456,t=2,p=1$Y291cg$aGFzaA', 'then', NULL, 4);
         INSERT INTO buyers (id, full_name) VALUES ('b-1', 'Анна Кузнецова');
         INSERT INTO orders (id, pickup_point_id, short_code, buyer_id, status, issued_at, version, created_at)
             VALUES ('waiting', 'pp-old', '123456', 'b-1', 'ready', NULL, 5, '2026-11-20T08:00:00.000Z');",
    )
    .expect("data of the release before receiving");
    migrations().to_latest(conn.as_sqlite_mut().expect("a SQLite connection")).expect("migration 0005 applies on top");

    let point = PickupPointId::parse("pp-old").expect("id");
    let page = feed::pull_page(&conn, &point, Some(feed::Cursor { epoch: 1, version: 6 }), 100).expect("pull");
    let employees: Vec<(String, Option<String>)> = page
        .changes
        .iter()
        .filter_map(|c| match c {
            pvz_protocol::Change::UpsertEmployee(e) => Some((e.employee_id.to_string(), e.pin_hash.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        employees,
        [("mgr-anna".to_owned(), Some("$argon2id$v=19$m=19456,t=2,p=1$YW5uYQ$aGFzaA".to_owned()))],
        "a kiosk at the old head pulls the working manager again with the PIN hash; a retired manager and a \
         courier (whose hashes never leave the server) stay put"
    );
    assert_eq!(page.changes.len(), 2, "beside the waiting order, and nothing else: {:?}", page.changes);
    assert_eq!(page.cursor, "1.8", "the head moved on by one order and one manager, each at a version of its own");
    assert!(!page.has_more, "all on one page");
    let again = feed::pull_page(&conn, &point, Some(feed::Cursor { epoch: 1, version: 8 }), 100).expect("pull");
    assert!(again.changes.is_empty(), "the new head has nothing after it: {:?}", again.changes);
    let leftover: i64 = conn
        .query_row("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE '%restamp%'", [], |r| r.get(0))
        .expect("schema");
    assert_eq!(leftover, 0, "the migration's working tables are gone");
}

/// A database of the release before the claim service (migrations 0001–0009) that has money and a
/// claim: its ledger is rebuilt with event keys and keeps every entry, and its claim gets the two
/// state fields and its route.
#[test]
fn a_database_with_money_and_claims_keeps_them_through_the_claim_service_migration() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut conn = open(&dir.path().join(DB_FILE)).expect("open");
    released_migrations(9).to_latest(conn.as_sqlite_mut().expect("a SQLite connection")).expect("release 9");
    conn.execute_batch(
        "INSERT INTO pickup_points (id, name, epoch, version, fee_policy, policy_version, created_at)
             VALUES ('pp-old', 'Old', 1, 5, '{\"default_fee\":9900,\"per_category\":{}}', 1, '2026-11-01T00:00:00.000Z');
         INSERT INTO buyers (id, full_name) VALUES ('b-1', 'Анна Кузнецова');
         INSERT INTO sellers (id, name) VALUES ('s-1', 'Продавец');
         INSERT INTO orders (id, pickup_point_id, short_code, buyer_id, status, issued_at, version, created_at)
             VALUES ('sold', 'pp-old', '654321', 'b-1', 'issued', '2026-11-19T08:00:00.000Z', 4, '2026-11-18T08:00:00.000Z');
         INSERT INTO order_items (id, order_id, position, seller_id, name, variant, cell, price, prepaid, category)
             VALUES ('sold-1', 'sold', 0, 's-1', 'Шарф', '-', 'A-2', 50000, 0, 'clothes');
         INSERT INTO ledger_transactions (id, op_id, kind, pickup_point_id, created_at)
             VALUES ('tx-1', 'op-1', 'issue_completed', 'pp-old', '2026-11-19T08:00:00.000Z');
         INSERT INTO ledger_entries (transaction_id, line, account, amount)
             VALUES ('tx-1', 1, 'buyer:b-1', -50000), ('tx-1', 2, 'seller:s-1', 50000);
         INSERT INTO claims (id, order_id, item_id, pickup_point_id, seller_id, buyer_id, state, description,
                             compensation, return_code, created_at)
             VALUES ('clm-old', 'sold', 'sold-1', 'pp-old', 's-1', 'b-1', 'approved', 'брак',
                     '{\"kind\":\"refund\",\"amount\":50000}', 'PVZC1.old', '2026-11-20T08:00:00.000Z');",
    )
    .expect("data of release 9");
    migrations().to_latest(conn.as_sqlite_mut().expect("a SQLite connection")).expect("migration 0010 applies on top");

    let entries: Vec<(String, i64)> = conn
        .prepare("SELECT account, amount FROM ledger_entries WHERE transaction_id = 'tx-1' ORDER BY line")
        .expect("prepare")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("entries")
        .collect::<crate::db::sql::SqlResult<_>>()
        .expect("rows");
    assert_eq!(entries, [("buyer:b-1".to_owned(), -50000), ("seller:s-1".to_owned(), 50000)], "every entry is kept");
    let key: String =
        conn.query_row("SELECT event_key FROM ledger_transactions WHERE id = 'tx-1'", [], |r| r.get(0)).expect("key");
    assert_eq!(key, "op:op-1", "an op's transaction is keyed by its op");
    let report = ledger::check_ledger(&conn).expect("ledger check");
    assert!(report.problems.is_empty(), "the rebuilt ledger checks out: {:?}", report.problems);
    let claim = claims::get_claim(&conn, &pvz_domain::ClaimId::parse("clm-old").expect("id")).expect("read");
    let claim = claim.expect("the claim is kept");
    assert_eq!(
        (claim.decision, claim.item_fate, claim.route),
        (
            pvz_domain::ClaimDecision::Approved,
            pvz_domain::ItemFate::ToPickupPoint,
            Some(pvz_domain::ReturnRoute::PickupPoint)
        ),
        "an approved refund of before waits for its item at a pickup point"
    );
    let leftover: i64 = conn
        .query_row("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE '%_kept' OR name LIKE '%_next'", [], |r| {
            r.get(0)
        })
        .expect("schema");
    assert_eq!(leftover, 0, "the migration's working tables are gone");
}
