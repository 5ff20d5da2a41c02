//! What must hold of the files a power cut left, opened as a machine would on boot (the plain unix
//! VFS, no `-shm`): each database intact, the kiosk's outbox holding every step the counter showed
//! done, and the server's ops table every op it acknowledged.

use super::counter::Shown;
use pvz_chain::network::POINT;
use pvz_kiosk_core::Kiosk;
use pvz_server::admin::Admin;
use pvz_server::db::{Database, DB_FILE};
use std::collections::BTreeSet;
use std::path::Path;
use uuid::Uuid;

pub fn integrity(path: &Path) -> String {
    let flags = rusqlite::OpenFlags::default();
    let conn =
        rusqlite::Connection::open_with_flags_and_vfs(path, flags, c"unix").expect("the file opens for checking");
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("integrity_check runs")
}

pub fn server_admin(dir: &Path) -> Admin {
    Admin::open_database(dir, &Database::Sqlite(dir.join(DB_FILE))).expect("an admin opens the server's data dir")
}

/// The kiosk store at `path` after a cut: intact, its outbox without gaps, and every step `shown`
/// in it (the receipts by their exact op ids).
pub fn kiosk_kept_what_it_showed(path: &Path, shown: &Shown, context: &str) {
    assert_eq!(integrity(path), "ok", "the kiosk store is intact after the cut ({context})");
    let kiosk = Kiosk::open(path).expect("the kiosk store opens after the cut");
    let outbox = kiosk.outbox().expect("outbox");
    assert!(
        outbox.iter().enumerate().all(|(i, op)| op.seq == i as i64 + 1),
        "the outbox seq has no gaps after the cut ({context})"
    );
    let kept: BTreeSet<(&str, String)> =
        outbox.iter().filter_map(|op| op.body.point_order().map(|order| (op.body.kind(), order.to_string()))).collect();
    let lost: Vec<_> = shown.steps.iter().filter(|(kind, order)| !kept.contains(&(*kind, order.clone()))).collect();
    assert!(lost.is_empty(), "steps the counter showed done are gone after the cut ({context}): {lost:?}");
    let ids: BTreeSet<Uuid> = outbox.iter().map(|op| op.op_id).collect();
    let lost: Vec<_> = shown.receipts.difference(&ids).collect();
    assert!(lost.is_empty(), "receipts the counter showed are not in its outbox after the cut ({context}): {lost:?}");
}

/// The server's data dir after a cut: intact, every op it acknowledged stored, the ledger balanced.
pub fn server_kept_what_it_acknowledged(dir: &Path, acked: &BTreeSet<Uuid>, context: &str) {
    assert_eq!(integrity(&dir.join(DB_FILE)), "ok", "the server's database is intact after the cut ({context})");
    let admin = server_admin(dir);
    let stored: BTreeSet<Uuid> = admin
        .ops(POINT, 1_000_000)
        .expect("the point's ops")
        .iter()
        .map(|row| Uuid::parse_str(&row.op_id).expect("a stored op id"))
        .collect();
    let lost: Vec<_> = acked.difference(&stored).collect();
    assert!(lost.is_empty(), "ops the server acknowledged are gone after the cut ({context}): {lost:?}");
    let ledger = admin.ledger_check().expect("ledger check");
    assert!(ledger.is_ok() && ledger.total == 0, "the ledger balances after the cut ({context}): {ledger:?}");
}
