//! Order and item states with their only allowed transitions (выдача: issuing an order).
//!
//! An order is `Ready` on the shelf, `InProgress` once the manager opened it at the counter and
//! `Issued` after payment was confirmed; an issued order is final. Item decisions can change freely
//! while the order is in progress and never after.

use crate::refusal::Refusal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    Ready,
    InProgress,
    Issued,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("the order is already issued")]
    AlreadyIssued,
    #[error("the order is not open at the counter")]
    NotInProgress,
    #[error("{0} item(s) still have no decision")]
    Undecided(usize),
}

impl OrderStatus {
    /// Opening the order card at the counter; opening an order already in progress resumes it.
    pub fn open(self) -> Result<OrderStatus, TransitionError> {
        match self {
            OrderStatus::Ready | OrderStatus::InProgress => Ok(OrderStatus::InProgress),
            OrderStatus::Issued => Err(TransitionError::AlreadyIssued),
        }
    }

    /// Item decisions may change only while the order is open.
    pub fn ensure_editable(self) -> Result<(), TransitionError> {
        match self {
            OrderStatus::InProgress => Ok(()),
            OrderStatus::Ready => Err(TransitionError::NotInProgress),
            OrderStatus::Issued => Err(TransitionError::AlreadyIssued),
        }
    }

    /// Completing the issue needs every item decided.
    pub fn complete(self, items: &[ItemState]) -> Result<OrderStatus, TransitionError> {
        self.ensure_editable()?;
        let undecided = items.iter().filter(|s| matches!(s, ItemState::Awaiting)).count();
        if undecided > 0 {
            return Err(TransitionError::Undecided(undecided));
        }
        Ok(OrderStatus::Issued)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Ready => "ready",
            OrderStatus::InProgress => "in_progress",
            OrderStatus::Issued => "issued",
        }
    }

    pub fn parse(raw: &str) -> Option<OrderStatus> {
        [OrderStatus::Ready, OrderStatus::InProgress, OrderStatus::Issued].into_iter().find(|s| s.as_str() == raw)
    }
}

/// What happens to one item of an order at the counter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemState {
    /// Not decided yet.
    Awaiting,
    /// Выдан: the buyer takes it.
    HandedOver,
    /// Отказ: the buyer refuses it.
    Refused(Refusal),
    /// Не поступил: recorded missing when its shipment was received, so it is not at the point. The
    /// buyer takes the rest of the order; this item is neither paid for nor handed over.
    NotArrived,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::refusal::RefusalReason;

    #[test]
    fn an_issued_order_cannot_be_reopened_or_edited() {
        assert_eq!(OrderStatus::Issued.open(), Err(TransitionError::AlreadyIssued), "reopen after issue");
        assert_eq!(OrderStatus::Issued.ensure_editable(), Err(TransitionError::AlreadyIssued), "edit after issue");
    }

    #[test]
    fn a_ready_order_must_be_opened_before_decisions() {
        assert_eq!(OrderStatus::Ready.ensure_editable(), Err(TransitionError::NotInProgress), "edit before open");
        assert_eq!(OrderStatus::Ready.open(), Ok(OrderStatus::InProgress), "open");
        assert_eq!(OrderStatus::InProgress.open(), Ok(OrderStatus::InProgress), "resume");
    }

    #[test]
    fn completing_needs_every_item_decided() {
        let refused = ItemState::Refused(Refusal::new(RefusalReason::ChangedMind, None).expect("valid refusal"));
        assert_eq!(
            OrderStatus::InProgress.complete(&[ItemState::HandedOver, ItemState::Awaiting]),
            Err(TransitionError::Undecided(1)),
            "one undecided item blocks completion"
        );
        assert_eq!(
            OrderStatus::InProgress.complete(&[ItemState::HandedOver, refused]),
            Ok(OrderStatus::Issued),
            "all decided -> issued"
        );
        assert_eq!(OrderStatus::Ready.complete(&[]), Err(TransitionError::NotInProgress), "complete before open");
    }
}
