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
    let decision = serde_json::to_value(facts.decision).ok().and_then(|v| v.as_str().map(str::to_owned));
    let mut why = format!(
        "{name} is not available: the claim is {} (decision {}), decided by {who}",
        facts.state.as_str(),
        decision.unwrap_or_default()
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
mod tests {
    use super::*;
    use ClaimAction::*;

    fn facts(state: ClaimState, decision: ClaimDecision, decided_by: Decider) -> ActionFacts {
        ActionFacts {
            state,
            decision,
            decided_by,
            route: None,
            item_fate: ItemFate::WithBuyer,
            disputed: false,
            dispute_decided: false,
        }
    }

    #[test]
    fn the_decider_decides_a_claim_under_review_and_an_operator_may_revoke_it() {
        let seller_claim = facts(ClaimState::Open, ClaimDecision::UnderReview, Decider::Seller);
        let all = vec![ApproveViaPickupPoint, ApproveToSeller, ApproveWithoutReturn, Reject];
        assert_eq!(available_actions(&seller_claim, Role::Seller), all, "the seller decides its claim");
        assert_eq!(available_actions(&seller_claim, Role::Operator), vec![Revoke], "an operator only revokes it");
        assert!(available_actions(&seller_claim, Role::BuyerFront).is_empty(), "the buyer front waits");
        let marketplace = ActionFacts { decided_by: Decider::Operator, ..seller_claim };
        assert!(available_actions(&marketplace, Role::Seller).is_empty(), "a marketplace return is not the seller's");
        let mut operator = all.clone();
        operator.push(Revoke);
        assert_eq!(available_actions(&marketplace, Role::Operator), operator, "the operator decides it");
        assert_eq!(available_actions(&seller_claim, Role::Network), operator, "the network stands in for anyone");
    }

    #[test]
    fn a_rejection_is_disputed_once_and_reconsidered_until_its_dispute_is_decided() {
        let rejected = facts(ClaimState::Rejected, ClaimDecision::Rejected, Decider::Seller);
        assert_eq!(available_actions(&rejected, Role::BuyerFront), vec![Dispute], "the buyer may dispute");
        assert_eq!(available_actions(&rejected, Role::Seller), vec![Reconsider], "the seller may reconsider");
        assert!(available_actions(&rejected, Role::Operator).is_empty(), "nothing for an operator yet");
        let disputed =
            ActionFacts { state: ClaimState::Open, decision: ClaimDecision::Disputed, disputed: true, ..rejected };
        assert_eq!(
            available_actions(&disputed, Role::Operator),
            vec![ApproveViaPickupPoint, ApproveToSeller, ApproveWithoutReturn, UpholdRejection, Revoke],
            "an operator decides the dispute"
        );
        assert_eq!(available_actions(&disputed, Role::Seller), vec![Reconsider], "the seller may still give in");
        let upheld = ActionFacts { dispute_decided: true, disputed: true, ..rejected };
        assert!(available_actions(&upheld, Role::BuyerFront).is_empty(), "no second dispute");
        assert!(available_actions(&upheld, Role::Seller).is_empty(), "an upheld rejection is final");
    }

    #[test]
    fn an_approved_claim_changes_route_until_the_item_is_back_and_the_seller_confirms_receipt() {
        let approved = ActionFacts {
            route: Some(ReturnRoute::PickupPoint),
            item_fate: ItemFate::ToPickupPoint,
            ..facts(ClaimState::Approved, ClaimDecision::Approved, Decider::Seller)
        };
        assert_eq!(available_actions(&approved, Role::Seller), vec![ChangeRoute], "on its way to a point");
        assert_eq!(available_actions(&approved, Role::Operator), vec![Revoke], "an operator may revoke");
        let to_seller = ActionFacts { route: Some(ReturnRoute::Seller), item_fate: ItemFate::ToSeller, ..approved };
        assert_eq!(
            available_actions(&to_seller, Role::Seller),
            vec![ChangeRoute, ConfirmReceipt, RefuseReceipt],
            "on its way to the seller"
        );
        let part = ActionFacts { route: Some(ReturnRoute::NoReturn), item_fate: ItemFate::WithBuyer, ..approved };
        assert!(available_actions(&part, Role::Seller).is_empty(), "nothing comes back from a missing part");
        let done = ActionFacts { state: ClaimState::Fulfilled, item_fate: ItemFate::AtSeller, ..to_seller };
        assert!(available_actions(&done, Role::Seller).is_empty(), "a fulfilled claim is done");
        assert!(available_actions(&done, Role::Network).is_empty(), "even for the network");
        let refused = ActionFacts {
            state: ClaimState::Rejected,
            decision: ClaimDecision::Rejected,
            item_fate: ItemFate::AtSeller,
            ..to_seller
        };
        let disputed = ActionFacts { state: ClaimState::Open, decision: ClaimDecision::Disputed, ..refused };
        assert_eq!(
            available_actions(&disputed, Role::Operator),
            vec![ApproveWithoutReturn, UpholdRejection, Revoke],
            "an item the seller holds is not sent anywhere again"
        );
    }

    fn refund(amount: i64) -> Compensation {
        Compensation::Refund { amount: Kopecks(amount) }
    }

    fn address(address: &str, hours: &str) -> SellerAddress {
        SellerAddress { address: address.into(), hours: hours.into() }
    }

    #[test]
    fn approvals_check_the_refund_the_compensation_and_the_address() {
        let price = Kopecks(1_000);
        let via = |c| check_action(&ClaimActionRequest::ApproveViaPickupPoint { compensation: c }, price, None);
        assert!(via(refund(1_000)).is_ok(), "a full refund");
        assert!(via(refund(1)).is_ok(), "a partial refund");
        assert!(via(Compensation::Replacement).is_ok(), "a replacement");
        for amount in [0, -1, 1_001] {
            let err = via(refund(amount)).expect_err("out of range");
            assert!(err.contains("refund"), "a refund of {amount} is refused naming the refund: {err}");
        }
        assert!(via(Compensation::MissingPart { part: "пуговица".into() }).is_err(), "a part takes no item back");
        let without = |c| check_action(&ClaimActionRequest::ApproveWithoutReturn { compensation: c }, price, None);
        assert!(without(Compensation::Replacement).is_err(), "no replacement without return");
        assert!(without(Compensation::MissingPart { part: " пуговица ".into() }).is_ok(), "a missing part");
        let to_seller = |a| {
            check_action(
                &ClaimActionRequest::ApproveToSeller { compensation: refund(500), seller_address: a },
                price,
                None,
            )
        };
        let err = to_seller(address(" ", "10-19")).expect_err("an empty address");
        assert!(err.contains("seller_address.address"), "names the field: {err}");
        let err = to_seller(address("Москва", "")).expect_err("no hours");
        assert!(err.contains("seller_address.hours"), "names the field: {err}");
        assert!(to_seller(address("Москва", &"x".repeat(1001))).is_err(), "hours too long");
        assert_eq!(
            to_seller(address(" Москва ", " 10-19 ")),
            Ok(CheckedAction::Approve {
                route: ReturnRoute::Seller,
                compensation: refund(500),
                seller_address: Some(address("Москва", "10-19"))
            }),
            "trimmed"
        );
    }

    #[test]
    fn comments_are_10_to_1000_characters_and_a_rejection_needs_a_reason() {
        let reject = |template, comment: Option<&str>| {
            check_action(
                &ClaimActionRequest::Reject { template, comment: comment.map(str::to_owned) },
                Kopecks(1),
                None,
            )
        };
        assert!(reject(None, None).is_err(), "neither template nor comment");
        assert!(reject(Some(RejectionTemplate::SignsOfUse), None).is_ok(), "a template alone");
        assert!(reject(None, Some("ё".repeat(10).as_str())).is_ok(), "10 characters (20 bytes)");
        assert!(reject(None, Some(&format!("  {}  ", "ё".repeat(9)))).is_err(), "9 characters once trimmed");
        assert!(reject(None, Some("ё".repeat(1000).as_str())).is_ok(), "1000 characters");
        assert!(reject(None, Some("ё".repeat(1001).as_str())).is_err(), "1001 characters");
        let dispute = check_action(&ClaimActionRequest::Dispute { comment: "коротко".into() }, Kopecks(1), None);
        assert!(dispute.is_err(), "a dispute's comment is 10 characters at least");
    }

    #[test]
    fn a_route_change_to_the_seller_needs_an_address_and_no_return_only_a_refund() {
        let change = |route, address, approved: &Compensation| {
            check_action(
                &ClaimActionRequest::ChangeRoute { route, seller_address: address },
                Kopecks(1_000),
                Some(approved),
            )
        };
        assert!(change(ReturnRoute::Seller, None, &refund(5)).is_err(), "no address");
        assert!(change(ReturnRoute::Seller, Some(address("Москва", "10-19")), &refund(5)).is_ok(), "an address");
        assert!(change(ReturnRoute::NoReturn, None, &Compensation::Replacement).is_err(), "a replacement comes back");
        assert!(change(ReturnRoute::NoReturn, None, &refund(5)).is_ok(), "a refund without return");
        assert!(change(ReturnRoute::PickupPoint, None, &Compensation::Replacement).is_ok(), "back to a point");
    }
}
