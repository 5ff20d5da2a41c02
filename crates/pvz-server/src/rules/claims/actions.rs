//! Which actions a caller may take on a claim now, and whether an action request is well formed, with
//! no IO. The decider (the claim's seller, or an operator for a marketplace return) approves or
//! rejects a claim under review, may reconsider a rejection until a dispute about it is decided,
//! changes the route of an approved claim before the item is back, and confirms or refuses receipt
//! of an item sent to it; the buyer front disputes a rejection once; an operator decides disputes
//! and revokes open or approved claims. Anything else is not offered, and refused when asked.

use super::check_text;
use pvz_domain::{ClaimDecision, ClaimState, Compensation, Decider, ItemFate, Kopecks, ReturnRoute};
use pvz_protocol::claims::{MAX_COMMENT_CHARS, MIN_COMMENT_CHARS};
use pvz_protocol::{ClaimAction, ClaimActionRequest, RejectionTemplate, SellerAddress};

/// The longest seller address or opening hours kept, in characters.
pub const MAX_ADDRESS_CHARS: usize = 1000;

/// Who asks, as the claim sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The claim's own seller (another seller never gets this far: the claim is not found for it).
    Seller,
    /// An operator through the API: decides marketplace returns and disputes, revokes.
    Operator,
    /// The buyer front, for the claim's buyer: disputes a rejection.
    BuyerFront,
    /// The network from the command line: an operator who may also stand in for a claim's seller.
    Network,
}

impl Role {
    fn decides(self, decided_by: Decider) -> bool {
        match self {
            Role::Seller => decided_by == Decider::Seller,
            Role::Operator => decided_by == Decider::Operator,
            Role::Network => true,
            Role::BuyerFront => false,
        }
    }

    fn is_operator(self) -> bool {
        matches!(self, Role::Operator | Role::Network)
    }
}

/// What the actions depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionFacts {
    pub state: ClaimState,
    pub decision: ClaimDecision,
    pub decided_by: Decider,
    pub route: Option<ReturnRoute>,
    pub item_fate: ItemFate,
    /// The buyer disputed a rejection of this claim once already.
    pub disputed: bool,
    /// An operator decided that dispute: the rejection is final.
    pub dispute_decided: bool,
}

/// The approvals possible for an item where it is: one the seller already holds (refused on
/// receipt) is not sent anywhere again.
fn approvals(fate: ItemFate) -> &'static [ClaimAction] {
    match fate {
        ItemFate::AtSeller => &[ClaimAction::ApproveWithoutReturn],
        _ => &[ClaimAction::ApproveViaPickupPoint, ClaimAction::ApproveToSeller, ClaimAction::ApproveWithoutReturn],
    }
}

/// The actions `role` may take on the claim now, in a stable order.
pub fn available_actions(facts: &ActionFacts, role: Role) -> Vec<ClaimAction> {
    let decider = role.decides(facts.decided_by);
    let mut actions = Vec::new();
    match (facts.state, facts.decision) {
        (ClaimState::Open, ClaimDecision::UnderReview) if decider => {
            actions.extend_from_slice(approvals(facts.item_fate));
            actions.push(ClaimAction::Reject);
        }
        (ClaimState::Open, ClaimDecision::Disputed) => {
            if role.is_operator() {
                actions.extend_from_slice(approvals(facts.item_fate));
                actions.push(ClaimAction::UpholdRejection);
            }
            if decider {
                actions.push(ClaimAction::Reconsider);
            }
        }
        (ClaimState::Rejected, _) => {
            if decider && !facts.dispute_decided {
                actions.push(ClaimAction::Reconsider);
            }
            if role == Role::BuyerFront && !facts.disputed {
                actions.push(ClaimAction::Dispute);
            }
        }
        (ClaimState::Approved, _) => {
            let on_its_way = matches!(
                (facts.route, facts.item_fate),
                (Some(ReturnRoute::PickupPoint), ItemFate::ToPickupPoint)
                    | (Some(ReturnRoute::Seller), ItemFate::ToSeller)
            );
            if decider && on_its_way {
                actions.push(ClaimAction::ChangeRoute);
            }
            if decider && facts.route == Some(ReturnRoute::Seller) && facts.item_fate == ItemFate::ToSeller {
                actions.extend([ClaimAction::ConfirmReceipt, ClaimAction::RefuseReceipt]);
            }
        }
        _ => {}
    }
    if role.is_operator() && matches!(facts.state, ClaimState::Open | ClaimState::Approved) {
        actions.push(ClaimAction::Revoke);
    }
    actions
}

/// Whether an operator decides the claim now: a marketplace return under review, or a dispute.
pub fn operator_decides_now(decided_by: Decider, decision: ClaimDecision) -> bool {
    match decision {
        ClaimDecision::UnderReview => decided_by == Decider::Operator,
        ClaimDecision::Disputed => true,
        ClaimDecision::Approved | ClaimDecision::Rejected | ClaimDecision::Revoked => false,
    }
}

/// Why an action is not among the caller's, for the 409's message.
pub fn why_not(facts: &ActionFacts, role: Role, action: ClaimAction) -> String {
    let name = serde_json::to_value(action).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
    let who = match facts.decided_by {
        Decider::Seller => "its seller",
        Decider::Operator => "an operator",
    };
    let mut why = format!(
        "{name} is not available: the claim is {} (decision {}), decided by {who}",
        facts.state.as_str(),
        facts.decision.as_str()
    );
    if role == Role::BuyerFront && action == ClaimAction::Dispute && facts.disputed {
        why.push_str("; a rejection is disputed once per claim");
    }
    why
}

/// A checked action request: its texts trimmed, its compensation within the price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckedAction {
    Approve { route: ReturnRoute, compensation: Compensation, seller_address: Option<SellerAddress> },
    Reject { template: Option<RejectionTemplate>, comment: Option<String> },
    Reconsider,
    ChangeRoute { route: ReturnRoute, seller_address: Option<SellerAddress> },
    ConfirmReceipt,
    RefuseReceipt { comment: String },
    Dispute { comment: String },
    UpholdRejection { comment: Option<String> },
    Revoke { comment: String },
}

/// A comment of [`MIN_COMMENT_CHARS`]..=[`MAX_COMMENT_CHARS`] characters once trimmed.
pub fn check_comment(what: &str, text: &str) -> Result<String, String> {
    let text = text.trim();
    let chars = text.chars().count();
    if !(MIN_COMMENT_CHARS..=MAX_COMMENT_CHARS).contains(&chars) {
        return Err(format!(
            "the {what} must be {MIN_COMMENT_CHARS} to {MAX_COMMENT_CHARS} characters long; it has {chars}"
        ));
    }
    Ok(text.to_owned())
}

fn check_address(address: &SellerAddress) -> Result<SellerAddress, String> {
    let field = |what: &str, text: &str| {
        let text = text.trim();
        if text.is_empty() {
            return Err(format!("the seller_address.{what} is empty"));
        }
        if text.chars().count() > MAX_ADDRESS_CHARS {
            return Err(format!("the seller_address.{what} is longer than {MAX_ADDRESS_CHARS} characters"));
        }
        Ok(text.to_owned())
    };
    Ok(SellerAddress { address: field("address", &address.address)?, hours: field("hours", &address.hours)? })
}

fn check_refund(amount: Kopecks, price: Kopecks) -> Result<(), String> {
    if amount.0 <= 0 || amount > price {
        return Err(format!(
            "the compensation's refund must be more than 0 and at most the item's price {price}; got {amount}"
        ));
    }
    Ok(())
}

/// The compensation an approval by `route` may give: a refund within the price or a replacement
/// when the item comes back; a refund or a missing part when it stays with the buyer.
fn check_compensation(route: ReturnRoute, compensation: &Compensation, price: Kopecks) -> Result<Compensation, String> {
    match (route, compensation) {
        (_, Compensation::Refund { amount }) => check_refund(*amount, price).map(|()| compensation.clone()),
        (ReturnRoute::PickupPoint | ReturnRoute::Seller, Compensation::Replacement) => Ok(Compensation::Replacement),
        (ReturnRoute::NoReturn, Compensation::MissingPart { part }) => {
            Ok(Compensation::MissingPart { part: check_text("compensation's missing part", part)? })
        }
        (ReturnRoute::NoReturn, Compensation::Replacement) => {
            Err("the compensation cannot be a replacement without return: the replaced item comes back".into())
        }
        (_, Compensation::MissingPart { .. }) => {
            Err("the compensation cannot be a missing part here: a missing part needs no item back".into())
        }
    }
}

/// Checks a request's fields: `price` is what the buyer paid for the item, `approved` the claim's
/// compensation (for a route change). An error names the field.
pub fn check_action(
    request: &ClaimActionRequest,
    price: Kopecks,
    approved: Option<&Compensation>,
) -> Result<CheckedAction, String> {
    let approve = |route, compensation: &Compensation, address: Option<&SellerAddress>| -> Result<_, String> {
        Ok(CheckedAction::Approve {
            route,
            compensation: check_compensation(route, compensation, price)?,
            seller_address: address.map(check_address).transpose()?,
        })
    };
    match request {
        ClaimActionRequest::ApproveViaPickupPoint { compensation } => {
            approve(ReturnRoute::PickupPoint, compensation, None)
        }
        ClaimActionRequest::ApproveToSeller { compensation, seller_address } => {
            approve(ReturnRoute::Seller, compensation, Some(seller_address))
        }
        ClaimActionRequest::ApproveWithoutReturn { compensation } => approve(ReturnRoute::NoReturn, compensation, None),
        ClaimActionRequest::Reject { template, comment } => {
            let comment = comment.as_deref().map(|c| check_comment("comment", c)).transpose()?;
            if template.is_none() && comment.is_none() {
                return Err("a rejection needs a template, a comment, or both".into());
            }
            Ok(CheckedAction::Reject { template: *template, comment })
        }
        ClaimActionRequest::Reconsider => Ok(CheckedAction::Reconsider),
        ClaimActionRequest::ChangeRoute { route, seller_address } => {
            let seller_address = match (route, seller_address) {
                (ReturnRoute::Seller, Some(address)) => Some(check_address(address)?),
                (ReturnRoute::Seller, None) => return Err("the route to the seller needs a seller_address".into()),
                _ => None,
            };
            if *route == ReturnRoute::NoReturn && !matches!(approved, Some(Compensation::Refund { .. })) {
                return Err("the route no_return is only for a refund: a replacement needs the item back".into());
            }
            Ok(CheckedAction::ChangeRoute { route: *route, seller_address })
        }
        ClaimActionRequest::ConfirmReceipt => Ok(CheckedAction::ConfirmReceipt),
        ClaimActionRequest::RefuseReceipt { comment } => {
            Ok(CheckedAction::RefuseReceipt { comment: check_comment("comment", comment)? })
        }
        ClaimActionRequest::Dispute { comment } => {
            Ok(CheckedAction::Dispute { comment: check_comment("comment", comment)? })
        }
        ClaimActionRequest::UpholdRejection { comment } => {
            let comment = comment.as_deref().map(str::trim).filter(|c| !c.is_empty());
            let comment = comment.map(|c| check_comment("comment", c)).transpose()?;
            Ok(CheckedAction::UpholdRejection { comment })
        }
        ClaimActionRequest::Revoke { comment } => {
            Ok(CheckedAction::Revoke { comment: check_text("comment", comment)? })
        }
    }
}

#[cfg(test)]
#[path = "actions_tests.rs"]
mod tests;
