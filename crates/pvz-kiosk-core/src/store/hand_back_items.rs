//! Items scanned into a hand-back, in scan order: each is a returned unit-to-be, matched to a manifest
//! line or an extra, with the reason and the fee fixed when the manager chose the reason.

use super::{corrupt, StoreError};
use pvz_domain::{FeeDecision, FeeRule, ItemId, Kopecks, OrderId, RefusalReason, ReturnId};
use pvz_protocol::ManifestLine;
use rusqlite::{params, Connection, Row};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandBackItemRow {
    pub return_id: ReturnId,
    pub hand_back_id: String,
    pub code: String,
    pub is_mark: bool,
    /// The manifest line it matched; `None` for an extra.
    pub item_id: Option<ItemId>,
    pub order_id: Option<OrderId>,
    pub name: String,
    pub category: String,
    pub reason: Option<RefusalReason>,
    pub description: Option<String>,
    pub fee: Option<FeeDecision>,
    pub scanned_at: String,
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<HandBackItemRow> {
    let reason: Option<String> = r.get(8)?;
    let fee = match (r.get::<_, Option<i64>>(10)?, r.get::<_, Option<String>>(11)?) {
        (Some(fee), Some(rule)) => Some(FeeDecision {
            fee: Kopecks(fee),
            rule: FeeRule::parse(&rule).ok_or_else(|| corrupt(format!("fee rule {rule:?}")))?,
        }),
        _ => None,
    };
    Ok(HandBackItemRow {
        return_id: ReturnId::parse(&r.get::<_, String>(0)?).map_err(corrupt)?,
        hand_back_id: r.get(1)?,
        code: r.get(2)?,
        is_mark: r.get(3)?,
        item_id: r.get::<_, Option<String>>(4)?.map(|s| ItemId::parse(&s).map_err(corrupt)).transpose()?,
        order_id: r.get::<_, Option<String>>(5)?.map(|s| OrderId::parse(&s).map_err(corrupt)).transpose()?,
        name: r.get(6)?,
        category: r.get(7)?,
        reason: reason
            .map(|s| RefusalReason::parse(&s).ok_or_else(|| corrupt(format!("refusal reason {s:?}"))))
            .transpose()?,
        description: r.get(9)?,
        fee,
        scanned_at: r.get(12)?,
    })
}

pub fn list_hand_back_items(conn: &Connection, hand_back_id: &str) -> Result<Vec<HandBackItemRow>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT return_id, hand_back_id, code, is_mark, item_id, order_id, name, category, reason, description,
             fee_kopecks, fee_rule, scanned_at
         FROM hand_back_items WHERE hand_back_id = ?1 ORDER BY position",
    )?;
    let rows = stmt.query_map([hand_back_id], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Adds a scan after the last one.
pub fn insert_hand_back_item(conn: &Connection, row: &HandBackItemRow) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO hand_back_items (return_id, hand_back_id, position, code, is_mark, item_id, order_id, name,
             category, scanned_at)
         VALUES (?1, ?2, (SELECT COALESCE(MAX(position), 0) + 1 FROM hand_back_items WHERE hand_back_id = ?2),
             ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        row.return_id.as_str(),
        row.hand_back_id,
        row.code,
        row.is_mark,
        row.item_id.as_ref().map(ItemId::as_str),
        row.order_id.as_ref().map(OrderId::as_str),
        row.name,
        row.category,
        row.scanned_at,
    ])?;
    Ok(())
}

/// Matches a scan to a manifest line (after the manifest arrived late): its name and category now
/// come from the line, and so does its fee (`fee`) when a reason was chosen before the match.
pub fn set_hand_back_item_line(
    conn: &Connection,
    return_id: &ReturnId,
    line: &ManifestLine,
    fee: Option<FeeDecision>,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE hand_back_items SET item_id = ?2, order_id = ?3, name = ?4, category = ?5,
             fee_kopecks = COALESCE(?6, fee_kopecks), fee_rule = COALESCE(?7, fee_rule)
         WHERE return_id = ?1",
    )?
    .execute(params![
        return_id.as_str(),
        line.item_id.as_str(),
        line.order_id.as_str(),
        line.name,
        line.category,
        fee.map(|f| f.fee.0),
        fee.map(|f| f.rule.as_str()),
    ])?;
    Ok(())
}

pub fn set_hand_back_item_reason(
    conn: &Connection,
    return_id: &ReturnId,
    reason: RefusalReason,
    description: Option<&str>,
    fee: FeeDecision,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE hand_back_items SET reason = ?2, description = ?3, fee_kopecks = ?4, fee_rule = ?5 WHERE return_id = ?1",
    )?
    .execute(params![return_id.as_str(), reason.as_str(), description, fee.fee.0, fee.rule.as_str()])?;
    Ok(())
}

/// Returns whether the scan was in this hand-back.
pub fn delete_hand_back_item(conn: &Connection, hand_back_id: &str, return_id: &ReturnId) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("DELETE FROM hand_back_items WHERE hand_back_id = ?1 AND return_id = ?2")?
        .execute(params![hand_back_id, return_id.as_str()])?
        > 0)
}
