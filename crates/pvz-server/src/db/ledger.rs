//! `ledger_transactions` and `ledger_entries`: the double-entry ledger. One transaction per money
//! effect of an event, entries summing to zero. Every transaction has a unique event key (`op:<op id>`
//! for a counter op; a claim's decision or the seller's receipt has its own), so a retry can never
//! post twice.

use crate::db::sql::{params, Connection};
use crate::error::Result;
use crate::rules::{Posting, KIND_UNRECONCILED_CASH, NETWORK_UNRECONCILED};
use pvz_domain::{Kopecks, PickupPointId};
use serde::Serialize;

pub fn post_transaction(
    conn: &Connection,
    op_id: &str,
    kind: &str,
    point: &PickupPointId,
    postings: &[Posting],
    now: &str,
) -> Result<()> {
    let id = uuid::Uuid::now_v7().to_string();
    conn.prepare_cached(
        "INSERT INTO ledger_transactions (id, op_id, event_key, kind, pickup_point_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![id, op_id, format!("op:{op_id}"), kind, point.as_str(), now])?;
    let mut entry = conn
        .prepare_cached("INSERT INTO ledger_entries (transaction_id, line, account, amount) VALUES (?1, ?2, ?3, ?4)")?;
    for (line, p) in postings.iter().enumerate() {
        entry.execute(params![id, line as i64 + 1, p.account, p.amount.0])?;
    }
    Ok(())
}

/// Posts the transaction of an event that is no counter op (a claim's refund at its decision, or on
/// the seller's receipt), once: an event key posted before posts nothing again. Answers whether it
/// posted. The caller's transaction makes the check and the insert one step; two servers racing on
/// one key meet the key's unique index, and the loser's transaction fails and rolls back whole.
pub fn post_event(
    conn: &Connection,
    event_key: &str,
    kind: &str,
    point: Option<&PickupPointId>,
    postings: &[Posting],
    now: &str,
) -> Result<bool> {
    if postings.is_empty() || event_posted(conn, event_key)? {
        return Ok(false);
    }
    let id = uuid::Uuid::now_v7().to_string();
    conn.prepare_cached(
        "INSERT INTO ledger_transactions (id, op_id, event_key, kind, pickup_point_id, created_at)
         VALUES (?1, NULL, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![id, event_key, kind, point.map(PickupPointId::as_str), now])?;
    let mut entry = conn
        .prepare_cached("INSERT INTO ledger_entries (transaction_id, line, account, amount) VALUES (?1, ?2, ?3, ?4)")?;
    for (line, p) in postings.iter().enumerate() {
        entry.execute(params![id, line as i64 + 1, p.account, p.amount.0])?;
    }
    Ok(true)
}

/// Whether a transaction with this event key was posted.
pub fn event_posted(conn: &Connection, event_key: &str) -> Result<bool> {
    let n: i64 = conn
        .prepare_cached("SELECT COUNT(*) FROM ledger_transactions WHERE event_key = ?1")?
        .query_row([event_key], |r| r.get(0))?;
    Ok(n > 0)
}

/// The entries posted for an event key, in line order; empty when none was posted.
pub fn list_postings_for_event(conn: &Connection, event_key: &str) -> Result<Vec<Posting>> {
    let mut stmt = conn.prepare(
        "SELECT e.account, e.amount FROM ledger_entries e
         JOIN ledger_transactions t ON t.id = e.transaction_id
         WHERE t.event_key = ?1 ORDER BY e.line",
    )?;
    let rows = stmt.query_map([event_key], |r| Ok(Posting { account: r.get(0)?, amount: Kopecks(r.get(1)?) }))?;
    Ok(rows.collect::<crate::db::sql::SqlResult<Vec<_>>>()?)
}

/// The entries posted for an op, in line order; empty when it moved no money.
pub fn list_postings_for_op(conn: &Connection, op_id: &str) -> Result<Vec<Posting>> {
    let mut stmt = conn.prepare(
        "SELECT e.account, e.amount FROM ledger_entries e
         JOIN ledger_transactions t ON t.id = e.transaction_id
         WHERE t.op_id = ?1 ORDER BY t.id, e.line",
    )?;
    let rows = stmt.query_map([op_id], |r| Ok(Posting { account: r.get(0)?, amount: Kopecks(r.get(1)?) }))?;
    Ok(rows.collect::<crate::db::sql::SqlResult<Vec<_>>>()?)
}

/// The kiosk money an op's transaction moved: the sum of its positive entries (zero when it posted
/// nothing). One lookup by the op id's unique index.
pub fn get_op_turnover(conn: &Connection, op_id: &str) -> Result<Kopecks> {
    let sum: i64 = conn
        .prepare_cached(
            "SELECT CAST(COALESCE(SUM(e.amount), 0) AS BIGINT) FROM ledger_entries e
             JOIN ledger_transactions t ON t.id = e.transaction_id
             WHERE t.op_id = ?1 AND e.amount > 0",
        )?
        .query_row([op_id], |r| r.get(0))?;
    Ok(Kopecks(sum))
}

/// Balance of one account over the whole ledger.
pub fn account_balance(conn: &Connection, account: &str) -> Result<Kopecks> {
    let sum: i64 = conn.query_row(
        "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM ledger_entries WHERE account = ?1",
        [account],
        |r| r.get(0),
    )?;
    Ok(Kopecks(sum))
}

/// The result of `ledger check`: empty `problems` means the ledger is sound.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerReport {
    pub transactions: u64,
    pub entries: u64,
    /// Sum of every entry; zero in a sound ledger.
    pub total: i64,
    /// Sum of the positive entries: how much money moved.
    pub turnover: i64,
    /// Cash the counters took for ops the server rejected, held at the points awaiting
    /// reconciliation (minus the balance of `network:unreconciled`).
    pub unreconciled_cash: i64,
    pub problems: Vec<String>,
}

impl LedgerReport {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Verifies the ledger's invariants: each transaction sums to zero, the whole ledger sums to zero,
/// no op id has two transactions, every entry belongs to a transaction, and cash held for
/// reconciliation belongs to an op the server rejected. Reports the cash awaiting reconciliation.
pub fn check_ledger(conn: &Connection) -> Result<LedgerReport> {
    let one = |sql: &str| -> Result<i64> { Ok(conn.query_row(sql, [], |r| r.get::<i64>(0))?) };
    let transactions = one("SELECT COUNT(*) FROM ledger_transactions")?;
    let entries = one("SELECT COUNT(*) FROM ledger_entries")?;
    let total = one("SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM ledger_entries")?;
    let turnover = one("SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM ledger_entries WHERE amount > 0")?;
    let unreconciled = conn.query_row(
        "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM ledger_entries WHERE account = ?1",
        [NETWORK_UNRECONCILED],
        |r| r.get::<i64>(0),
    )?;
    let mut problems = Vec::new();
    if total != 0 {
        problems.push(format!("the whole ledger sums to {total} kopecks, not 0"));
    }
    let mut unbalanced = conn.prepare(
        "SELECT t.id, t.event_key, CAST(SUM(e.amount) AS BIGINT) FROM ledger_transactions t
         JOIN ledger_entries e ON e.transaction_id = t.id
         GROUP BY t.id, t.event_key HAVING SUM(e.amount) <> 0 ORDER BY t.id",
    )?;
    for row in unbalanced.query_map([], |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?, r.get::<i64>(2)?)))? {
        let (id, event, sum) = row?;
        problems.push(format!("transaction {id} ({event}) sums to {sum} kopecks, not 0"));
    }
    let mut doubled = conn.prepare(
        "SELECT op_id, COUNT(*) FROM ledger_transactions WHERE op_id IS NOT NULL
         GROUP BY op_id HAVING COUNT(*) > 1 ORDER BY op_id",
    )?;
    for row in doubled.query_map([], |r| Ok((r.get::<String>(0)?, r.get::<i64>(1)?)))? {
        let (op, n) = row?;
        problems.push(format!("op {op} has {n} ledger transactions"));
    }
    let mut held = conn.prepare(
        "SELECT t.op_id FROM ledger_transactions t LEFT JOIN ops o ON o.op_id = t.op_id
         WHERE t.kind = ?1 AND (o.status IS NULL OR o.status <> 'rejected') ORDER BY t.op_id",
    )?;
    for row in held.query_map([KIND_UNRECONCILED_CASH], |r| r.get::<String>(0))? {
        problems.push(format!("cash is held for reconciliation for op {}, which was not rejected", row?));
    }
    let orphans = one("SELECT COUNT(*) FROM ledger_entries e
         LEFT JOIN ledger_transactions t ON t.id = e.transaction_id WHERE t.id IS NULL")?;
    if orphans > 0 {
        problems.push(format!("{orphans} ledger entries belong to no transaction"));
    }
    Ok(LedgerReport {
        transactions: transactions.max(0) as u64,
        entries: entries.max(0) as u64,
        total,
        turnover,
        unreconciled_cash: unreconciled.checked_neg().unwrap_or(i64::MAX),
        problems,
    })
}

/// One transaction's net effect on an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountLine {
    pub created_at: String,
    pub amount: Kopecks,
    pub kind: String,
    /// `op:<op id>` or the event's own key (`claim:<id>:<event>`).
    pub event_key: String,
    pub op_id: Option<String>,
}

/// The account's transactions, newest first, at most `limit`, each with its entries on this account
/// summed.
pub fn list_account_lines(conn: &Connection, account: &str, limit: u32) -> Result<Vec<AccountLine>> {
    let rows = conn
        .prepare_cached(
            "SELECT t.created_at, CAST(SUM(e.amount) AS BIGINT), t.kind, t.event_key, t.op_id
             FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id
             WHERE e.account = ?1
             GROUP BY t.id, t.created_at, t.kind, t.event_key, t.op_id
             ORDER BY t.created_at DESC, t.id DESC LIMIT ?2",
        )?
        .query_map(params![account, i64::from(limit)], |r| {
            Ok(AccountLine {
                created_at: r.get(0)?,
                amount: Kopecks(r.get(1)?),
                kind: r.get(2)?,
                event_key: r.get(3)?,
                op_id: r.get(4)?,
            })
        })?
        .collect::<crate::db::sql::SqlResult<Vec<_>>>()?;
    Ok(rows)
}
