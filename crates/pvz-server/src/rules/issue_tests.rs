//! Tests of `IssueCompleted`'s rules: one decision per item, fees by the point's policies (current or
//! earlier), the sums against the server's prices, arrival, items not arrived, and overflow.

use super::*;
use crate::rules::facts::ItemFacts;
use pvz_domain::{OrderId, RefusalReason};

/// The test order is on the shelf (arrived) unless a test says otherwise.
const ARRIVED: Option<&str> = Some("2026-12-01T10:00:00.000Z");
/// No item of the test order was recorded missing unless a test says otherwise.
const NONE_MISSING: BTreeSet<&str> = BTreeSet::new();

/// The point's policies, current first: clothes 149 ₽ (was 99 ₽), anything else 199 ₽.
fn policies() -> Vec<FeePolicy> {
    let policy = |clothes: i64| FeePolicy {
        default_fee: Kopecks(19_900),
        per_category: BTreeMap::from([("clothes".to_owned(), Kopecks(clothes))]),
    };
    vec![policy(14_900), policy(9_900)]
}

fn order(prepaid: bool) -> OrderFacts {
    let item = |id: &str, seller: &str, price: i64, category: &str| ItemFacts {
        id: id.into(),
        seller_id: seller.into(),
        price: Kopecks(price),
        prepaid,
        category: category.into(),
    };
    OrderFacts {
        id: OrderId::parse("ord-1").expect("id"),
        pickup_point_id: "pp-1".into(),
        buyer_id: "b-1".into(),
        state: OrderState::Ready,
        items: vec![item("i-1", "s-1", 100_000, "clothes"), item("i-2", "s-2", 50_000, "shoes")],
    }
}

fn id(raw: &str) -> ItemId {
    ItemId::parse(raw).expect("id")
}

fn refused(item: &str, reason: RefusalReason, fee: i64) -> RefusedItem {
    let description = (reason == RefusalReason::Defect).then(|| "дырка".to_owned());
    RefusedItem { item_id: id(item), reason, description, fee: Kopecks(fee) }
}

#[test]
fn a_fee_refusal_posts_goods_to_the_seller_and_the_fee_to_the_network() {
    let refused = [refused("i-2", RefusalReason::DidNotFit, 19_900)];
    let handed = [id("i-1")];
    let claim = IssueClaim {
        handed_over: &handed,
        refused: &refused,
        not_arrived: &[],
        collected: Kopecks(119_900),
        refunded: Kopecks::ZERO,
        payment_taken: true,
    };
    let postings =
        check_issue_completed(&order(false), ARRIVED, &NONE_MISSING, &policies(), &claim).expect("the figures match");
    let total: i64 = postings.iter().map(|p| p.amount.0).sum();
    assert_eq!(total, 0, "postings must balance");
    assert!(postings.contains(&Posting { account: "seller:s-1".into(), amount: Kopecks(100_000) }), "seller paid");
    assert!(postings.contains(&Posting { account: NETWORK_FEES.into(), amount: Kopecks(19_900) }), "fee to network");
}

#[test]
fn a_charged_defect_or_wrong_sum_is_rejected() {
    let handed = [id("i-1")];
    let charged = [refused("i-2", RefusalReason::Defect, 100)];
    let claim = IssueClaim {
        handed_over: &handed,
        refused: &charged,
        not_arrived: &[],
        collected: Kopecks(100_100),
        refunded: Kopecks::ZERO,
        payment_taken: true,
    };
    let err = check_issue_completed(&order(false), ARRIVED, &NONE_MISSING, &policies(), &claim)
        .expect_err("a defect is free");
    assert_eq!(err.code, reject::INVALID_OP, "charging a defect is an invalid op");
    let free = [refused("i-2", RefusalReason::Defect, 0)];
    let claim = IssueClaim { refused: &free, collected: Kopecks(1), ..claim };
    let err =
        check_issue_completed(&order(false), ARRIVED, &NONE_MISSING, &policies(), &claim).expect_err("wrong total");
    assert_eq!(err.code, reject::AMOUNT_MISMATCH, "a wrong total is an amount mismatch");
    assert!(err.message.contains("1\u{a0}000,00"), "the message gives the server's figure: {}", err.message);
}

#[test]
fn a_prepaid_refusal_refunds_from_the_seller() {
    let handed = [id("i-1")];
    let refused = [refused("i-2", RefusalReason::Defect, 0)];
    let claim = IssueClaim {
        handed_over: &handed,
        refused: &refused,
        not_arrived: &[],
        collected: Kopecks::ZERO,
        refunded: Kopecks(50_000),
        payment_taken: false,
    };
    let postings =
        check_issue_completed(&order(true), ARRIVED, &NONE_MISSING, &policies(), &claim).expect("the figures match");
    assert_eq!(
        postings,
        vec![
            Posting { account: "seller:s-2".into(), amount: Kopecks(-50_000) },
            Posting { account: "buyer:b-1".into(), amount: Kopecks(50_000) },
        ],
        "only the refund moves money on a prepaid order"
    );
}

#[test]
fn every_item_needs_exactly_one_decision() {
    let handed = [id("i-1")];
    let claim = IssueClaim {
        handed_over: &handed,
        refused: &[],
        not_arrived: &[],
        collected: Kopecks(100_000),
        refunded: Kopecks::ZERO,
        payment_taken: true,
    };
    assert_eq!(
        check_issue_completed(&order(false), ARRIVED, &NONE_MISSING, &policies(), &claim).map_err(|e| e.code),
        Err(reject::INVALID_OP),
        "a missing item is invalid"
    );
    let both = [id("i-1"), id("i-2"), id("i-2")];
    let claim = IssueClaim { handed_over: &both, ..claim };
    assert_eq!(
        check_issue_completed(&order(false), ARRIVED, &NONE_MISSING, &policies(), &claim).map_err(|e| e.code),
        Err(reject::INVALID_OP),
        "a twice-listed item is invalid"
    );
}

#[test]
fn an_order_that_has_not_arrived_is_not_issued_and_a_closed_one_still_says_closed() {
    let handed = [id("i-1"), id("i-2")];
    let claim = IssueClaim {
        handed_over: &handed,
        refused: &[],
        not_arrived: &[],
        collected: Kopecks(150_000),
        refunded: Kopecks::ZERO,
        payment_taken: true,
    };
    let err = check_issue_completed(&order(false), None, &NONE_MISSING, &policies(), &claim)
        .expect_err("nothing to hand over");
    assert_eq!(err.code, reject::ORDER_NOT_ARRIVED, "an order not arrived is refused as such: {}", err.message);
    assert!(err.message.contains("ord-1"), "the message names the order: {}", err.message);
    let issued = OrderFacts { state: OrderState::Issued, ..order(false) };
    let err = check_issue_completed(&issued, None, &NONE_MISSING, &policies(), &claim).expect_err("issued already");
    assert_eq!(err.code, reject::ORDER_CLOSED, "an issued order says closed first, arrived or not");
    assert!(
        check_issue_completed(&order(false), ARRIVED, &NONE_MISSING, &policies(), &claim).is_ok(),
        "arrived: it is issued"
    );
}

#[test]
fn a_buyer_side_fee_must_be_the_categorys_fee_in_the_current_or_an_earlier_policy() {
    let handed = [id("i-2")];
    let claim_with = |fee: i64| {
        let refused = [refused("i-1", RefusalReason::DidNotFit, fee)];
        let claim = IssueClaim {
            handed_over: &handed,
            refused: &refused,
            not_arrived: &[],
            collected: Kopecks(50_000 + fee),
            refunded: Kopecks::ZERO,
            payment_taken: true,
        };
        check_issue_completed(&order(false), ARRIVED, &NONE_MISSING, &policies(), &claim)
    };
    assert!(claim_with(14_900).is_ok(), "the current policy's clothes fee is accepted");
    assert!(claim_with(9_900).is_ok(), "an earlier policy's clothes fee is accepted");
    let err = claim_with(19_900).expect_err("the default fee is not the clothes fee in any policy");
    assert_eq!(err.code, reject::AMOUNT_MISMATCH, "a fee no policy charged is an amount mismatch");
    let err = claim_with(0).expect_err("a buyer-side refusal of clothes is not free under any policy");
    assert!(
        err.message.contains("i-1") && err.message.contains("0,00") && err.message.contains("149,00"),
        "the message names the item, the fee sent and the policy's fee: {}",
        err.message
    );
}

#[test]
fn amounts_that_would_overflow_or_exceed_the_cap_are_rejected_not_a_panic() {
    let mut huge = order(false);
    for item in &mut huge.items {
        item.seller_id = "s-1".into();
        item.price = Kopecks(i64::MAX / 2 + 1);
    }
    let handed = [id("i-1"), id("i-2")];
    let claim = IssueClaim {
        handed_over: &handed,
        refused: &[],
        not_arrived: &[],
        collected: Kopecks(i64::MAX),
        refunded: Kopecks::ZERO,
        payment_taken: true,
    };
    let err = check_issue_completed(&huge, ARRIVED, &NONE_MISSING, &policies(), &claim)
        .expect_err("prices that overflow are refused");
    assert_eq!(err.code, reject::INVALID_OP, "an overflowing sum is an invalid op: {}", err.message);

    let refused = [refused("i-2", RefusalReason::DidNotFit, 1_000_000_000_001)];
    let handed = [id("i-1")];
    let mut policy = policies()[0].clone();
    policy.default_fee = Kopecks(1_000_000_000_001);
    let claim = IssueClaim { handed_over: &handed, refused: &refused, collected: Kopecks(1_000_100_000_001), ..claim };
    let err = check_issue_completed(&order(false), ARRIVED, &NONE_MISSING, &[policy], &claim)
        .expect_err("a fee over the cap is refused");
    assert_eq!(err.code, reject::INVALID_OP, "an amount over the cap is an invalid op: {}", err.message);
}

/// The dress (i-1, 1 000 ₽ at the counter) handed over and paid, the shoes left out.
fn dress_handed_shoes_not_arrived<'a>(handed: &'a [ItemId], gone: &'a [ItemId]) -> IssueClaim<'a> {
    IssueClaim {
        handed_over: handed,
        refused: &[],
        not_arrived: gone,
        collected: Kopecks(100_000),
        refunded: Kopecks::ZERO,
        payment_taken: true,
    }
}

#[test]
fn an_item_recorded_missing_may_be_left_out_unpaid_and_is_refunded_when_prepaid() {
    let missing = BTreeSet::from(["i-2"]);
    let (handed, gone) = ([id("i-1")], [id("i-2")]);
    let claim = dress_handed_shoes_not_arrived(&handed, &gone);
    let postings =
        check_issue_completed(&order(false), ARRIVED, &missing, &policies(), &claim).expect("the figures match");
    assert_eq!(
        postings,
        vec![
            Posting { account: "buyer:b-1".into(), amount: Kopecks(-100_000) },
            Posting { account: "seller:s-1".into(), amount: Kopecks(100_000) },
        ],
        "only the item handed over is paid for; the one not arrived moves no money and no fee"
    );
    let prepaid = IssueClaim { collected: Kopecks::ZERO, refunded: Kopecks(50_000), payment_taken: false, ..claim };
    let postings =
        check_issue_completed(&order(true), ARRIVED, &missing, &policies(), &prepaid).expect("the figures match");
    assert_eq!(
        postings,
        vec![
            Posting { account: "seller:s-2".into(), amount: Kopecks(-50_000) },
            Posting { account: "buyer:b-1".into(), amount: Kopecks(50_000) },
        ],
        "a prepaid item that never came is paid back by its seller"
    );
    let unrefunded = IssueClaim { refunded: Kopecks::ZERO, ..prepaid };
    let err = check_issue_completed(&order(true), ARRIVED, &missing, &policies(), &unrefunded)
        .expect_err("the refund is owed");
    assert_eq!(err.code, reject::AMOUNT_MISMATCH, "a kiosk that kept the refund is told the figure");
}

#[test]
fn an_item_on_the_shelf_cannot_be_said_not_to_have_arrived() {
    let (handed, gone) = ([id("i-1")], [id("i-2")]);
    let claim = dress_handed_shoes_not_arrived(&handed, &gone);
    let err = check_issue_completed(&order(false), ARRIVED, &NONE_MISSING, &policies(), &claim)
        .expect_err("nothing was recorded missing");
    assert_eq!(err.code, reject::ITEM_NOT_MISSING, "only a receiving's missing item may be left out: {}", err.message);
    assert!(err.message.contains("i-2"), "the message names the item: {}", err.message);
    let twice = [id("i-1")];
    let claim = IssueClaim { not_arrived: &twice, ..claim };
    let err = check_issue_completed(&order(false), ARRIVED, &BTreeSet::from(["i-1"]), &policies(), &claim)
        .expect_err("one item, two decisions");
    assert_eq!(err.code, reject::INVALID_OP, "handed over and not arrived at once is invalid: {}", err.message);
}
