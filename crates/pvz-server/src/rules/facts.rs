//! The facts about orders that several rules judge, as plain data: the storage reads them and hands
//! them in, so the rules never reach for a connection (db -> rules, never back). Facts only one
//! family of rules reads (a claim, a manifest line) live beside those rules.

use pvz_domain::{Kopecks, OrderId};

/// An order's state on the server. `Cancelled` is not an `OrderStatus` on the wire: the feed carries
/// it as a `CancelOrder` change instead (see `db::feed`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderState {
    Ready,
    Issued,
    Cancelled,
}

impl OrderState {
    pub fn as_str(self) -> &'static str {
        match self {
            OrderState::Ready => "ready",
            OrderState::Issued => "issued",
            OrderState::Cancelled => "cancelled",
        }
    }

    pub fn parse(raw: &str) -> Option<OrderState> {
        [OrderState::Ready, OrderState::Issued, OrderState::Cancelled].into_iter().find(|s| s.as_str() == raw)
    }
}

/// What the op rules need to know about an order.
#[derive(Debug, Clone)]
pub struct OrderFacts {
    pub id: OrderId,
    pub pickup_point_id: String,
    pub buyer_id: String,
    pub state: OrderState,
    pub items: Vec<ItemFacts>,
}

#[derive(Debug, Clone)]
pub struct ItemFacts {
    pub id: String,
    pub seller_id: String,
    pub price: Kopecks,
    pub prepaid: bool,
    pub category: String,
}

/// The `refusal_reason` of an item an issue left out because it never reached the point.
pub const NOT_ARRIVED: &str = "not_arrived";
