//! The end state of a chaos run, checked once every process is gone: every op each kiosk committed
//! is in the server's table exactly once with the outcome the kiosk recorded, and nothing else is;
//! outbox seqs have no gaps; an order is issued by at most one applied op and then paid exactly once,
//! a refused issue's cash is posted once as held at the point; the ledger balances (admin API and `pvz-server ledger check`);
//! `PRAGMA integrity_check` is ok on every kiosk store and on the server's SQLite database.

use super::kiosks::KioskProcess;
use super::{Binaries, Figures};
use crate::network::{Network, ORDER_PRICE, POINT};
use pvz_protocol::OpBody;
use pvz_server::db::ops::OpRow;
use pvz_server::db::orders::OrderState;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The point's ops on the server by (device, op id); an error if one is stored twice.
pub fn server_ops(net: &Network) -> Result<BTreeMap<(String, String), OpRow>, String> {
    let rows = net.admin().ops(POINT, u32::MAX).map_err(|e| format!("reading the server's ops: {e}"))?;
    let count = rows.len();
    let by_key: BTreeMap<_, _> =
        rows.into_iter().map(|row| ((row.device_id.clone(), row.op_id.clone()), row)).collect();
    if by_key.len() != count {
        return Err(format!("the server stores {} ops twice", count - by_key.len()));
    }
    Ok(by_key)
}

fn integrity(path: &Path) -> Result<(), String> {
    let conn = rusqlite::Connection::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let verdict: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| format!("integrity_check on {}: {e}", path.display()))?;
    match verdict.as_str() {
        "ok" => Ok(()),
        _ => Err(format!("{} is damaged: {verdict}", path.display())),
    }
}

fn check(holds: bool, what: impl FnOnce() -> String) -> Result<(), String> {
    if holds {
        Ok(())
    } else {
        Err(what())
    }
}

/// Checks the run's end state and fills in its op figures.
pub fn audit(
    net: &Network,
    kiosks: &[KioskProcess],
    binaries: &Binaries,
    orders: u32,
    figures: &mut Figures,
) -> Result<(), String> {
    if net.database_url().is_none() {
        integrity(&net.server_dir().join(pvz_server::db::DB_FILE))?;
    }
    let server = server_ops(net)?;
    let mut sent = BTreeSet::new();
    // Order id -> applied issue_completed op ids, and the refused ones.
    let mut issues: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut refused_issues = Vec::new();
    for kiosk in kiosks {
        integrity(&kiosk.store)?;
        let device = &kiosk.device;
        let states = kiosk.outbox_states()?;
        let bodies = pvz_kiosk_core::Kiosk::open(&kiosk.store)
            .and_then(|k| k.outbox())
            .map_err(|e| format!("kiosk {device}'s outbox: {e}"))?;
        check(states.iter().enumerate().all(|(i, op)| op.seq == i as i64 + 1), || {
            format!("kiosk {device}'s outbox seq has a gap after the kills")
        })?;
        for (op, entry) in states.iter().zip(&bodies) {
            let key = (device.clone(), op.op_id.clone());
            let stored = server.get(&key).ok_or_else(|| {
                format!("op {} (seq {}, {}) of kiosk {device} never reached the server", op.op_id, op.seq, op.kind)
            })?;
            check(stored.seq == op.seq && stored.kind == op.kind, || {
                format!(
                    "op {} is stored as seq {} {}, the kiosk wrote seq {} {}",
                    op.op_id, stored.seq, stored.kind, op.seq, op.kind
                )
            })?;
            check(stored.status == op.state, || {
                format!("op {} is {} on the server but {} at kiosk {device}", op.op_id, stored.status, op.state)
            })?;
            figures.applied += usize::from(op.state == "applied");
            figures.rejected += usize::from(op.state == "rejected");
            if let Some(code) = &stored.reject_code {
                *figures.reject_codes.entry(code.clone()).or_default() += 1;
            }
            if let OpBody::IssueCompleted { order_id, .. } = &entry.body {
                match op.state.as_str() {
                    "applied" => issues.entry(order_id.to_string()).or_default().push(op.op_id.clone()),
                    _ => refused_issues.push(op.op_id.clone()),
                }
            }
            sent.insert(key);
        }
        figures.ops += states.len();
    }
    let extra: Vec<_> = server.keys().filter(|key| !sent.contains(*key)).collect();
    check(extra.is_empty(), || format!("the server holds ops no kiosk wrote: {extra:?}"))?;

    let admin = net.admin();
    for n in 0..orders {
        let order_id = format!("ord-chain-{n}");
        let applied = issues.get(&order_id).map_or(0, Vec::len);
        check(applied <= 1, || format!("order {order_id} was issued by {applied} applied ops"))?;
        let item = admin.item(&format!("itm-chain-{n}")).map_err(|e| e.to_string())?.ok_or("an item is missing")?;
        let issued = item.order_state == OrderState::Issued;
        check(issued == (applied == 1), || {
            format!("order {order_id} is {:?} after {applied} applied issues", item.order_state)
        })?;
    }
    figures.orders_issued = issues.len();
    // An issue the server refused (another kiosk was first) still took the buyer's cash at this
    // counter: it is posted once as cash held at the point, awaiting reconciliation.
    for (op_id, refused) in
        issues.values().flatten().map(|id| (id, false)).chain(refused_issues.iter().map(|id| (id, true)))
    {
        let postings = admin.ledger_for_op(op_id).map_err(|e| e.to_string())?;
        let paid: i64 = postings.iter().map(|p| p.amount.0).filter(|a| *a > 0).sum();
        check(paid == ORDER_PRICE.0, || format!("issue {op_id} is posted {paid} kopecks, not once: {postings:?}"))?;
        let held = postings.iter().any(|p| p.account == pvz_server::rules::NETWORK_UNRECONCILED);
        check(held == refused, || format!("issue {op_id} (refused: {refused}) is posted as {postings:?}"))?;
    }
    let ledger = admin.ledger_check().map_err(|e| e.to_string())?;
    let held = refused_issues.len() as i64 * ORDER_PRICE.0;
    check(
        ledger.transactions as usize == issues.len() + refused_issues.len()
            && ledger.unreconciled_cash == held
            && ledger.is_ok()
            && ledger.total == 0,
        || format!("the ledger is not one clean transaction per issue, {held} kopecks held: {ledger:?}"),
    )?;
    let mut ledger_check = std::process::Command::new(&binaries.server);
    ledger_check.arg("--data-dir").arg(net.server_dir()).args(["ledger", "check"]).env("RUST_LOG", "warn");
    match net.database_url() {
        Some(url) => ledger_check.env("PVZ_SERVER_DATABASE_URL", url),
        None => ledger_check.env_remove("PVZ_SERVER_DATABASE_URL"),
    };
    let out = ledger_check.output().map_err(|e| format!("pvz-server ledger check: {e}"))?;
    check(out.status.success(), || {
        format!(
            "`pvz-server ledger check` finds the ledger unclean: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}
