//! `ClaimReturnAccepted` (приём возврата по претензии): the item of an approved claim came back to
//! this point. The unit's custody is recorded whatever the claim says (it is physically here and
//! must not get lost); then the claim is checked and fulfilled: a refund moves the server's approved
//! amount from the seller to the buyer in the op's ledger transaction, a replacement becomes a new
//! order to the buyer's original point. The claim's state (fulfilled once) and the op-keyed ledger
//! make a retried or second op for the same claim never pay twice.
//!
//! The kiosk checked the return code's expiry offline with its own clock, so the server checks the
//! op's time against the life of the code it stored (approval to expiry) and against its own clock:
//! a kiosk whose clock is wrong cannot make the seller pay for an expired code.

use super::{op_ref, post, Pusher};
use crate::claims::deliver_to_buyer;
use crate::db::custody::{self, Holder, NewUnit};
use crate::db::{claims, orders};
use crate::error::{Result, ServerError};
use crate::rules::claims::{
    check_claim_return, check_return_time, claim_not_found, refund_postings, ClaimFacts, ClaimReturn, CodeLife,
    ReturnEffect,
};
use crate::rules::Rejection;
use chrono::{DateTime, Utc};
use pvz_domain::{ClaimId, CompensationKind, ItemId, Kopecks, OrderId, ReturnId};
use pvz_protocol::sync::{reject, PushOp};
use pvz_protocol::{ClaimReturnClaims, ReturnSource};
use rusqlite::Connection;

/// What the op says.
#[derive(Debug, Clone)]
pub(super) struct Accepted<'a> {
    pub claim_id: &'a ClaimId,
    pub order_id: &'a OrderId,
    pub item_id: &'a ItemId,
    pub return_id: &'a ReturnId,
    pub compensation: CompensationKind,
    pub amount: Kopecks,
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

    let Some(claim) = claims::get_claim(conn, a.claim_id)? else { return Ok(Err(claim_not_found())) };
    let facts = ClaimFacts {
        order_id: claim.order_id.as_str(),
        item_id: claim.item_id.as_str(),
        state: claim.state,
        compensation: claim.compensation.as_ref(),
    };
    let said = ClaimReturn { order_id: a.order_id, item_id: a.item_id, compensation: a.compensation, amount: a.amount };
    let effect = match check_claim_return(&facts, &said) {
        Ok(effect) => effect,
        Err(rejection) => return Ok(Err(rejection)),
    };
    if let Some(life) = code_life(&claim)? {
        let Ok(recorded_at) = DateTime::parse_from_rfc3339(&op.created_at) else {
            return Ok(Err(Rejection::new(
                reject::INVALID_OP,
                format!(
                    "the kiosk's time {:?} is not an RFC 3339 time, so it cannot show the claim return code was valid",
                    op.created_at
                ),
            )));
        };
        if let Err(rejection) = check_return_time(&life, recorded_at.with_timezone(&Utc), Utc::now()) {
            return Ok(Err(rejection));
        }
    }
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
    claims::set_claim_fulfilled(conn, &claim.id, &op_id, &who.pickup_point_id, replacement.as_ref(), &op.created_at)?;
    Ok(Ok(()))
}

/// The life of the claim's return code: from its approval to the expiry the server signed into it.
/// `None` for a claim without a code (a refund or a replacement always has one): nothing to check.
/// The server wrote both itself, so one that does not read is a server fault, not the kiosk's.
fn code_life(claim: &claims::ClaimRow) -> Result<Option<CodeLife>> {
    let Some(code) = &claim.return_code else { return Ok(None) };
    let internal = |what: &str| ServerError::Internal(format!("claim {}: {what}", claim.id));
    let expires_at = ClaimReturnClaims::decode_unverified(code)
        .ok()
        .and_then(|claims| DateTime::from_timestamp(claims.expires_at, 0))
        .ok_or_else(|| internal("its stored return code does not read"))?;
    let approved_at = claim
        .decided_at
        .as_deref()
        .and_then(|at| DateTime::parse_from_rfc3339(at).ok())
        .ok_or_else(|| internal("it has a return code but no readable decision time"))?;
    Ok(Some(CodeLife { approved_at: approved_at.with_timezone(&Utc), expires_at }))
}
