//! What an op means on the server, with no IO: which ops are permanently rejected and why, and the
//! ledger postings of their money effects computed from the server's own prices and decisions (the
//! server is the authority for money; the kiosk's figures are only checked against these). One
//! module per op family; the accounts, amounts and the refusal-fee rule they share live here.

pub mod claims;
pub mod facts;
pub mod hand_back;
mod issue;

pub use issue::{check_issue_completed, IssueClaim};

use facts::OrderFacts;
use pvz_domain::{FeePolicy, ItemId, Kopecks, RefusalReason};
use pvz_protocol::sync::reject;
use serde::{Deserialize, Serialize};

/// A permanent rejection: stored with the op, shown on the kiosk's "needs attention" list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub code: &'static str,
    pub message: String,
}

impl Rejection {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Rejection { code, message: message.into() }
    }
}

/// One ledger entry: an account and a signed amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posting {
    pub account: String,
    pub amount: Kopecks,
}

pub const NETWORK_FEES: &str = "network:fees";

/// The largest single amount (price, fee, collected or refunded sum) the server accepts: 10 000 000 000 ₽.
/// Far above any real parcel, far below where sums of a few hundred of them could overflow i64.
pub const MAX_AMOUNT: Kopecks = Kopecks(1_000_000_000_000);

/// Whether an amount is one the server handles: not negative, not above [`MAX_AMOUNT`].
pub fn amount_in_range(amount: Kopecks) -> bool {
    (0..=MAX_AMOUNT.0).contains(&amount.0)
}

pub(crate) fn overflow() -> Rejection {
    Rejection::new(reject::INVALID_OP, "the op's amounts add up past what the server can count")
}

/// Where cash is held that the counter took for an op the server rejected, awaiting reconciliation.
pub const NETWORK_UNRECONCILED: &str = "network:unreconciled";
/// Ledger kind of a rejected op's cash held at the point.
pub const KIND_UNRECONCILED_CASH: &str = "unreconciled_cash";

/// The cash drawer of a pickup point: money the counter holds for the network.
pub fn point_cash_account(point: &str) -> String {
    format!("point_cash:{point}")
}

/// A rejected `IssueCompleted` whose payment was taken: the manager holds `collected` in cash though
/// nothing was sold, so the point's cash account gets it against the network's unreconciled account
/// (both network-side; buyers and sellers are untouched until a person reconciles). Empty when no
/// cash was taken, or the figure is outside what the server accepts.
pub fn unreconciled_cash(point: &str, collected: Kopecks, payment_taken: bool) -> Vec<Posting> {
    if !payment_taken || collected.0 <= 0 || !amount_in_range(collected) {
        return Vec::new();
    }
    vec![
        Posting { account: point_cash_account(point), amount: collected },
        Posting { account: NETWORK_UNRECONCILED.to_owned(), amount: Kopecks(-collected.0) },
    ]
}

pub fn buyer_account(buyer_id: &str) -> String {
    format!("buyer:{buyer_id}")
}

pub fn seller_account(seller_id: &str) -> String {
    format!("seller:{seller_id}")
}

/// The order an op names must exist (the caller already refused other points' orders).
pub fn require_order(order: Option<OrderFacts>) -> Result<OrderFacts, Rejection> {
    order.ok_or_else(|| Rejection::new(reject::ORDER_NOT_FOUND, "the order does not exist"))
}

/// The order and item an op names must exist at this point (the caller already refused other points).
pub fn check_item(order: Option<&OrderFacts>, item: Option<&ItemId>) -> Result<(), Rejection> {
    let order = order.ok_or_else(|| Rejection::new(reject::ORDER_NOT_FOUND, "the order does not exist"))?;
    if let Some(item) = item {
        if !order.items.iter().any(|i| i.id == item.as_str()) {
            return Err(Rejection::new(reject::ITEM_NOT_IN_ORDER, format!("item {item} is not in order {}", order.id)));
        }
    }
    Ok(())
}

/// A refusal's fee, as the counter fixed it: within the amounts the server accepts, free for a
/// defect or another seller-fault reason, and for a buyer-side reason the item category's fee in
/// the point's current policy or in one it had before (`policies`, current first). The kiosk fixes
/// the fee when the refusal is recorded, maybe offline before a policy change reached it, so an
/// earlier policy's fee is honest; a fee no policy of the point ever had is not.
pub fn check_refusal_fee(
    item_id: &str,
    category: &str,
    reason: RefusalReason,
    fee: Kopecks,
    policies: &[FeePolicy],
) -> Result<(), Rejection> {
    if !amount_in_range(fee) {
        return Err(Rejection::new(
            reject::INVALID_OP,
            format!("item {item_id}: a fee of {fee} is negative or above {MAX_AMOUNT}"),
        ));
    }
    if reason.is_seller_fault() {
        if fee.is_zero() {
            return Ok(());
        }
        let why = if reason == RefusalReason::Defect { "a defect" } else { "the seller's fault" };
        return Err(Rejection::new(
            reject::INVALID_OP,
            format!("item {item_id}: a refusal for {why} is free, but the op charges {fee}"),
        ));
    }
    let fee_in = |policy: &FeePolicy| policy.fee_for(category, reason).fee;
    if policies.iter().any(|policy| fee_in(policy) == fee) {
        return Ok(());
    }
    let current = policies.first().map(fee_in).unwrap_or(Kopecks::ZERO);
    Err(Rejection::new(
        reject::AMOUNT_MISMATCH,
        format!(
            "item {item_id}: the op charges a refusal fee of {fee}, but the pickup point's fee policy for category \
             \"{category}\" is {current} (and no earlier policy of the point charged {fee})"
        ),
    ))
}

/// Two postings moving `amount` from one account to another; none for a zero amount.
pub fn transfer(from: String, to: String, amount: Kopecks) -> Result<Vec<Posting>, Rejection> {
    if amount.is_zero() {
        return Ok(Vec::new());
    }
    Ok(vec![
        Posting { account: from, amount: Kopecks(amount.0.checked_neg().ok_or_else(overflow)?) },
        Posting { account: to, amount },
    ])
}
