//! `claims`: buyers' claims about paid items, their state and the seller's decision. Each update
//! names the state it expects the claim to be in, so a transition the caller checked with
//! `ClaimState` cannot land on a claim that moved meanwhile; one that finds it moved answers what
//! the caller's check would have said of the new state (already decided, or a conflict naming it).

use crate::db::sql::{params, Connection, OptionalExtension};
use crate::error::{Result, ServerError};
use pvz_domain::{
    ClaimDecision, ClaimId, ClaimState, Compensation, Decider, ItemFate, ItemId, OrderId, PickupPointId, ReturnRoute,
};
use pvz_protocol::{ClaimAction, ClaimStatus, RejectionTemplate, SellerAddress};

/// A claim with its item's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimRow {
    pub id: ClaimId,
    pub order_id: OrderId,
    pub item_id: ItemId,
    pub item_name: String,
    /// The original order's point: where a replacement or a missing part goes.
    pub pickup_point_id: PickupPointId,
    pub seller_id: String,
    pub buyer_id: String,
    pub state: ClaimState,
    pub description: String,
    pub compensation: Option<Compensation>,
    pub reason: Option<String>,
    pub return_code: Option<String>,
    pub part_order_id: Option<OrderId>,
    pub replacement_order_id: Option<OrderId>,
    pub fulfilled_at: Option<String>,
    pub decided_by: Decider,
    pub decision: ClaimDecision,
    pub item_fate: ItemFate,
    pub route: Option<ReturnRoute>,
    pub paid_at: Option<String>,
    pub created_at: String,
    pub rejection_template: Option<RejectionTemplate>,
    pub seller_address: Option<SellerAddress>,
    pub return_deadline: Option<String>,
    pub code_issue: u32,
    pub disputed_at: Option<String>,
    pub dispute_comment: Option<String>,
    pub dispute_decided_at: Option<String>,
    pub received_at: Option<String>,
}

impl ClaimRow {
    /// The claim as a caller sees it, with the actions that caller may take now (none for a kiosk).
    pub fn to_status_with(&self, actions: Vec<ClaimAction>) -> ClaimStatus {
        ClaimStatus { actions, ..self.to_status() }
    }

    /// The claim as a kiosk sees it: no actions.
    pub fn to_status(&self) -> ClaimStatus {
        ClaimStatus {
            claim_id: self.id.clone(),
            order_id: self.order_id.clone(),
            item_id: self.item_id.clone(),
            item_name: self.item_name.clone(),
            state: self.state,
            compensation: self.compensation.clone(),
            reason: self.reason.clone(),
            description: self.description.clone(),
            return_code: self.return_code.clone(),
            part_order_id: self.part_order_id.clone(),
            fulfilled_at: self.fulfilled_at.clone(),
            decision: self.decision,
            item_fate: self.item_fate,
            route: self.route,
            decided_by: self.decided_by,
            paid_at: self.paid_at.clone(),
            opened_at: Some(self.created_at.clone()),
            return_deadline: self.return_deadline.clone(),
            seller_address: self.seller_address.clone(),
            rejection_template: self.rejection_template,
            code_issue: self.code_issue,
            actions: Vec::new(),
        }
    }
}

/// A claim to open on an item of an issued order.
#[derive(Debug, Clone)]
pub struct NewClaim<'a> {
    pub id: &'a ClaimId,
    pub order_id: &'a OrderId,
    pub item_id: &'a ItemId,
    pub pickup_point_id: &'a PickupPointId,
    pub seller_id: &'a str,
    pub buyer_id: &'a str,
    pub description: &'a str,
    pub decided_by: Decider,
    /// When the item was paid for (RFC 3339): what the 14-day line counted from.
    pub paid_at: &'a str,
}

pub fn insert_claim(conn: &Connection, claim: &NewClaim<'_>, now: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO claims (id, order_id, item_id, pickup_point_id, seller_id, buyer_id, state, description, created_at,
                             decided_by, paid_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'open', ?7, ?8, ?9, ?10)",
        params![
            claim.id.as_str(),
            claim.order_id.as_str(),
            claim.item_id.as_str(),
            claim.pickup_point_id.as_str(),
            claim.seller_id,
            claim.buyer_id,
            claim.description,
            now,
            claim.decided_by.as_str(),
            claim.paid_at
        ],
    )?;
    Ok(())
}

const SELECT: &str = "SELECT c.id, c.order_id, c.item_id, i.name, c.pickup_point_id, c.seller_id, c.buyer_id, c.state,
        c.description, c.compensation, c.reason, c.return_code, c.part_order_id, c.replacement_order_id, c.fulfilled_at,
        c.decided_by, c.decision, c.item_fate, c.route, c.paid_at, c.created_at, c.rejection_template,
        c.seller_address, c.seller_hours, c.return_deadline, c.code_issue, c.disputed_at, c.dispute_comment,
        c.dispute_decided_at, c.received_at
    FROM claims c JOIN order_items i ON i.id = c.item_id";

/// The column text of a snake_case enum (its serde name).
pub fn enum_text<T: serde::Serialize>(value: &T) -> Result<String> {
    match serde_json::to_value(value)? {
        serde_json::Value::String(s) => Ok(s),
        other => Err(ServerError::Internal(format!("{other} is not a unit enum's name"))),
    }
}

fn claim_row(r: &crate::db::sql::Row<'_>) -> crate::db::sql::SqlResult<ClaimRow> {
    fn bad(i: usize, what: &str) -> crate::db::sql::SqlError {
        crate::db::sql::SqlError::bad_column(i, what.to_owned())
    }
    fn id<T>(
        r: &crate::db::sql::Row<'_>,
        i: usize,
        parse: fn(&str) -> Result<T, pvz_domain::ids::IdError>,
    ) -> crate::db::sql::SqlResult<T> {
        parse(&r.get::<String>(i)?).map_err(|_| bad(i, "id"))
    }
    fn opt_id(r: &crate::db::sql::Row<'_>, i: usize) -> crate::db::sql::SqlResult<Option<OrderId>> {
        r.get::<Option<String>>(i)?.map(|s| OrderId::parse(&s).map_err(|_| bad(i, "order id"))).transpose()
    }
    let state: String = r.get(7)?;
    let compensation: Option<String> = r.get(9)?;
    Ok(ClaimRow {
        id: id(r, 0, ClaimId::parse)?,
        order_id: id(r, 1, OrderId::parse)?,
        item_id: id(r, 2, ItemId::parse)?,
        item_name: r.get(3)?,
        pickup_point_id: id(r, 4, PickupPointId::parse)?,
        seller_id: r.get(5)?,
        buyer_id: r.get(6)?,
        state: ClaimState::parse(&state).ok_or_else(|| bad(7, "claim state"))?,
        description: r.get(8)?,
        compensation: compensation.map(|c| serde_json::from_str(&c).map_err(|_| bad(9, "compensation"))).transpose()?,
        reason: r.get(10)?,
        return_code: r.get(11)?,
        part_order_id: opt_id(r, 12)?,
        replacement_order_id: opt_id(r, 13)?,
        fulfilled_at: r.get(14)?,
        decided_by: Decider::parse(&r.get::<String>(15)?).ok_or_else(|| bad(15, "decided by"))?,
        decision: ClaimDecision::parse(&r.get::<String>(16)?).ok_or_else(|| bad(16, "decision"))?,
        item_fate: ItemFate::parse(&r.get::<String>(17)?).ok_or_else(|| bad(17, "item fate"))?,
        route: r
            .get::<Option<String>>(18)?
            .map(|raw| ReturnRoute::parse(&raw).ok_or_else(|| bad(18, "route")))
            .transpose()?,
        paid_at: r.get(19)?,
        created_at: r.get(20)?,
        rejection_template: r
            .get::<Option<String>>(21)?
            .map(|raw| serde_json::from_value(serde_json::Value::String(raw)).map_err(|_| bad(21, "template")))
            .transpose()?,
        seller_address: match (r.get::<Option<String>>(22)?, r.get::<Option<String>>(23)?) {
            (Some(address), hours) => Some(SellerAddress { address, hours: hours.unwrap_or_default() }),
            (None, _) => None,
        },
        return_deadline: r.get(24)?,
        code_issue: u32::try_from(r.get::<i64>(25)?).map_err(|_| bad(25, "code issue"))?,
        disputed_at: r.get(26)?,
        dispute_comment: r.get(27)?,
        dispute_decided_at: r.get(28)?,
        received_at: r.get(29)?,
    })
}

pub fn get_claim(conn: &Connection, id: &ClaimId) -> Result<Option<ClaimRow>> {
    let row =
        conn.prepare_cached(&format!("{SELECT} WHERE c.id = ?1"))?.query_row([id.as_str()], claim_row).optional()?;
    Ok(row)
}

/// A seller's claims, newest first.
pub fn list_claims_by_seller(conn: &Connection, seller_id: &str) -> Result<Vec<ClaimRow>> {
    let mut stmt =
        conn.prepare_cached(&format!("{SELECT} WHERE c.seller_id = ?1 ORDER BY c.created_at DESC, c.id DESC"))?;
    let rows = stmt.query_map([seller_id], claim_row)?.collect::<crate::db::sql::SqlResult<Vec<_>>>()?;
    Ok(rows)
}

/// When each of the seller's claims last moved to a decision or an end, by claim id: the latest of
/// its decision, a dispute's decision, its revocation, and its item taken back or received (RFC 3339
/// texts, which sort as times); `None` for a claim that never got one (still under review).
pub fn list_claim_settled_times(
    conn: &Connection,
    seller_id: &str,
) -> Result<std::collections::HashMap<String, Option<String>>> {
    let rows = conn
        .prepare_cached(
            "SELECT id, decided_at, dispute_decided_at, revoked_at, fulfilled_at, received_at
             FROM claims WHERE seller_id = ?1",
        )?
        .query_map([seller_id], |r| {
            let times = [r.get::<Option<String>>(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?];
            Ok((r.get::<String>(0)?, times.into_iter().flatten().max()))
        })?
        .collect::<crate::db::sql::SqlResult<_>>()?;
    Ok(rows)
}

/// The ops that took this item back on a claim (any claim on it, at any point).
pub fn list_item_return_op_ids(conn: &Connection, item: &ItemId) -> Result<Vec<String>> {
    let ids = conn
        .prepare_cached(
            "SELECT fulfilled_op_id FROM claims WHERE item_id = ?1 AND fulfilled_op_id IS NOT NULL ORDER BY id",
        )?
        .query_map([item.as_str()], |r| r.get(0))?
        .collect::<crate::db::sql::SqlResult<Vec<_>>>()?;
    Ok(ids)
}

/// A buyer's claims, newest first.
pub fn list_claims_by_buyer(conn: &Connection, buyer_id: &str) -> Result<Vec<ClaimRow>> {
    let mut stmt =
        conn.prepare_cached(&format!("{SELECT} WHERE c.buyer_id = ?1 ORDER BY c.created_at DESC, c.id DESC"))?;
    let rows = stmt.query_map([buyer_id], claim_row)?.collect::<crate::db::sql::SqlResult<Vec<_>>>()?;
    Ok(rows)
}

/// The claims on one item, newest first.
pub fn list_claims_by_item(conn: &Connection, item: &ItemId) -> Result<Vec<ClaimRow>> {
    let mut stmt =
        conn.prepare_cached(&format!("{SELECT} WHERE c.item_id = ?1 ORDER BY c.created_at DESC, c.id DESC"))?;
    let rows = stmt.query_map([item.as_str()], claim_row)?.collect::<crate::db::sql::SqlResult<Vec<_>>>()?;
    Ok(rows)
}

/// Every claim, newest first (the operator's view sorts them further).
pub fn list_claims(conn: &Connection) -> Result<Vec<ClaimRow>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} ORDER BY c.created_at DESC, c.id DESC"))?;
    let rows = stmt.query_map([], claim_row)?.collect::<crate::db::sql::SqlResult<Vec<_>>>()?;
    Ok(rows)
}

/// The claim on this item that still stands (open, approved, or fulfilled by taking the item back),
/// if any: an item is claimed once. A rejected or revoked claim leaves room for a new one, and so
/// does a fulfilled missing-part claim (one with a part order): the buyer still has the item.
pub fn find_standing_claim(conn: &Connection, item: &ItemId) -> Result<Option<String>> {
    let id = conn
        .prepare_cached(
            "SELECT id FROM claims
             WHERE item_id = ?1
               AND (state IN ('open', 'approved') OR (state = 'fulfilled' AND part_order_id IS NULL))
             ORDER BY id LIMIT 1",
        )?
        .query_row([item.as_str()], |r| r.get(0))
        .optional()?;
    Ok(id)
}

pub fn set_claim_revoked(conn: &Connection, id: &ClaimId, from: ClaimState, reason: &str, now: &str) -> Result<()> {
    let changed = conn.execute(
        "UPDATE claims SET state = 'revoked', decision = 'revoked', reason = ?3, revoked_at = ?4,
                item_fate = CASE WHEN item_fate IN ('to_pickup_point', 'to_seller') THEN 'with_buyer' ELSE item_fate END
         WHERE id = ?1 AND state = ?2",
        params![id.as_str(), from.as_str(), reason, now],
    )?;
    expect_one(conn, changed, id, from)
}

/// The approved claim's item was taken back by `op_id` at `point`, on the route and code issue the
/// op was judged on: a route change committed meanwhile (by another server) is a conflict, and the
/// op is judged again.
pub fn set_claim_fulfilled(
    conn: &Connection,
    id: &ClaimId,
    code_issue: u32,
    op_id: &str,
    point: &PickupPointId,
    replacement_order: Option<&OrderId>,
    at: &str,
) -> Result<()> {
    let changed = conn.execute(
        "UPDATE claims SET state = 'fulfilled', item_fate = 'at_pickup_point', fulfilled_op_id = ?2,
                fulfilled_point_id = ?3, replacement_order_id = ?4, fulfilled_at = ?5
         WHERE id = ?1 AND state = 'approved' AND code_issue = ?6 AND (route IS NULL OR route = 'pickup_point')",
        params![id.as_str(), op_id, point.as_str(), replacement_order.map(OrderId::as_str), at, i64::from(code_issue)],
    )?;
    expect_one(conn, changed, id, ClaimState::Approved)
}

/// Issuing `part_order` (by `op_id` at `point`) fulfils the approved claim whose missing part it
/// carries; an order that is no claim's part changes nothing.
pub fn set_part_claim_fulfilled(
    conn: &Connection,
    part_order: &OrderId,
    op_id: &str,
    point: &PickupPointId,
    at: &str,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE claims SET state = 'fulfilled', fulfilled_op_id = ?2, fulfilled_point_id = ?3, fulfilled_at = ?4
         WHERE part_order_id = ?1 AND state = 'approved'",
    )?
    .execute(params![part_order.as_str(), op_id, point.as_str(), at])?;
    Ok(())
}

/// What an action on a claim leaves in its row: every field an action may move. Start from
/// [`ClaimChange::of`] (the row as read) and change what the action changes.
#[derive(Debug, Clone)]
pub struct ClaimChange {
    pub state: ClaimState,
    pub decision: ClaimDecision,
    pub item_fate: ItemFate,
    pub route: Option<ReturnRoute>,
    pub compensation: Option<Compensation>,
    pub reason: Option<String>,
    pub rejection_template: Option<RejectionTemplate>,
    pub return_code: Option<String>,
    pub return_deadline: Option<String>,
    pub seller_address: Option<SellerAddress>,
    pub code_issue: u32,
    pub part_order_id: Option<OrderId>,
    pub replacement_order_id: Option<OrderId>,
    pub fulfilled_at: Option<String>,
    pub disputed_at: Option<String>,
    pub dispute_comment: Option<String>,
    pub dispute_decided_at: Option<String>,
    pub received_at: Option<String>,
    /// Set when the action decides the claim (approves or rejects it); otherwise kept.
    pub decided_at: Option<String>,
}

impl ClaimChange {
    /// The row's fields as they are.
    pub fn of(claim: &ClaimRow) -> ClaimChange {
        ClaimChange {
            state: claim.state,
            decision: claim.decision,
            item_fate: claim.item_fate,
            route: claim.route,
            compensation: claim.compensation.clone(),
            reason: claim.reason.clone(),
            rejection_template: claim.rejection_template,
            return_code: claim.return_code.clone(),
            return_deadline: claim.return_deadline.clone(),
            seller_address: claim.seller_address.clone(),
            code_issue: claim.code_issue,
            part_order_id: claim.part_order_id.clone(),
            replacement_order_id: claim.replacement_order_id.clone(),
            fulfilled_at: claim.fulfilled_at.clone(),
            disputed_at: claim.disputed_at.clone(),
            dispute_comment: claim.dispute_comment.clone(),
            dispute_decided_at: claim.dispute_decided_at.clone(),
            received_at: claim.received_at.clone(),
            decided_at: None,
        }
    }
}

/// Writes an action's change to a claim still as `from` was read (same state, decision and code
/// issue); a claim that moved meanwhile is a [`ServerError::Conflict`] and nothing is written.
pub fn set_claim_changed(conn: &Connection, from: &ClaimRow, change: &ClaimChange) -> Result<()> {
    let compensation = change.compensation.as_ref().map(serde_json::to_string).transpose()?;
    let template = change.rejection_template.as_ref().map(enum_text).transpose()?;
    let changed = conn.execute(
        "UPDATE claims SET state = ?5, decision = ?6, item_fate = ?7, route = ?8, compensation = ?9, reason = ?10,
                rejection_template = ?11, return_code = ?12, return_deadline = ?13, seller_address = ?14,
                seller_hours = ?15, code_issue = ?16, part_order_id = ?17, replacement_order_id = ?18,
                fulfilled_at = ?19, disputed_at = ?20, dispute_comment = ?21, dispute_decided_at = ?22,
                received_at = ?23, decided_at = COALESCE(?24, decided_at)
         WHERE id = ?1 AND state = ?2 AND decision = ?3 AND code_issue = ?4",
        params![
            from.id.as_str(),
            from.state.as_str(),
            from.decision.as_str(),
            i64::from(from.code_issue),
            change.state.as_str(),
            change.decision.as_str(),
            change.item_fate.as_str(),
            change.route.map(ReturnRoute::as_str),
            compensation,
            change.reason,
            template,
            change.return_code,
            change.return_deadline,
            change.seller_address.as_ref().map(|a| a.address.as_str()),
            change.seller_address.as_ref().map(|a| a.hours.as_str()),
            i64::from(change.code_issue),
            change.part_order_id.as_ref().map(OrderId::as_str),
            change.replacement_order_id.as_ref().map(OrderId::as_str),
            change.fulfilled_at,
            change.disputed_at,
            change.dispute_comment,
            change.dispute_decided_at,
            change.received_at,
            change.decided_at
        ],
    )?;
    expect_one(conn, changed, &from.id, from.state)
}

/// The claim's state now when a guarded update changed no row; `None` when it changed one.
fn moved_to(conn: &Connection, changed: usize, id: &ClaimId) -> Result<Option<ClaimState>> {
    if changed == 1 {
        return Ok(None);
    }
    let claim = get_claim(conn, id)?.ok_or_else(|| ServerError::NotFound(format!("claim {id} does not exist")))?;
    Ok(Some(claim.state))
}

fn expect_one(conn: &Connection, changed: usize, id: &ClaimId, expected: ClaimState) -> Result<()> {
    match moved_to(conn, changed, id)? {
        None => Ok(()),
        Some(now) => Err(ServerError::Conflict(format!(
            "claim {id} is {}, no longer {}: it changed meanwhile",
            now.as_str(),
            expected.as_str()
        ))),
    }
}
