//! The kiosk's local SQLite store. Nobody outside this module sees a connection or a lock:
//! callers get `with_conn` for reads and `with_tx` for writes, each write one transaction.

pub mod backup;
pub(crate) mod box_handovers;
pub(crate) mod cell_placements;
pub(crate) mod cells;
mod checkpoint;
pub(crate) mod claim_photos;
pub(crate) mod claim_returns;
pub(crate) mod decisions;
pub(crate) mod diagnostics;
pub(crate) mod employees;
pub(crate) mod hand_back_items;
pub(crate) mod hand_back_lines;
pub(crate) mod hand_backs;
pub(crate) mod issues;
pub(crate) mod item_audit;
pub(crate) mod item_facts;
pub(crate) mod op_records;
pub(crate) mod orders;
pub(crate) mod outbox;
pub(crate) mod photo_uploads;
pub(crate) mod photos;
pub(crate) mod receiving_items;
pub(crate) mod receiving_photos;
pub(crate) mod receiving_unexpected;
pub(crate) mod receivings;
pub(crate) mod return_boxes;
pub(crate) mod return_items;
pub(crate) mod scan_log;
pub(crate) mod scanned_marks;
pub(crate) mod server_keys;
pub(crate) mod settings;
pub(crate) mod shelf;
pub(crate) mod shelf_screen;
pub(crate) mod shifts;
pub(crate) mod shipments;
pub(crate) mod staff_session;
pub(crate) mod storage_policy;
pub(crate) mod sync_settings;

pub use decisions::DecisionRow;
pub use issues::IssueRow;
pub use orders::{ItemRef, ItemRow, OrderRow};
pub use outbox::{Acknowledgement, Attention, OutboxEntry, PendingOp, RejectedOp};
pub use settings::CounterState;
pub use sync_settings::SyncSettingsRow;

use rusqlite::{Connection, TransactionBehavior};

/// A stored value that no longer parses (a damaged or hand-edited store), as a row-reading error.
pub(crate) fn corrupt(e: impl ToString) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.to_string().into())
}
use rusqlite_migration::{Migrations, M};
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

/// Append-only migrations, applied in one transaction at start-up.
fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("../../migrations/20261126_0001_initial.sql")),
        M::up(include_str!("../../migrations/20261126_0002_defect_photos.sql")),
        M::up(include_str!("../../migrations/20261127_0003_sync.sql")),
        M::up(include_str!("../../migrations/20261128_0004_order_cancellations.sql")),
        M::up(include_str!("../../migrations/20261129_0005_attention_acknowledged.sql")),
        M::up(include_str!("../../migrations/20261130_0006_returns.sql")),
        M::up(include_str!("../../migrations/20261201_0007_staff_and_audit.sql")),
        M::up(include_str!("../../migrations/20261202_0008_receiving.sql")),
        M::up(include_str!("../../migrations/20261203_0009_shelf_indexes.sql")),
        M::up(include_str!("../../migrations/20261204_0010_staff_login_enabled.sql")),
        M::up(include_str!("../../migrations/20261205_0011_attention_acknowledged_by.sql")),
        M::up(include_str!("../../migrations/20261206_0012_badge_serial.sql")),
        M::up(include_str!("../../migrations/20261207_0013_not_arrived_decision.sql")),
        M::up(include_str!("../../migrations/20261208_0014_server_keys.sql")),
        M::up(include_str!("../../migrations/20261209_0015_claim_server_word.sql")),
        M::up(include_str!("../../migrations/20261210_0016_enrollment_generation.sql")),
        M::up(include_str!("../../migrations/20261211_0017_claim_return_code.sql")),
        M::up(include_str!("../../migrations/20261212_0018_photo_uploads.sql")),
        M::up(include_str!("../../migrations/20261213_0019_item_gtin.sql")),
    ])
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("database migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// The copy taken before a new release's migrations could not be written: the store is left
    /// as it was, unmigrated.
    #[error("the store could not be backed up before its update, so it was not migrated: {0}")]
    Backup(String),
    /// An op past its bounds (a text or a list too long) is not queued: the kiosk tells the manager.
    #[error(transparent)]
    OutOfBounds(#[from] pvz_protocol::bounds::BoundsError),
}

pub struct Store {
    conn: Mutex<Connection>,
    /// Checkpoints the WAL in the counter's pauses (None for a store not in WAL mode).
    checkpointer: Option<checkpoint::Checkpointer>,
}

impl Store {
    /// Opens (creating if needed) the store file and brings its schema up to date, backing it up
    /// first when a new release has migrations to run on it (see [`backup`]).
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // A confirmed payment must survive a power cut: FULL syncs the WAL on every commit.
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let migrations = migrations();
        backup::before_migrations(&conn, path, &migrations)?;
        migrations.to_latest(&mut conn)?;
        let journal: String = conn.pragma_query_value(None, "journal_mode", |row| row.get(0))?;
        let checkpointer = if journal.eq_ignore_ascii_case("wal") {
            // The counter's commits never checkpoint; see `checkpoint`.
            conn.pragma_update(None, "wal_autocheckpoint", 0)?;
            Some(checkpoint::Checkpointer::start(path)?)
        } else {
            None
        };
        Ok(Store { conn: Mutex::new(conn), checkpointer })
    }

    fn committed(&self) {
        if let Some(checkpointer) = &self.checkpointer {
            checkpointer.committed();
        }
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite consistent (the transaction rolls back).
        self.conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `f` on the store as it is now (reads; a write outside a transaction commits at once).
    pub fn with_conn<T, E: From<StoreError>>(&self, f: impl FnOnce(&Db<'_>) -> Result<T, E>) -> Result<T, E> {
        let conn = self.lock();
        let changes = conn.total_changes();
        let result = f(&Db(&conn));
        let wrote = conn.total_changes() != changes;
        drop(conn);
        if wrote {
            self.committed();
        }
        result
    }

    /// Runs `f` in one IMMEDIATE transaction: committed if `f` returns Ok, rolled back otherwise.
    pub fn with_tx<T, E: From<StoreError>>(&self, f: impl FnOnce(&Db<'_>) -> Result<T, E>) -> Result<T, E> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(StoreError::from)?;
        let value = f(&Db(&tx))?;
        tx.commit().map_err(StoreError::from)?;
        drop(conn);
        self.committed();
        Ok(value)
    }
}

/// The store as a flow holds it for one call: inside `with_tx`, one write transaction; inside
/// `with_conn`, a read. Flows hand it to the table modules here and run no SQL of their own (the
/// test script checks that nothing outside `store/` names `rusqlite` or runs a statement); the
/// table modules reach the connection through `Deref`.
pub struct Db<'c>(&'c Connection);

impl std::ops::Deref for Db<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid_and_apply_to_an_empty_database() {
        assert!(migrations().validate().is_ok(), "every migration must apply cleanly to an empty database");
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("kiosk.sqlite3")).expect("a fresh store opens");
        let tables: i64 = store
            .with_conn(|c| {
                c.query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'outbox'", [], |r| {
                    r.get(0)
                })
                .map_err(StoreError::from)
            })
            .expect("query");
        assert_eq!(tables, 1, "the outbox table exists after migrating");
    }

    #[test]
    fn a_store_of_the_first_schema_upgrades_with_its_data() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("kiosk.sqlite3");
        {
            let mut conn = Connection::open(&path).expect("open");
            migrations().to_version(&mut conn, 1).expect("the first schema applies");
            conn.execute_batch(
                "INSERT INTO outbox (seq, op_id, kind, payload, created_at) VALUES (1, 'op-1', 'issue_opened', '{}', 'now');",
            )
            .expect("write with the first schema");
        }
        let store = Store::open(&path).expect("opening upgrades to the latest schema");
        let (ops, photos): (i64, i64) = store
            .with_conn(|c| {
                c.query_row("SELECT (SELECT count(*) FROM outbox), (SELECT count(*) FROM defect_photos)", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .map_err(StoreError::from)
            })
            .expect("query");
        assert_eq!((ops, photos), (1, 0), "the outbox row survives and the photo table is added");
    }

    #[test]
    fn a_store_of_the_previous_schema_upgrades_to_sync_with_its_ops_pending() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("kiosk.sqlite3");
        {
            let mut conn = Connection::open(&path).expect("open");
            migrations().to_version(&mut conn, 2).expect("the photo schema applies");
            conn.execute_batch(
                "INSERT INTO outbox (seq, op_id, kind, payload, created_at) VALUES (1, 'op-1', 'issue_opened', '{}', 'now');",
            )
            .expect("write with the previous schema");
        }
        let store = Store::open(&path).expect("opening upgrades to the latest schema");
        let (state, code, synced, url): (String, Option<String>, Option<String>, Option<String>) = store
            .with_conn(|c| {
                c.query_row(
                    "SELECT state, reject_code, synced_at, (SELECT server_url FROM sync_settings) FROM outbox",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .map_err(StoreError::from)
            })
            .expect("query");
        assert_eq!(state, "pending", "an op written before the upgrade still waits to be pushed");
        assert_eq!((code, synced), (None, None), "it has no sync result yet");
        assert_eq!(url, None, "the upgraded kiosk has no server until it enrolls with one");
    }

    #[test]
    fn a_store_of_the_sync_schema_upgrades_with_its_orders_not_cancelled() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("kiosk.sqlite3");
        {
            let mut conn = Connection::open(&path).expect("open");
            migrations().to_version(&mut conn, 3).expect("the sync schema applies");
            conn.execute_batch(
                "INSERT INTO orders (order_id, pickup_point_id, short_code, buyer, server_status)
                 VALUES ('ord-1', 'pp-1', '123456', 'Анна К.', 'ready');",
            )
            .expect("write with the previous schema");
        }
        let store = Store::open(&path).expect("opening upgrades to the latest schema");
        let cancelled: i64 = store
            .with_conn(|c| {
                c.query_row("SELECT cancelled FROM orders WHERE order_id = 'ord-1'", [], |r| r.get(0))
                    .map_err(StoreError::from)
            })
            .expect("query");
        assert_eq!(cancelled, 0, "an order cached before the upgrade is still waiting, not cancelled");
    }

    #[test]
    fn a_store_of_the_cancellation_schema_upgrades_with_its_rejections_still_needing_attention() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("kiosk.sqlite3");
        {
            let mut conn = Connection::open(&path).expect("open");
            migrations().to_version(&mut conn, 4).expect("the cancellation schema applies");
            conn.execute_batch(
                "INSERT INTO outbox (seq, op_id, kind, payload, created_at, state, reject_code, reject_message)
                 VALUES (1, 'op-1', 'issue_opened', '{\"type\":\"issue_opened\",\"order_id\":\"ord-1\"}', 'now',
                         'rejected', 'order_closed', 'issued elsewhere');",
            )
            .expect("write with the previous schema");
        }
        let store = Store::open(&path).expect("opening upgrades to the latest schema");
        let attention = store.with_conn(|c| outbox::list_attention(c, 50)).expect("attention");
        assert_eq!(attention.total, 1, "a rejection from before the upgrade is not acknowledged");
        assert_eq!(attention.newest[0].code, "order_closed", "and keeps the server's reason");
    }

    #[test]
    fn a_store_of_the_attention_schema_upgrades_with_its_screen_and_ops_and_nothing_to_return() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("kiosk.sqlite3");
        {
            let mut conn = Connection::open(&path).expect("open");
            migrations().to_version(&mut conn, 5).expect("the attention schema applies");
            conn.execute_batch(
                "INSERT INTO outbox (seq, op_id, kind, payload, created_at) VALUES (1, 'op-1', 'issue_opened', '{}', 'now');
                 UPDATE counter_state SET active_order_id = 'ord-1';",
            )
            .expect("write with the previous schema");
        }
        let store = Store::open(&path).expect("opening upgrades to the latest schema");
        let state = store.with_conn(|db| settings::get_counter_state(db)).expect("counter state");
        assert_eq!(state.active_order.as_ref().map(|o| o.as_str()), Some("ord-1"), "the order card stays on screen");
        assert!(
            state.claim.is_none() && state.hand_back.is_none() && !state.returns_open,
            "no returns work is on the counter after the upgrade: {state:?}"
        );
        let (ops, units, employees): (i64, i64, i64) = store
            .with_conn(|c| {
                c.query_row(
                    "SELECT (SELECT count(*) FROM outbox), (SELECT count(*) FROM return_items),
                            (SELECT count(*) FROM employees)",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .map_err(StoreError::from)
            })
            .expect("query");
        assert_eq!((ops, units, employees), (1, 0, 0), "the op survives; the returns tables start empty");
    }

    #[test]
    fn only_one_return_box_is_open_at_a_time() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("kiosk.sqlite3")).expect("open");
        let second = store.with_tx(|tx| {
            tx.execute("INSERT INTO return_boxes (box_id, created_at) VALUES ('b-1', 't')", [])?;
            tx.execute("INSERT INTO return_boxes (box_id, created_at) VALUES ('b-2', 't')", [])
                .map_err(StoreError::from)
        });
        assert!(second.is_err(), "the schema refuses a second open box: {second:?}");
    }

    #[test]
    fn a_store_of_the_returns_schema_upgrades_with_nobody_logged_in_and_its_ops_without_operator() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("kiosk.sqlite3");
        {
            let mut conn = Connection::open(&path).expect("open");
            migrations().to_version(&mut conn, 6).expect("the returns schema applies");
            conn.execute_batch(
                "INSERT INTO outbox (seq, op_id, kind, payload, created_at) VALUES (1, 'op-1', 'issue_opened', '{}', 'now');
                 INSERT INTO employees (employee_id, name, role) VALUES ('emp-m', 'Мария', 'manager');",
            )
            .expect("write with the previous schema");
        }
        let store = Store::open(&path).expect("opening upgrades to the latest schema");
        let (operator, pin_hash, sessions, shifts, scans): (Option<String>, Option<String>, i64, i64, i64) = store
            .with_conn(|c| {
                c.query_row(
                    "SELECT (SELECT operator FROM outbox), (SELECT pin_hash FROM employees),
                            (SELECT count(*) FROM staff_session), (SELECT count(*) FROM shifts),
                            (SELECT count(*) FROM scan_log)",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                )
                .map_err(StoreError::from)
            })
            .expect("query");
        assert_eq!(operator, None, "an op from before staff login names no operator");
        assert_eq!(pin_hash, None, "a cached manager has no PIN until the feed sends one (login not required)");
        assert_eq!((sessions, shifts, scans), (0, 0, 0), "nobody logged in, no shift, no scans on record");
    }

    #[test]
    fn a_store_of_the_staff_schema_upgrades_with_its_orders_on_the_shelves_and_nothing_received() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("kiosk.sqlite3");
        {
            let mut conn = Connection::open(&path).expect("open");
            migrations().to_version(&mut conn, 7).expect("the staff schema applies");
            conn.execute_batch(
                "INSERT INTO orders (order_id, pickup_point_id, short_code, buyer, server_status)
                 VALUES ('ord-1', 'pp-1', '123456', 'Анна К.', 'ready');
                 INSERT INTO order_items (item_id, order_id, position, name, variant, cell, price_kopecks, prepaid,
                     category, barcode)
                 VALUES ('itm-1', 'ord-1', 0, 'Платье', 'M', 'A-07', 100, 0, 'clothes', '4601234567893');",
            )
            .expect("write with the previous schema");
        }
        let store = Store::open(&path).expect("opening upgrades to the latest schema");
        let (arrived, screens, receivings): (Option<String>, i64, i64) = store
            .with_conn(|c| {
                c.query_row(
                    "SELECT (SELECT arrived_at FROM orders), (SELECT count(*) FROM shelf_screen),
                            (SELECT count(*) FROM receivings)",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .map_err(StoreError::from)
            })
            .expect("query");
        assert_eq!((arrived, screens, receivings), (None, 1, 0), "no arrival known, the shelf screen is empty");
        let placed = store.with_conn(|db| shelf::list_placed_items(db)).expect("shelf");
        assert_eq!(placed.len(), 1, "an order cached before the upgrade is on the shelf (no shipment to wait for)");
        assert_eq!(placed[0].cell, "A-07", "in its cached cell");
        let policy = store.with_conn(|db| storage_policy::get_storage_policy(db)).expect("policy");
        assert!(policy.is_none(), "no storage policy until the feed sends one");
    }

    #[test]
    fn a_store_of_the_shelf_schema_upgrades_with_staff_login_on_where_it_was_in_use() {
        let upgraded = |setup: &str| -> bool {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("kiosk.sqlite3");
            {
                let mut conn = Connection::open(&path).expect("open");
                migrations().to_version(&mut conn, 9).expect("the shelf schema applies");
                conn.execute_batch(setup).expect("write with the previous schema");
            }
            let store = Store::open(&path).expect("opening upgrades to the latest schema");
            store.with_conn(|db| staff_session::is_login_enabled(db)).expect("the flag reads")
        };
        assert!(!upgraded(""), "a kiosk that never cached a manager with a PIN works without login");
        assert!(
            !upgraded("INSERT INTO employees (employee_id, name, role) VALUES ('emp-m', 'Мария', 'manager');"),
            "a manager without a PIN does not switch login on"
        );
        assert!(
            upgraded(
                "INSERT INTO employees (employee_id, name, role, pin_hash) VALUES ('emp-a', 'Анна', 'manager', 'h');"
            ),
            "a cached manager with a PIN: login stays required"
        );
        assert!(
            upgraded(
                "INSERT INTO staff_session (id, manager_id, logged_in_at, last_activity) VALUES (1, 'emp-a', 't', 0);"
            ),
            "someone logged in while the cache was mid-reset: login stays required"
        );
        assert!(
            upgraded(
                "INSERT INTO outbox (seq, op_id, kind, payload, created_at, operator)
                 VALUES (1, 'op-1', 'issue_opened', '{}', 'now', 'emp-a');"
            ),
            "an op named its operator: login was in use"
        );
    }

    #[test]
    fn a_store_of_the_badge_schema_upgrades_with_its_decisions_and_takes_not_arrived() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("kiosk.sqlite3");
        {
            let mut conn = Connection::open(&path).expect("open");
            migrations().to_version(&mut conn, 12).expect("the badge schema applies");
            conn.execute_batch(
                "INSERT INTO item_decisions (item_id, order_id, decision, decided_at) VALUES ('i-1', 'o-1', 'hand_over', 't1');
                 INSERT INTO item_decisions (item_id, order_id, decision, refusal_reason, refusal_description,
                     fee_kopecks, fee_rule, decided_at)
                 VALUES ('i-2', 'o-1', 'refuse', 'defect', 'дыра', 0, 'defect_free', 't2');",
            )
            .expect("decisions written with the previous schema");
        }
        let store = Store::open(&path).expect("opening upgrades to the latest schema");
        let order = pvz_domain::OrderId::parse("o-1").expect("id");
        let before = store.with_conn(|c| decisions::list_decisions(c, &order)).expect("decisions read");
        let mut kept: Vec<(String, pvz_protocol::ItemDecision)> =
            before.into_iter().map(|d| (d.item_id, d.decision)).collect();
        kept.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            kept,
            vec![
                ("i-1".to_owned(), pvz_protocol::ItemDecision::HandOver),
                (
                    "i-2".to_owned(),
                    pvz_protocol::ItemDecision::Refuse {
                        reason: pvz_domain::RefusalReason::Defect,
                        description: Some("дыра".into())
                    }
                ),
            ],
            "the decisions of an order open at the counter survive the table's rebuild"
        );
        store
            .with_tx(|tx| {
                let item = pvz_domain::ItemId::parse("i-3").expect("id");
                decisions::set_decision(tx, &order, &item, &pvz_protocol::ItemDecision::NotArrived, None, "t3")
            })
            .expect("the rebuilt table takes a not_arrived decision");
    }

    #[test]
    fn a_claim_draft_of_the_server_keys_schema_upgrades_as_a_first_code_with_its_servers_state() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("kiosk.sqlite3");
        {
            let mut conn = Connection::open(&path).expect("open");
            migrations().to_version(&mut conn, 14).expect("the server keys schema applies");
            conn.execute_batch(
                "INSERT INTO claim_returns (claim_id, order_id, item_id, item_name, compensation, amount_kopecks,
                     expires_at, opened_at, server_state, server_reason, status_checked_at)
                 VALUES ('cl-1', 'o-1', 'i-1', 'Куртка', 'refund', 100, '2026-12-20T10:00:00.000Z',
                     '2026-12-06T10:00:00.000Z', 'revoked', 'отозвана', '2026-12-06T10:00:01.000Z');",
            )
            .expect("a draft written with the previous schema");
        }
        let store = Store::open(&path).expect("opening upgrades to the latest schema");
        let claim_id = pvz_domain::ClaimId::parse("cl-1").expect("id");
        let draft = store
            .with_conn(|c| claim_returns::get_claim_return(c, &claim_id))
            .expect("read")
            .expect("the draft is still there");
        assert_eq!(draft.code_issue, 1, "a code scanned before route changes existed was the claim's first");
        let word = draft.server.expect("the server's word is kept");
        assert_eq!(word.state, pvz_domain::ClaimState::Revoked, "the state as the server said");
        assert_eq!(word.decision, pvz_domain::ClaimDecision::Revoked, "the decision follows from the state");
        assert_eq!((word.route, word.return_deadline), (None, None), "no route or deadline was said then");
        assert_eq!(word.code_issue, 1, "nor a newer code");
    }

    #[test]
    fn items_cached_before_marking_codes_get_the_gtin_of_their_mark_or_barcode() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("kiosk.sqlite3");
        {
            let mut conn = Connection::open(&path).expect("open");
            migrations().to_version(&mut conn, 18).expect("the schema before marking codes applies");
            conn.execute_batch(
                "INSERT INTO orders (order_id, pickup_point_id, short_code, buyer, server_status)
                     VALUES ('o1', 'pp', '123456', 'Б.', 'ready');
                 INSERT INTO order_items (item_id, order_id, position, name, variant, cell, price_kopecks, prepaid,
                     category, barcode, mark) VALUES
                     ('ean13', 'o1', 0, 'x', '', '', 1, 0, 'c', '4601234567893', NULL),
                     ('ean8', 'o1', 1, 'x', '', '', 1, 0, 'c', '96385074', NULL),
                     ('upca', 'o1', 2, 'x', '', '', 1, 0, 'c', '036000291452', NULL),
                     ('marked', 'o1', 3, 'x', '', '', 1, 0, 'c', 'WB-SKU-1', '04607001770015PERFUME000001'),
                     ('sku', 'o1', 4, 'x', '', '', 1, 0, 'c', 'WB-SKU-000123', NULL);",
            )
            .expect("items cached with the previous schema");
        }
        let store = Store::open(&path).expect("opening upgrades to the latest schema");
        let gtins: Vec<(String, Option<String>)> = store
            .with_conn(|c| {
                let mut stmt = c.prepare("SELECT item_id, gtin FROM order_items ORDER BY position")?;
                let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
                rows.collect::<Result<_, _>>().map_err(StoreError::from)
            })
            .expect("read");
        let expected = [
            ("ean13", Some("04601234567893")),
            ("ean8", Some("00000096385074")),
            ("upca", Some("00036000291452")),
            ("marked", Some("04607001770015")),
            ("sku", None),
        ];
        let expected: Vec<(String, Option<String>)> =
            expected.iter().map(|(id, gtin)| ((*id).to_owned(), gtin.map(str::to_owned))).collect();
        assert_eq!(gtins, expected, "each cached item is found by the GTIN-14 of its mark, else of its barcode");
    }

    #[test]
    fn reopening_a_migrated_store_keeps_its_data() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("kiosk.sqlite3");
        {
            let store = Store::open(&path).expect("open");
            store
                .with_tx(|tx| {
                    tx.execute("INSERT INTO fee_policy (category, fee_kopecks) VALUES ('', 100)", [])
                        .map_err(StoreError::from)
                })
                .expect("write");
        }
        let store = Store::open(&path).expect("reopen runs migrations again without harm");
        let fee: i64 = store
            .with_conn(|c| {
                c.query_row("SELECT fee_kopecks FROM fee_policy", [], |r| r.get(0)).map_err(StoreError::from)
            })
            .expect("read");
        assert_eq!(fee, 100, "data written before the restart is still there");
    }
}
