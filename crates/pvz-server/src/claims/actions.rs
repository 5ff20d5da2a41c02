//! Acting on a claim: the caller's actions come from `rules::claims::actions`, an action not among
//! them is refused (409 `action_not_available`), a malformed one is 400, and an accepted one is
//! written with a guarded update of the claim as it was read (its state, decision and code issue),
//! inside the caller's transaction.
//!
//! Money: a refund without return is posted when the claim is approved so (or its route changed to
//! no return), keyed `claim:<id>:decision`; a refund on the route to the seller when the seller
//! confirms receipt, keyed `claim:<id>:receipt`. Either leaves the claim fulfilled, which offers no
//! further action, and the event key posts once whatever the retries: a claim never pays twice.

use super::{deliver_to_buyer, require_claim, require_item, revoke_claim, ClaimCodeIssuer};
use crate::db::claims::{self, ClaimChange, ClaimRow};
use crate::db::ledger;
use crate::db::orders::{ItemRow, NewItem};
use crate::db::sql::Connection;
use crate::error::{Result, ServerError};
use crate::rules::claims::actions::{available_actions, check_action, why_not, ActionFacts, CheckedAction, Role};
use crate::rules::claims::{check_text, refund_postings};
use pvz_domain::{ClaimDecision, ClaimId, ClaimState, Compensation, ItemFate, Kopecks, ReturnRoute};
use pvz_protocol::sync::error_code;
use pvz_protocol::{ClaimAction, ClaimActionRequest, SellerAddress, SellerDecision};

/// Ledger kind of a claim's refund posted by a decision or a receipt (a counter's claim return posts
/// under its op's kind).
pub const KIND_CLAIM_REFUND: &str = "claim_refund";

/// Who acts on a claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimActor {
    /// A seller: only its own claims exist for it.
    Seller(String),
    /// An operator through the API.
    Operator,
    /// The buyer front, for the claim's buyer.
    BuyerFront,
    /// The network from the command line: an operator who may also stand in for a claim's seller.
    Network,
}

impl ClaimActor {
    fn role(&self) -> Role {
        match self {
            ClaimActor::Seller(_) => Role::Seller,
            ClaimActor::Operator => Role::Operator,
            ClaimActor::BuyerFront => Role::BuyerFront,
            ClaimActor::Network => Role::Network,
        }
    }
}

fn facts(claim: &ClaimRow) -> ActionFacts {
    ActionFacts {
        state: claim.state,
        decision: claim.decision,
        decided_by: claim.decided_by,
        route: claim.route,
        item_fate: claim.item_fate,
        disputed: claim.disputed_at.is_some(),
        dispute_decided: claim.dispute_decided_at.is_some(),
    }
}

/// What `actor` may do with the claim now.
pub fn actions_for(claim: &ClaimRow, actor: &ClaimActor) -> Vec<ClaimAction> {
    available_actions(&facts(claim), actor.role())
}

/// The claim as `actor` may see it: another seller's claim is not found.
pub fn claim_for(conn: &Connection, id: &ClaimId, actor: &ClaimActor) -> Result<ClaimRow> {
    claims::get_claim(conn, id)?
        .filter(|c| match actor {
            ClaimActor::Seller(seller) => &c.seller_id == seller,
            _ => true,
        })
        .ok_or_else(|| ServerError::NotFound(format!("claim {id} does not exist")))
}

fn refuse_unless_available(claim: &ClaimRow, actor: &ClaimActor, action: ClaimAction) -> Result<()> {
    let facts = facts(claim);
    if available_actions(&facts, actor.role()).contains(&action) {
        return Ok(());
    }
    Err(ServerError::Refused {
        code: error_code::ACTION_NOT_AVAILABLE,
        message: format!("claim {}: {}", claim.id, why_not(&facts, actor.role(), action)),
    })
}

/// Takes one of the claim's actions for `actor`; answers the claim as it is after.
pub fn act_on_claim(
    conn: &Connection,
    issuer: &ClaimCodeIssuer,
    id: &ClaimId,
    actor: &ClaimActor,
    request: &ClaimActionRequest,
    now: &str,
) -> Result<ClaimRow> {
    let claim = claim_for(conn, id, actor)?;
    refuse_unless_available(&claim, actor, request.action())?;
    let item = require_item(conn, &claim.item_id)?;
    let checked =
        check_action(request, item.item.price, claim.compensation.as_ref()).map_err(ServerError::BadRequest)?;
    apply(conn, issuer, &claim, &item, checked, now)
}

/// The first seller API's decision (see [`super::decide_claim`]).
pub(super) fn decide(
    conn: &Connection,
    issuer: &ClaimCodeIssuer,
    id: &ClaimId,
    actor: &ClaimActor,
    decision: &SellerDecision,
    now: &str,
) -> Result<ClaimRow> {
    let claim = claim_for(conn, id, actor)?;
    if (claim.state, claim.decision) != (ClaimState::Open, ClaimDecision::UnderReview) {
        let state = claim.state.as_str();
        return Err(ServerError::ClaimAlreadyDecided(format!("claim {id} was already decided: it is {state}")));
    }
    let request = match decision {
        SellerDecision::Approve { compensation: compensation @ Compensation::MissingPart { .. } } => {
            ClaimActionRequest::ApproveWithoutReturn { compensation: compensation.clone() }
        }
        SellerDecision::Approve { compensation } => {
            ClaimActionRequest::ApproveViaPickupPoint { compensation: compensation.clone() }
        }
        SellerDecision::Reject { reason } => {
            ClaimActionRequest::Reject { template: None, comment: Some(reason.clone()) }
        }
    };
    refuse_unless_available(&claim, actor, request.action())?;
    let item = require_item(conn, &claim.item_id)?;
    let checked = match decision {
        // The first API took any non-empty reason; it keeps doing so.
        SellerDecision::Reject { reason } => CheckedAction::Reject {
            template: None,
            comment: Some(check_text("reason", reason).map_err(ServerError::BadRequest)?),
        },
        SellerDecision::Approve { .. } => {
            check_action(&request, item.item.price, None).map_err(ServerError::BadRequest)?
        }
    };
    apply(conn, issuer, &claim, &item, checked, now)
}

fn apply(
    conn: &Connection,
    issuer: &ClaimCodeIssuer,
    claim: &ClaimRow,
    item: &ItemRow,
    action: CheckedAction,
    now: &str,
) -> Result<ClaimRow> {
    let mut change = ClaimChange::of(claim);
    // A refund is posted after the guarded update: a concurrent action on the claim then stops at
    // the claim's row (and answers a conflict) before it could reach the event key.
    let mut refund: Option<(&str, Kopecks)> = None;
    match action {
        CheckedAction::Approve { route, compensation, seller_address } => {
            if claim.decision == ClaimDecision::Disputed {
                change.dispute_decided_at = Some(now.to_owned());
            }
            change.decision = ClaimDecision::Approved;
            change.state = ClaimState::Approved;
            change.reason = None;
            change.rejection_template = None;
            change.decided_at = Some(now.to_owned());
            change.compensation = Some(compensation.clone());
            if let Compensation::MissingPart { part } = &compensation {
                change.part_order_id = Some(deliver_part(conn, claim, item, part, now)?);
            }
            refund = send(issuer, claim, item, &mut change, route, seller_address, now)?.map(|a| ("decision", a));
        }
        CheckedAction::Reject { template, comment } => {
            change.state = ClaimState::Rejected;
            change.decision = ClaimDecision::Rejected;
            change.reason = comment;
            change.rejection_template = template;
            change.decided_at = Some(now.to_owned());
        }
        CheckedAction::Reconsider => {
            change.state = ClaimState::Open;
            change.decision = ClaimDecision::UnderReview;
            change.reason = None;
            change.rejection_template = None;
            if claim.dispute_decided_at.is_none() {
                // A dispute still open is answered by the review itself: a new rejection may be
                // disputed again, and a claim is never left rejected with its dispute undecided.
                change.disputed_at = None;
                change.dispute_comment = None;
            }
        }
        CheckedAction::ChangeRoute { route, seller_address } => {
            if claim.route == Some(route) && route != ReturnRoute::Seller {
                // A new code for the same route would only refuse the one the buyer holds.
                return Err(ServerError::BadRequest(format!(
                    "claim {} already goes {}: there is no route to change",
                    claim.id,
                    route.as_str()
                )));
            }
            // Codes issued before are refused from now on, whichever route comes.
            change.code_issue = claim.code_issue.saturating_add(1);
            refund = send(issuer, claim, item, &mut change, route, seller_address, now)?.map(|a| ("decision", a));
        }
        CheckedAction::ConfirmReceipt => {
            match &claim.compensation {
                Some(Compensation::Refund { amount }) => refund = Some(("receipt", *amount)),
                Some(Compensation::Replacement) => {
                    change.replacement_order_id = Some(deliver_to_buyer(conn, claim, item.item.clone(), now)?);
                }
                other => {
                    return Err(ServerError::Internal(format!(
                        "claim {} on the route to the seller has compensation {other:?}",
                        claim.id
                    )))
                }
            }
            change.state = ClaimState::Fulfilled;
            change.item_fate = ItemFate::AtSeller;
            change.received_at = Some(now.to_owned());
            change.fulfilled_at = Some(now.to_owned());
        }
        CheckedAction::RefuseReceipt { comment } => {
            change.state = ClaimState::Rejected;
            change.decision = ClaimDecision::Rejected;
            change.item_fate = ItemFate::AtSeller;
            change.received_at = Some(now.to_owned());
            change.reason = Some(comment);
            change.rejection_template = None;
            change.decided_at = Some(now.to_owned());
        }
        CheckedAction::Dispute { comment } => {
            change.state = ClaimState::Open;
            change.decision = ClaimDecision::Disputed;
            change.disputed_at = Some(now.to_owned());
            change.dispute_comment = Some(comment);
        }
        CheckedAction::UpholdRejection { comment } => {
            change.state = ClaimState::Rejected;
            change.decision = ClaimDecision::Rejected;
            change.dispute_decided_at = Some(now.to_owned());
            if comment.is_some() {
                change.reason = comment;
            }
        }
        CheckedAction::Revoke { comment } => return revoke_claim(conn, &claim.id, &comment, now),
    }
    claims::set_claim_changed(conn, claim, &change)?;
    if let Some((event, amount)) = refund {
        pay(conn, claim, event, amount, now)?;
    }
    require_claim(conn, &claim.id)
}

/// Sets where the item of an approved claim goes: a new return code valid until the deadline
/// through a pickup point, the seller's address on the route to it, or nothing to send back (a
/// refund is then due at once, answered for the caller to pay, and the claim is fulfilled; a
/// missing part travels on its own).
fn send(
    issuer: &ClaimCodeIssuer,
    claim: &ClaimRow,
    item: &ItemRow,
    change: &mut ClaimChange,
    route: ReturnRoute,
    seller_address: Option<SellerAddress>,
    now: &str,
) -> Result<Option<Kopecks>> {
    let compensation = change
        .compensation
        .clone()
        .ok_or_else(|| ServerError::Internal(format!("claim {} is sent without a compensation", claim.id)))?;
    change.route = Some(route);
    change.seller_address = None;
    change.return_code = None;
    change.return_deadline = None;
    match route {
        ReturnRoute::PickupPoint => {
            let deadline = issuer.deadline(crate::db::now_unix());
            let code = issuer.issue(claim, item, &compensation, change.code_issue, deadline);
            change.return_code = Some(code);
            change.return_deadline = Some(rfc3339(deadline)?);
            change.item_fate = ItemFate::ToPickupPoint;
        }
        ReturnRoute::Seller => {
            change.seller_address = seller_address;
            change.item_fate = ItemFate::ToSeller;
        }
        ReturnRoute::NoReturn => {
            // An item the seller already holds (refused on receipt, then approved) stays there.
            if claim.item_fate != ItemFate::AtSeller {
                change.item_fate = ItemFate::WithBuyer;
            }
            if let Compensation::Refund { amount } = compensation {
                change.state = ClaimState::Fulfilled;
                change.fulfilled_at = Some(now.to_owned());
                return Ok(Some(amount));
            }
        }
    }
    Ok(None)
}

/// The seller's refund to the buyer, posted once under `claim:<id>:<event>`.
fn pay(conn: &Connection, claim: &ClaimRow, event: &str, amount: Kopecks, now: &str) -> Result<()> {
    let postings = refund_postings(&claim.seller_id, &claim.buyer_id, amount)
        .map_err(|r| ServerError::BadRequest(format!("the refund cannot be posted: {}", r.message)))?;
    let key = format!("claim:{}:{event}", claim.id);
    if !ledger::post_event(conn, &key, KIND_CLAIM_REFUND, None, &postings, now)? {
        tracing::warn!(claim = %claim.id, %key, "a claim refund was posted before; not posted again");
    }
    Ok(())
}

/// A missing part as a new prepaid order of its own (price 0) to the buyer's point.
fn deliver_part(
    conn: &Connection,
    claim: &ClaimRow,
    item: &ItemRow,
    part: &str,
    now: &str,
) -> Result<pvz_domain::OrderId> {
    let part = NewItem {
        name: part.to_owned(),
        variant: format!("деталь к «{}»", item.item.name),
        price: Kopecks::ZERO,
        barcode: None,
        ..item.item.clone()
    };
    deliver_to_buyer(conn, claim, part, now)
}

fn rfc3339(unix: i64) -> Result<String> {
    let at =
        chrono::DateTime::from_timestamp(unix, 0).ok_or_else(|| ServerError::Internal(format!("{unix} is no time")))?;
    Ok(at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
}
