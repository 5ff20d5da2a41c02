//! Выдача: a buyer's code opens the order card (`open`), each item is handed over or refused with the
//! refusal fee fixed from the policy in force (`decide`, `fees`), and the issue is confirmed with the
//! money taken (`confirm`); `order` reads an order as the counter sees it. Each step is one SQLite
//! transaction that writes its local effect and its outbox op together; bad input changes nothing
//! and says why.

mod confirm;
mod decide;
mod fees;
mod open;
pub(crate) mod order;

pub(crate) use fees::refusal_fee;
pub(crate) use open::{match_item, open_order, open_order_by_token};

use crate::error::{KioskError, NotArrived, Result};
use crate::store::orders::Arrival;
use crate::store::OrderRow;
use pvz_domain::{OrderStatus, TransitionError};

fn transition_error(e: TransitionError, issued_at: Option<String>) -> KioskError {
    match e {
        TransitionError::AlreadyIssued => KioskError::AlreadyIssued { issued_at: issued_at.unwrap_or_default() },
        TransitionError::NotInProgress => KioskError::NoActiveOrder,
        TransitionError::Undecided(n) => KioskError::UndecidedItems(n),
    }
}

/// The counter may not act on an order the network cancelled, nor on one whose items went to
/// returns as not collected in time, nor on one whose goods have not arrived at the point yet (still
/// expected in a shipment: receive it first). An order already issued (here or elsewhere) is left
/// to the transition rules: "already issued" is the truer answer for it, and an issue that crossed
/// the cancellation is settled by the server's rejection, not here.
fn ensure_issuable(order: &OrderRow, status: OrderStatus) -> Result<()> {
    if status == OrderStatus::Issued {
        return Ok(());
    }
    // The server cancels an unredeemed order too; the counter says why.
    if order.unredeemed {
        return Err(KioskError::OrderUnredeemed);
    }
    if order.cancelled {
        return Err(KioskError::OrderCancelled);
    }
    // Refused at the scan, before a card opens: the buyer hears at once that the order is not
    // here yet, and no decision or payment is recorded for goods nobody can hand over.
    match order.arrival {
        Arrival::Arrived => Ok(()),
        Arrival::Expected => Err(KioskError::OrderNotArrived(NotArrived::Expected)),
        Arrival::RecordedMissing => Err(KioskError::OrderNotArrived(NotArrived::RecordedMissing)),
    }
}
