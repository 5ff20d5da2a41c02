//! Claim returns worked on at this counter: the draft on the counter (as the signed code stated it,
//! the server's last word on it, the check and the condition) and, once accepted, its returned unit
//! and op. An accepted row is never changed again.

use super::{corrupt, StoreError};
use pvz_domain::{
    ClaimDecision, ClaimId, ClaimState, CompensationKind, ItemFate, ItemId, Kopecks, OrderId, ReturnId, ReturnRoute,
};
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
    /// RFC 3339, from the code: the return deadline as the code was signed with it.
    pub expires_at: String,
    /// Which code of the claim was scanned (from the code; a route change issues the next one).
    pub code_issue: u32,
    /// The claim return code as scanned: the op carries it to the server as proof (protocol 4).
    /// `None` for a draft opened before the store kept it.
    pub return_code: Option<String>,
    pub opened_at: String,
    /// The server's last word; `None` until it was asked (offline the code is all there is).
    pub server: Option<ServerWord>,
    pub status_checked_at: Option<String>,
    pub item_checked: bool,
    pub condition: String,
    pub accepted_at: Option<String>,
    pub return_id: Option<ReturnId>,
    pub op_id: Option<String>,
}

/// What the server said about a claim when the counter last asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerWord {
    pub state: ClaimState,
    /// Why it was rejected or revoked, in the seller's or the network's words.
    pub reason: Option<String>,
    pub decision: ClaimDecision,
    pub item_fate: ItemFate,
    /// Where the item goes, once approved.
    pub route: Option<ReturnRoute>,
    /// RFC 3339: the last moment the item is taken back through a pickup point.
    pub return_deadline: Option<String>,
    /// The issue number of the claim's valid return code.
    pub code_issue: u32,
}

const COLUMNS: &str = "claim_id, order_id, item_id, item_name, barcode, compensation, amount_kopecks, expires_at,
    opened_at, server_state, server_reason, status_checked_at, item_checked, condition, accepted_at, return_id, op_id,
    code_issue, server_decision, server_item_fate, server_route, server_return_deadline, server_code_issue,
    return_code";

/// The server's word from its columns: all of them or none (a draft the server was not asked about).
fn server_word_from_row(r: &Row<'_>) -> rusqlite::Result<Option<ServerWord>> {
    let Some(state) = r.get::<_, Option<String>>(9)? else { return Ok(None) };
    let state = ClaimState::parse(&state).ok_or_else(|| corrupt(format!("claim state {state:?}")))?;
    // A word recorded before the decision and the route existed: what the state alone implies.
    let decision = match r.get::<_, Option<String>>(18)? {
        Some(raw) => ClaimDecision::parse(&raw).ok_or_else(|| corrupt(format!("claim decision {raw:?}")))?,
        None => decision_of_state(state),
    };
    let item_fate = match r.get::<_, Option<String>>(19)? {
        Some(raw) => ItemFate::parse(&raw).ok_or_else(|| corrupt(format!("item fate {raw:?}")))?,
        None => ItemFate::default(),
    };
    let route = r
        .get::<_, Option<String>>(20)?
        .map(|raw| ReturnRoute::parse(&raw).ok_or_else(|| corrupt(format!("return route {raw:?}"))))
        .transpose()?;
    Ok(Some(ServerWord {
        state,
        reason: r.get(10)?,
        decision,
        item_fate,
        route,
        return_deadline: r.get(21)?,
        code_issue: r.get::<_, Option<u32>>(22)?.unwrap_or_else(pvz_protocol::token::first_code_issue),
    }))
}

/// The decision a bare state stands for (a server word from before decisions were kept).
fn decision_of_state(state: ClaimState) -> ClaimDecision {
    match state {
        ClaimState::Open => ClaimDecision::UnderReview,
        ClaimState::Approved | ClaimState::Fulfilled => ClaimDecision::Approved,
        ClaimState::Rejected => ClaimDecision::Rejected,
        ClaimState::Revoked => ClaimDecision::Revoked,
    }
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<ClaimReturnRow> {
    let compensation: String = r.get(5)?;
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
        code_issue: r.get(17)?,
        return_code: r.get(23)?,
        opened_at: r.get(8)?,
        server: server_word_from_row(r)?,
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
/// manager scanned the code again to come back to it), unless this code is a newer issue of the
/// claim's code (a route change replaced the one scanned before): then it takes the code's terms
/// and forgets what the server said about the older one. A draft of the same code opened before the
/// store kept codes takes the code now scanned.
pub fn insert_claim_return(conn: &Connection, row: &ClaimReturnRow) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE claim_returns SET return_code = ?2
         WHERE claim_id = ?1 AND code_issue = ?3 AND return_code IS NULL AND accepted_at IS NULL",
    )?
    .execute(params![row.claim_id.as_str(), row.return_code, row.code_issue])?;
    conn.prepare_cached(
        "INSERT INTO claim_returns (claim_id, order_id, item_id, item_name, barcode, compensation, amount_kopecks,
             expires_at, opened_at, code_issue, return_code)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT (claim_id) DO UPDATE SET compensation = excluded.compensation,
             amount_kopecks = excluded.amount_kopecks, expires_at = excluded.expires_at,
             code_issue = excluded.code_issue, return_code = excluded.return_code,
             server_state = NULL, server_reason = NULL,
             status_checked_at = NULL, server_decision = NULL, server_item_fate = NULL, server_route = NULL,
             server_return_deadline = NULL, server_code_issue = NULL
         WHERE excluded.code_issue > claim_returns.code_issue AND claim_returns.accepted_at IS NULL",
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
        row.code_issue,
        row.return_code,
    ])?;
    Ok(())
}

/// What the server said about the claim, and when.
pub fn set_claim_server_word(
    conn: &Connection,
    claim_id: &ClaimId,
    word: &ServerWord,
    at: &str,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE claim_returns SET server_state = ?2, server_reason = ?3, status_checked_at = ?4,
             server_decision = ?5, server_item_fate = ?6, server_route = ?7, server_return_deadline = ?8,
             server_code_issue = ?9
         WHERE claim_id = ?1 AND accepted_at IS NULL",
    )?
    .execute(params![
        claim_id.as_str(),
        word.state.as_str(),
        word.reason,
        at,
        word.decision.as_str(),
        word.item_fate.as_str(),
        word.route.map(ReturnRoute::as_str),
        word.return_deadline,
        word.code_issue,
    ])?;
    Ok(())
}

/// Names the claim's item when the counter did not know its name (a compact code carries none and
/// the order was not in the store): the server's name fills it, a known name stays.
pub fn fill_claim_item_name(conn: &Connection, claim_id: &ClaimId, name: &str) -> Result<(), StoreError> {
    conn.prepare_cached("UPDATE claim_returns SET item_name = ?2 WHERE claim_id = ?1 AND item_name = ''")?
        .execute(params![claim_id.as_str(), name])?;
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
