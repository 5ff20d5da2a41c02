//! The kiosk's own record of an order at the counter: opened, and one decision per item.

use super::StoreError;
use pvz_domain::{FeeDecision, FeeRule, ItemId, Kopecks, OrderId, RefusalReason};
use pvz_protocol::ItemDecision;
use rusqlite::{params, Connection, OptionalExtension};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionRow {
    pub item_id: String,
    pub decision: ItemDecision,
    /// Set for refusals: the fee fixed when the refusal was recorded.
    pub fee: Option<FeeDecision>,
}

pub fn is_opened(conn: &Connection, order_id: &OrderId) -> Result<bool, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT 1 FROM issue_progress WHERE order_id = ?1")?;
    Ok(stmt.query_row([order_id.as_str()], |_| Ok(())).optional()?.is_some())
}

pub fn mark_opened(conn: &Connection, order_id: &OrderId, at: &str) -> Result<(), StoreError> {
    conn.prepare_cached("INSERT INTO issue_progress (order_id, opened_at) VALUES (?1, ?2) ON CONFLICT DO NOTHING")?
        .execute(params![order_id.as_str(), at])?;
    Ok(())
}

pub fn list_decisions(conn: &Connection, order_id: &OrderId) -> Result<Vec<DecisionRow>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT item_id, decision, refusal_reason, refusal_description, fee_kopecks, fee_rule
         FROM item_decisions WHERE order_id = ?1",
    )?;
    let rows = stmt.query_map([order_id.as_str()], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get(3)?,
            r.get::<_, Option<i64>>(4)?,
            r.get::<_, Option<String>>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (item_id, decision, reason, description, fee, rule) = row?;
        let fee = match (fee, rule.as_deref().map(FeeRule::parse)) {
            (Some(fee), Some(Some(rule))) => Some(FeeDecision { fee: Kopecks(fee), rule }),
            (None, None) => None,
            other => return Err(StoreError::Corrupt(format!("refusal fee {other:?} of {item_id}"))),
        };
        let decision = match (decision.as_str(), reason.as_deref().and_then(RefusalReason::parse)) {
            ("hand_over", None) => ItemDecision::HandOver,
            ("not_arrived", None) => ItemDecision::NotArrived,
            ("refuse", Some(reason)) => ItemDecision::Refuse { reason, description },
            other => return Err(StoreError::Corrupt(format!("item decision {other:?} of {item_id}"))),
        };
        out.push(DecisionRow { item_id, decision, fee });
    }
    Ok(out)
}

pub fn set_decision(
    conn: &Connection,
    order_id: &OrderId,
    item_id: &ItemId,
    decision: &ItemDecision,
    fee: Option<FeeDecision>,
    at: &str,
) -> Result<(), StoreError> {
    let (kind, reason, description) = match decision {
        ItemDecision::HandOver => ("hand_over", None, None),
        ItemDecision::NotArrived => ("not_arrived", None, None),
        ItemDecision::Refuse { reason, description } => ("refuse", Some(reason.as_str()), description.as_deref()),
    };
    conn.prepare_cached(
        "INSERT INTO item_decisions (item_id, order_id, decision, refusal_reason, refusal_description,
             fee_kopecks, fee_rule, decided_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (item_id) DO UPDATE SET decision = excluded.decision, refusal_reason = excluded.refusal_reason,
             refusal_description = excluded.refusal_description, fee_kopecks = excluded.fee_kopecks,
             fee_rule = excluded.fee_rule, decided_at = excluded.decided_at",
    )?
    .execute(params![
        item_id.as_str(),
        order_id.as_str(),
        kind,
        reason,
        description,
        fee.map(|f| f.fee.0),
        fee.map(|f| f.rule.as_str()),
        at
    ])?;
    Ok(())
}

/// Returns whether there was a decision to clear.
pub fn clear_decision(conn: &Connection, item_id: &ItemId) -> Result<bool, StoreError> {
    Ok(conn.prepare_cached("DELETE FROM item_decisions WHERE item_id = ?1")?.execute([item_id.as_str()])? > 0)
}
