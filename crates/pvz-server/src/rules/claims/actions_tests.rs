//! The actions each party is offered as a claim moves, and each request's checks.

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
        check_action(&ClaimActionRequest::ApproveToSeller { compensation: refund(500), seller_address: a }, price, None)
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
        check_action(&ClaimActionRequest::Reject { template, comment: comment.map(str::to_owned) }, Kopecks(1), None)
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
