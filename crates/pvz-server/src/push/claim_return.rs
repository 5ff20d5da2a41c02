//! `ClaimReturnAccepted` (приём возврата по претензии): the item of an approved claim came back to
//! this point. The unit's custody is recorded whatever the claim says (it is physically here and
//! must not get lost); then the claim is checked and fulfilled: a refund moves the server's approved
//! amount from the seller to the buyer in the op's ledger transaction, a replacement becomes a new
//! order to the buyer's original point. The claim's state (fulfilled once) and the op-keyed ledger
//! make a retried or second op for the same claim never pay twice. An item whose claim now goes to
//! the seller or stays with the buyer, scanned from a code a route change replaced, or brought after
//! the return deadline (by the kiosk's clock corrected to the server's) is refused. Before any of
//! that, the op must prove itself with the claim's signed return code (protocol 4, see
//! `rules::claims::proof`): a device alone cannot make the server pay.

use super::{op_ref, post, Pusher};
use crate::claims::deliver_to_buyer;
use crate::db::custody::{self, Holder, NewUnit};
use crate::db::sql::Connection;
use crate::db::{claims, network_keys, orders};
use crate::error::{Result, ServerError};
use crate::rules::claims::proof::{check_claim_code, Proof};
use crate::rules::claims::{
    check_claim_return, claim_not_found, refund_postings, ClaimFacts, ClaimReturn, ReturnEffect,
};
use crate::rules::Rejection;
use pvz_domain::{ClaimId, CompensationKind, ItemId, Kopecks, OrderId, ReturnId};
use pvz_protocol::sync::PushOp;
use pvz_protocol::{PublicKey, ReturnSource};

/// What the op says.
#[derive(Debug, Clone)]
pub(super) struct Accepted<'a> {
    pub claim_id: &'a ClaimId,
    pub order_id: &'a OrderId,
    pub item_id: &'a ItemId,
    pub return_id: &'a ReturnId,
    pub compensation: CompensationKind,
    pub amount: Kopecks,
    pub code_issue: u32,
    /// Unix seconds by the server's clock (see `super::op_server_time`).
    pub taken_at: Option<i64>,
    /// The claim return code the counter scanned (protocol 4); `None` from older kiosks.
    pub return_code: Option<&'a str>,
}

pub(super) fn apply(conn: &Connection, who: &Pusher, op: &PushOp, a: &Accepted<'_>) -> Result<Result<(), Rejection>> {
    let op_id = op.op_id.to_string();
    let unit = NewUnit {
        id: a.return_id,
        pickup_point_id: &who.pickup_point_id,
        item_id: Some(a.item_id.as_str()),
        source: ReturnSource::Claim,
    };
    custody::insert_unit(conn, &unit, &Holder::Point, op_ref(op, &op_id))?;

    let said = ClaimReturn {
        order_id: a.order_id,
        item_id: a.item_id,
        compensation: a.compensation,
        amount: a.amount,
        code_issue: a.code_issue,
        taken_at: a.taken_at,
    };
    let keys = network_public_keys(conn)?;
    // An op whose time is unreadable is judged by when it arrived: a code's expiry always counts.
    let proof = Proof { code: a.return_code, keys: &keys, taken_at: a.taken_at.unwrap_or(who.arrived_unix) };
    if let Err(rejection) = check_claim_code(a.claim_id, &said, &proof) {
        tracing::warn!(op_id = %op.op_id, device = %who.device_id, code = rejection.code, "claim return without proof");
        return Ok(Err(rejection));
    }

    let Some(claim) = claims::get_claim(conn, a.claim_id)? else { return Ok(Err(claim_not_found())) };
    let facts = ClaimFacts {
        order_id: claim.order_id.as_str(),
        item_id: claim.item_id.as_str(),
        state: claim.state,
        compensation: claim.compensation.as_ref(),
        route: claim.route,
        code_issue: claim.code_issue,
        return_deadline: claim
            .return_deadline
            .as_deref()
            .and_then(|d| chrono::DateTime::parse_from_rfc3339(d).ok())
            .map(|d| d.timestamp()),
    };
    let effect = match check_claim_return(&facts, &said) {
        Ok(effect) => effect,
        Err(rejection) => return Ok(Err(rejection)),
    };
    let replacement = match effect {
        ReturnEffect::Refund(amount) => {
            match refund_postings(&claim.seller_id, &claim.buyer_id, amount) {
                Ok(postings) => post(conn, who, op, op.body.kind(), &postings)?,
                Err(rejection) => return Ok(Err(rejection)),
            }
            None
        }
        ReturnEffect::Replacement => {
            let item = orders::get_item(conn, &claim.item_id)?
                .ok_or_else(|| ServerError::Internal(format!("claim {} names a missing item", claim.id)))?;
            Some(deliver_to_buyer(conn, &claim, item.item, &op.created_at)?)
        }
    };
    let (id, issue) = (&claim.id, claim.code_issue);
    claims::set_claim_fulfilled(conn, id, issue, &op_id, &who.pickup_point_id, replacement.as_ref(), &op.created_at)?;
    Ok(Ok(()))
}

/// Every key the network signed codes with (a rotation keeps earlier keys' codes valid).
fn network_public_keys(conn: &Connection) -> Result<Vec<PublicKey>> {
    network_keys::list_public_keys(conn)?
        .iter()
        .map(|k| {
            PublicKey::parse(&k.public_key)
                .map_err(|_| ServerError::Internal("a network key's public half is not an ed25519 key".into()))
        })
        .collect()
}
