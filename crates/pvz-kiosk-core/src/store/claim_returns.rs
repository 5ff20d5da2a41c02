//! Claim returns worked on at this counter: the draft on the counter (as the signed code stated it,
//! the server's last word on it, the check and the condition) and, once accepted, its returned unit
//! and op. An accepted row is never changed again.

use super::{corrupt, StoreError};
use pvz_domain::{ClaimId, ClaimState, CompensationKind, ItemId, Kopecks, OrderId, ReturnId};
use rusqlite::{params, Connection, OptionalExtension, Row};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimReturnRow {
    pub claim_id: ClaimId,
    pub order_id: OrderId,
    pub item_id: ItemId,
    pub item_name: String,
    pub barcode: Option<String>,
    pub compensation: CompensationKind,
    pub amount: Kopecks,
    /// RFC 3339, from the code.
    pub expires_at: String,
    pub opened_at: String,
    pub server_state: Option<ClaimState>,
    pub server_reason: Option<String>,
    pub status_checked_at: Option<String>,
    pub item_checked: bool,
    pub condition: String,
    pub accepted_at: Option<String>,
    pub return_id: Option<ReturnId>,
    pub op_id: Option<String>,
}

const COLUMNS: &str = "claim_id, order_id, item_id, item_name, barcode, compensation, amount_kopecks, expires_at,
    opened_at, server_state, server_reason, status_checked_at, item_checked, condition, accepted_at, return_id, op_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<ClaimReturnRow> {
    let compensation: String = r.get(5)?;
    let state: Option<String> = r.get(9)?;
    Ok(ClaimReturnRow {
        claim_id: ClaimId::parse(&r.get::<_, String>(0)?).map_err(corrupt)?,
        order_id: OrderId::parse(&r.get::<_, String>(1)?).map_err(corrupt)?,
        item_id: ItemId::parse(&r.get::<_, String>(2)?).map_err(corrupt)?,
        item_name: r.get(3)?,
        barcode: r.get(4)?,
        compensation: CompensationKind::parse(&compensation)
            .ok_or_else(|| corrupt(format!("compensation {compensation:?}")))?,
        amount: Kopecks(r.get(6)?),
        expires_at: r.get(7)?,
        opened_at: r.get(8)?,
        server_state: state
            .map(|s| ClaimState::parse(&s).ok_or_else(|| corrupt(format!("claim state {s:?}"))))
            .transpose()?,
        server_reason: r.get(10)?,
        status_checked_at: r.get(11)?,
        item_checked: r.get(12)?,
        condition: r.get(13)?,
        accepted_at: r.get(14)?,
        return_id: r.get::<_, Option<String>>(15)?.map(|s| ReturnId::parse(&s).map_err(corrupt)).transpose()?,
        op_id: r.get(16)?,
    })
}

pub fn get_claim_return(conn: &Connection, claim_id: &ClaimId) -> Result<Option<ClaimReturnRow>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM claim_returns WHERE claim_id = ?1"))?;
    Ok(stmt.query_row([claim_id.as_str()], from_row).optional()?)
}

/// The accepted claim return whose returned unit is `return_id`.
pub fn find_claim_return_by_return_id(
    conn: &Connection,
    return_id: &ReturnId,
) -> Result<Option<ClaimReturnRow>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM claim_returns WHERE return_id = ?1"))?;
    Ok(stmt.query_row([return_id.as_str()], from_row).optional()?)
}

/// Starts a draft for a scanned code; a draft of the same claim already there is kept as it is (the
/// manager scanned the code again to come back to it).
pub fn insert_claim_return(conn: &Connection, row: &ClaimReturnRow) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO claim_returns (claim_id, order_id, item_id, item_name, barcode, compensation, amount_kopecks,
             expires_at, opened_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (claim_id) DO NOTHING",
    )?
    .execute(params![
        row.claim_id.as_str(),
        row.order_id.as_str(),
        row.item_id.as_str(),
        row.item_name,
        row.barcode,
        row.compensation.as_str(),
        row.amount.0,
        row.expires_at,
        row.opened_at,
    ])?;
    Ok(())
}

/// What the server said about the claim, and when.
pub fn set_claim_server_state(
    conn: &Connection,
    claim_id: &ClaimId,
    state: Option<ClaimState>,
    reason: Option<&str>,
    at: &str,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE claim_returns SET server_state = ?2, server_reason = ?3, status_checked_at = ?4
         WHERE claim_id = ?1 AND accepted_at IS NULL",
    )?
    .execute(params![claim_id.as_str(), state.map(ClaimState::as_str), reason, at])?;
    Ok(())
}

pub fn set_claim_item_checked(conn: &Connection, claim_id: &ClaimId) -> Result<(), StoreError> {
    conn.prepare_cached("UPDATE claim_returns SET item_checked = 1 WHERE claim_id = ?1 AND accepted_at IS NULL")?
        .execute([claim_id.as_str()])?;
    Ok(())
}

pub fn set_claim_condition(conn: &Connection, claim_id: &ClaimId, condition: &str) -> Result<(), StoreError> {
    conn.prepare_cached("UPDATE claim_returns SET condition = ?2 WHERE claim_id = ?1 AND accepted_at IS NULL")?
        .execute(params![claim_id.as_str(), condition])?;
    Ok(())
}

pub fn mark_claim_accepted(
    conn: &Connection,
    claim_id: &ClaimId,
    return_id: &ReturnId,
    op_id: &str,
    at: &str,
) -> Result<(), StoreError> {
    let changed = conn
        .prepare_cached(
            "UPDATE claim_returns SET accepted_at = ?2, return_id = ?3, op_id = ?4
             WHERE claim_id = ?1 AND accepted_at IS NULL",
        )?
        .execute(params![claim_id.as_str(), at, return_id.as_str(), op_id])?;
    if changed != 1 {
        return Err(StoreError::Corrupt(format!("claim return {claim_id} is not a draft")));
    }
    Ok(())
}

/// Drops a draft and its photos' records (a cancelled claim return); an accepted one stays.
pub fn delete_claim_draft(conn: &Connection, claim_id: &ClaimId) -> Result<(), StoreError> {
    conn.prepare_cached("DELETE FROM claim_returns WHERE claim_id = ?1 AND accepted_at IS NULL")?
        .execute([claim_id.as_str()])?;
    Ok(())
}
