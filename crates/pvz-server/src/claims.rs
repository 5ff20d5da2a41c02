//! The claim lifecycle the admin CLI and the seller API share: open a claim on a paid item, the
//! seller's decision (with the claim return code or the missing part's delivery it brings), and
//! revocation. Each function runs inside the caller's transaction; states move only through
//! `ClaimState`, checked by `rules::claims`.
//!
//! A refund or a replacement is fulfilled when a point takes the item back (`ClaimReturnAccepted`);
//! the item is gone, so it cannot be claimed again. A missing part has no item to take back: its
//! claim is fulfilled when its part order is issued at the counter (handed over or refused there,
//! the compensation reached the buyer), by the op that completes that issue. The buyer keeps the
//! item, so a fulfilled missing-part claim leaves room for a later claim on it. Revoking an approved
//! missing-part claim cancels its part order in the same transaction if the order still waits at the
//! point (its kiosks get a `CancelOrder`); once the part is issued the claim is fulfilled and can no
//! longer be revoked. A part order cancelled otherwise (by the network, or unredeemed on the shelf)
//! leaves its claim approved until the network revokes it, which then leaves room for a new claim.
//!
//! Every decision and later step (routes, disputes, the seller's receipt) is an action of
//! [`actions`]; the seller's decision of the first API is one of them.

mod actions;

pub use actions::{act_on_claim, actions_for, claim_for, ClaimActor};

use crate::db::claims::{self, ClaimRow, NewClaim};
use crate::db::orders::{self, ItemRow, NewItem, NewOrder, OrderState};
use crate::db::points;
use crate::db::shipments::{self, NewShipment};
use crate::db::sql::Connection;
use crate::error::{Result, ServerError};
use crate::rules::claims::{check_claimable, check_text};
use ed25519_dalek::SigningKey;
use pvz_domain::timestamp::{UnixSeconds, UtcOffset};
use pvz_domain::{ClaimId, Compensation, ItemId, OrderId};
use pvz_protocol::sync::error_code;
use pvz_protocol::{ClaimReturnClaims, SellerDecision, ShipmentItemWire};
use std::sync::Arc;
use std::time::Duration;

/// How long a claim return code stays valid unless configured otherwise.
pub const DEFAULT_CLAIM_CODE_TTL: Duration = Duration::from_secs(14 * 24 * 3600);

/// Signs claim return codes with the server's key (the one kiosks pinned at enrollment).
#[derive(Clone)]
pub struct ClaimCodeIssuer {
    pub key: Arc<SigningKey>,
    pub ttl: Duration,
}

impl ClaimCodeIssuer {
    /// Unix seconds: the return deadline of a code issued at `now_unix`.
    fn deadline(&self, now_unix: i64) -> i64 {
        now_unix.saturating_add(i64::try_from(self.ttl.as_secs()).unwrap_or(i64::MAX))
    }

    /// The signed code of the claim's `code_issue`, valid until `expires_at` (the return deadline).
    fn issue(
        &self,
        claim: &ClaimRow,
        item: &ItemRow,
        compensation: &Compensation,
        code_issue: u32,
        expires_at: i64,
    ) -> String {
        ClaimReturnClaims {
            claim_id: claim.id.clone(),
            order_id: claim.order_id.clone(),
            item_id: claim.item_id.clone(),
            // The compact code leaves the name out: a counter looks it up.
            item_name: None,
            barcode: item.item.barcode.clone(),
            compensation: compensation.kind(),
            amount: compensation.refund_amount(),
            expires_at,
            code_issue,
        }
        .sign(&self.key)
    }
}

/// A fresh claim id: `clm-<uuid>`.
pub fn new_claim_id() -> Result<ClaimId> {
    ClaimId::parse(&format!("clm-{}", uuid::Uuid::now_v7().simple()))
        .map_err(|e| ServerError::Internal(format!("claim id: {e}")))
}

fn bad(message: String) -> ServerError {
    ServerError::BadRequest(message)
}

fn require_item(conn: &Connection, id: &ItemId) -> Result<ItemRow> {
    orders::get_item(conn, id)?.ok_or_else(|| ServerError::NotFound(format!("item {id} does not exist")))
}

fn not_claimable(message: String) -> ServerError {
    ServerError::Refused { code: error_code::ITEM_NOT_CLAIMABLE, message }
}

/// Opens a claim on an item of an issued order that was handed over (not refused), at most one
/// standing claim per item; an item that cannot be claimed is [`error_code::ITEM_NOT_CLAIMABLE`].
/// Within [`pvz_domain::MARKETPLACE_RETURN_DAYS`] local days of payment (the point's offset) the claim is a
/// marketplace return the operator decides; after that the seller decides it.
pub fn open_claim(
    conn: &Connection,
    id: &ClaimId,
    order: &OrderId,
    item: &ItemId,
    description: &str,
    now: &str,
) -> Result<ClaimRow> {
    let row = require_item(conn, item)?;
    if &row.order_id != order {
        return Err(bad(format!("item {item} is not in order {order}")));
    }
    let description = check_text("description", description).map_err(bad)?;
    // Two openings of the same item (a retry, another instance) take turns on its row, so the
    // second sees the first's claim: PostgreSQL's READ COMMITTED alone would let both insert.
    orders::lock_item(conn, item)?;
    check_claimable(&row.claim_candidate(), claims::find_standing_claim(conn, item)?.as_deref())
        .map_err(not_claimable)?;
    let paid_at = orders::payment_time(conn, order, row.item.prepaid)?
        .ok_or_else(|| not_claimable(format!("item {item} has not been paid for: there is nothing to claim")))?;
    let offset = points::get_storage_policy(conn, &row.pickup_point_id)?.map_or(UtcOffset::MOSCOW, |(_, o)| o);
    let decided_by = pvz_domain::Decider::for_claim(unix_seconds(&paid_at)?, unix_seconds(now)?, offset);
    let new = NewClaim {
        id,
        order_id: order,
        item_id: item,
        pickup_point_id: &row.pickup_point_id,
        seller_id: &row.item.seller_id,
        buyer_id: &row.buyer_id,
        description: &description,
        decided_by,
        paid_at: &paid_at,
    };
    claims::insert_claim(conn, &new, now)?;
    require_claim(conn, id)
}

/// A stored RFC 3339 time as unix seconds.
fn unix_seconds(text: &str) -> Result<UnixSeconds> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| UnixSeconds(t.timestamp()))
        .map_err(|e| ServerError::Internal(format!("stored time {text:?} is not RFC 3339: {e}")))
}

/// A buyer's claim through the buyer front: the item must be one of `buyer`'s, in `order` (another
/// buyer's item, or an unknown one, is not found); then as [`open_claim`].
pub fn open_buyer_claim(
    conn: &Connection,
    id: &ClaimId,
    buyer: &str,
    order: &OrderId,
    item: &ItemId,
    description: &str,
    now: &str,
) -> Result<ClaimRow> {
    let theirs = orders::get_item(conn, item)?.is_some_and(|row| row.buyer_id == buyer && &row.order_id == order);
    if !theirs {
        return Err(ServerError::NotFound(format!("buyer {buyer:.64} has no item {item} in order {order}")));
    }
    open_claim(conn, id, order, item, description, now)
}

pub fn require_claim(conn: &Connection, id: &ClaimId) -> Result<ClaimRow> {
    claims::get_claim(conn, id)?.ok_or_else(|| ServerError::NotFound(format!("claim {id} does not exist")))
}

/// Who decides: a seller may decide only claims about its own items; the network (admin) any.
#[derive(Debug, Clone, Copy)]
pub enum Decider<'a> {
    Seller(&'a str),
    Network,
}

/// The seller's decision of the first seller API (and the CLI's approve and reject) on a claim
/// under review, as the action it amounts to: a refund or a replacement comes back through a pickup
/// point (a claim return code), a missing part is sent without the item coming back, a rejection's
/// reason is its comment (any non-empty text, as before). A claim no longer under review answers
/// [`ServerError::ClaimAlreadyDecided`]; another seller's claim is not found.
pub fn decide_claim(
    conn: &Connection,
    issuer: &ClaimCodeIssuer,
    id: &ClaimId,
    decider: Decider<'_>,
    decision: &SellerDecision,
    now: &str,
) -> Result<ClaimRow> {
    let actor = match decider {
        Decider::Seller(seller) => ClaimActor::Seller(seller.to_owned()),
        Decider::Network => ClaimActor::Network,
    };
    actions::decide(conn, issuer, id, &actor, decision, now)
}

/// Withdraws an open or approved claim: its return code is refused from then on, and a missing part
/// still waiting at the point is cancelled with it.
pub fn revoke_claim(conn: &Connection, id: &ClaimId, reason: &str, now: &str) -> Result<ClaimRow> {
    let claim = require_claim(conn, id)?;
    claim.state.revoke().map_err(|e| bad(format!("claim {id} cannot be revoked: {e}")))?;
    let reason = check_text("reason", reason).map_err(bad)?;
    if let Some(part) = &claim.part_order_id {
        cancel_part_order(conn, &claim, part)?;
    }
    claims::set_claim_revoked(conn, id, claim.state, &reason, now)?;
    require_claim(conn, id)
}

/// The part order of a claim being revoked leaves the point's feed (a `CancelOrder` for its kiosks)
/// unless it is gone already; a part that was issued cannot be taken back by a revocation.
fn cancel_part_order(conn: &Connection, claim: &ClaimRow, part: &OrderId) -> Result<()> {
    let order = orders::get_order_facts(conn, part)?
        .ok_or_else(|| ServerError::Internal(format!("claim {} names a missing part order {part}", claim.id)))?;
    match order.state {
        OrderState::Ready => {
            orders::set_order_state(conn, &claim.pickup_point_id, part, OrderState::Ready, OrderState::Cancelled, None)
        }
        OrderState::Cancelled => Ok(()),
        OrderState::Issued => Err(bad(format!(
            "claim {} cannot be revoked: its part was issued to the buyer with order {part}",
            claim.id
        ))),
    }
}

/// A new prepaid order of one item (`item`, under a fresh id) to the claim's buyer at the original
/// order's pickup point (a replacement, or a missing part), on its way there in a shipment of its
/// own (label code `DLV-…`, see `pvz-server shipments`): the point's kiosks pull both, and the order
/// can be issued once a counter receives that shipment and places the item in a cell, like any
/// order that comes in a shipment. Before, it was put straight on the shelf, so a counter could
/// issue it before the goods came.
pub fn deliver_to_buyer(conn: &Connection, claim: &ClaimRow, item: NewItem, now: &str) -> Result<OrderId> {
    let point = &claim.pickup_point_id;
    let (order_id, short_code, uid) = orders::new_order_ids_at(conn, point)?;
    let id = ItemId::parse(&format!("itm-{uid}-1")).map_err(|e| ServerError::Internal(e.to_string()))?;
    let shipment_id = format!("shp-{uid}");
    // Short enough to type from a damaged label; the whole id if the short one is taken.
    let mut code = format!("DLV-{}", uid[uid.len().saturating_sub(8)..].to_uppercase());
    if shipments::shipment_taken(conn, &shipment_id, point, &code)? {
        code = format!("DLV-{}", uid.to_uppercase());
    }
    // A part has no product barcode of its own: its label carries `<shipment code>-1`, which the
    // counter scans at receiving (a replacement keeps the product's barcode).
    let barcode = item.barcode.clone().or_else(|| Some(format!("{code}-1")));
    let order = NewOrder {
        id: order_id.clone(),
        short_code,
        buyer_id: claim.buyer_id.clone(),
        // The buyer exists already; their stored name is kept.
        buyer_name: String::new(),
        // The cell is the one the receiving places it in.
        items: vec![NewItem { id, cell: String::new(), prepaid: true, mark: None, barcode, ..item }],
    };
    // The shipment's feed version first, as for any shipment (see `Admin::add_shipment`).
    let shipment_version = points::bump_version(conn, point, 1)?;
    let order_version = points::bump_version(conn, point, 1)?;
    orders::insert_expected_order(conn, point, &order, order_version, now)?;
    let items: Vec<ShipmentItemWire> = order
        .items
        .iter()
        .map(|i| ShipmentItemWire { order_id: order_id.clone(), item_id: i.id.clone(), missing: false })
        .collect();
    let shipment =
        NewShipment { id: &shipment_id, pickup_point_id: point, code: &code, expected_at: None, items: &items };
    shipments::insert_shipment(conn, &shipment, shipment_version, now)?;
    Ok(order_id)
}
