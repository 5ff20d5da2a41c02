//! Every op is bounded by construction (protocol 4): each free-text field and code by its
//! [`TextLimit`], each list by a cap here, so the largest op any kind can produce fits well inside the
//! server's default 1 MiB body, alone. The kiosk checks an op before it queues it (and splits what it
//! can, such as shelf expiry, into ops of at most [`MAX_EXPIRED_ITEMS`]); the server checks each op it
//! is pushed and rejects one out of bounds as `invalid_input`, for that op alone.
//!
//! The bounds are checked on entry rather than when an op is deserialized, so an op a previous
//! release queued with a longer text still reads back from the kiosk's outbox, is sent, and is
//! refused alone instead of stopping the queue.

use crate::ops::{DamagedItem, HandBackItem, ItemDecision, OpBody, PhotoRef, RefusedItem};
use pvz_domain::text::{self, TextLimit};

/// Items one issue may decide, hand over or refuse: more than any order brings.
pub const MAX_ORDER_ITEMS: usize = 100;
/// Photos attached to one item, claim return or damaged item.
pub const MAX_PHOTOS: usize = 10;
/// Items of one courier hand-back, and manifest lines it may name missing.
pub const MAX_HAND_BACK_ITEMS: usize = 80;
/// Units one return box may hold.
pub const MAX_BOX_ITEMS: usize = 500;
/// Boxes one handover may hand to a driver.
pub const MAX_HANDOVER_BOXES: usize = 200;
/// Lines one receiving may place, and expected items it may name missing.
pub const MAX_SHIPMENT_LINES: usize = 1000;
/// Codes nobody expected, recorded at one receiving.
pub const MAX_UNEXPECTED_CODES: usize = 100;
/// Damaged items one receiving records (each with a description and photos).
pub const MAX_DAMAGED_ITEMS: usize = 20;
/// Items one `ShelfExpired` op moves to returns; the kiosk writes a larger expiry as several ops.
pub const MAX_EXPIRED_ITEMS: usize = 200;
/// Refusal counts in one shift report (one per reason at most).
pub const MAX_REPORT_REFUSALS: usize = 16;

/// Why an op is out of its bounds; the message names the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BoundsError {
    #[error(transparent)]
    Text(#[from] pvz_domain::TextError),
    #[error("{field} lists {got} entries; at most {max} are allowed")]
    TooMany { field: &'static str, max: usize, got: usize },
}

fn at_most<T>(field: &'static str, list: &[T], max: usize) -> Result<(), BoundsError> {
    if list.len() > max {
        return Err(BoundsError::TooMany { field, max, got: list.len() });
    }
    Ok(())
}

fn photos(list: &[PhotoRef]) -> Result<(), BoundsError> {
    at_most("photos", list, MAX_PHOTOS)?;
    list.iter().try_for_each(|p| photo(&p.photo_id, &p.sha256, &p.media_type))
}

fn photo(photo_id: &str, sha256: &str, media_type: &str) -> Result<(), BoundsError> {
    text::REFERENCE.named("photo_id").check(photo_id)?;
    text::SHA256_HEX.check(sha256)?;
    Ok(text::MEDIA_TYPE.check(media_type)?)
}

fn description(raw: Option<&str>) -> Result<(), BoundsError> {
    Ok(text::DESCRIPTION.check_opt(raw)?)
}

fn refused(item: &RefusedItem) -> Result<(), BoundsError> {
    description(item.description.as_deref())
}

fn handed_back(item: &HandBackItem) -> Result<(), BoundsError> {
    text::SCANNED_CODE.check(&item.code)?;
    description(item.description.as_deref())
}

fn damaged(item: &DamagedItem) -> Result<(), BoundsError> {
    text::DESCRIPTION.check(&item.description)?;
    photos(&item.photos)
}

fn cell(limit: TextLimit, raw: &str) -> Result<(), BoundsError> {
    Ok(limit.check(raw)?)
}

impl OpBody {
    /// Whether every text, code and list of this op is within its bound (see the module doc).
    pub fn check_bounds(&self) -> Result<(), BoundsError> {
        match self {
            OpBody::IssueOpened { .. } | OpBody::ItemDecisionCleared { .. } => Ok(()),
            OpBody::ItemDecided { decision, mark, .. } => {
                text::SCANNED_CODE.named("mark").check_opt(mark.as_deref())?;
                match decision {
                    ItemDecision::Refuse { description: d, .. } => description(d.as_deref()),
                    ItemDecision::HandOver | ItemDecision::NotArrived => Ok(()),
                }
            }
            OpBody::DefectPhotoAttached { photo_id, sha256, media_type, .. } => photo(photo_id, sha256, media_type),
            OpBody::IssueCompleted { handed_over, refused: refusals, not_arrived, .. } => {
                at_most("handed_over", handed_over, MAX_ORDER_ITEMS)?;
                at_most("refused", refusals, MAX_ORDER_ITEMS)?;
                at_most("not_arrived", not_arrived, MAX_ORDER_ITEMS)?;
                refusals.iter().try_for_each(refused)
            }
            OpBody::ClaimReturnAccepted { condition, photos: list, return_code, .. } => {
                text::CONDITION.check(condition)?;
                text::SIGNED_CODE.check_opt(return_code.as_deref())?;
                photos(list)
            }
            OpBody::CourierHandBackCompleted { hand_back_id, accepted_by, items, missing, .. } => {
                text::REFERENCE.named("hand_back_id").check(hand_back_id)?;
                text::PERSON_NAME.named("accepted_by").check(accepted_by)?;
                at_most("items", items, MAX_HAND_BACK_ITEMS)?;
                at_most("missing", missing, MAX_HAND_BACK_ITEMS)?;
                items.iter().try_for_each(handed_back)
            }
            OpBody::ReturnBoxClosed { items, .. } => at_most("items", items, MAX_BOX_ITEMS),
            OpBody::BoxesHandedOver { handover_id, box_ids, .. } => {
                text::REFERENCE.named("handover_id").check(handover_id)?;
                at_most("box_ids", box_ids, MAX_HANDOVER_BOXES)
            }
            OpBody::ShipmentReceived { shipment_id, placed, missing, unexpected, damaged: list } => {
                text::REFERENCE.named("shipment_id").check(shipment_id)?;
                at_most("placed", placed, MAX_SHIPMENT_LINES)?;
                at_most("missing", missing, MAX_SHIPMENT_LINES)?;
                at_most("unexpected", unexpected, MAX_UNEXPECTED_CODES)?;
                at_most("damaged", list, MAX_DAMAGED_ITEMS)?;
                placed.iter().try_for_each(|p| cell(text::CELL, &p.cell))?;
                unexpected.iter().try_for_each(|code| cell(text::SCANNED_CODE, code))?;
                list.iter().try_for_each(damaged)
            }
            OpBody::ItemMoved { from, to, .. } => {
                cell(text::CELL.named("from"), from)?;
                cell(text::CELL.named("to"), to)
            }
            OpBody::ShelfExpired { items } => at_most("items", items, MAX_EXPIRED_ITEMS),
            OpBody::ShiftOpened { shift_id } => Ok(text::REFERENCE.named("shift_id").check(shift_id)?),
            OpBody::ShiftClosed { shift_id, report } => {
                text::REFERENCE.named("shift_id").check(shift_id)?;
                at_most("refusals", &report.refusals, MAX_REPORT_REFUSALS)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::ExpiredItem;
    use pvz_domain::{ItemId, OrderId, ReturnId};

    fn expired(n: usize) -> ExpiredItem {
        ExpiredItem {
            order_id: OrderId::parse(&format!("o{n}")).expect("id"),
            item_id: ItemId::parse(&format!("i{n}")).expect("id"),
            return_id: ReturnId::parse(&format!("r{n}")).expect("id"),
        }
    }

    #[test]
    fn lists_and_texts_past_their_bounds_are_named() {
        let at_cap = OpBody::ShelfExpired { items: (0..MAX_EXPIRED_ITEMS).map(expired).collect() };
        assert_eq!(at_cap.check_bounds(), Ok(()), "an expiry of the largest size is within bounds");
        let over = OpBody::ShelfExpired { items: (0..=MAX_EXPIRED_ITEMS).map(expired).collect() };
        let error = over.check_bounds().expect_err("one item too many");
        assert!(error.to_string().contains("items lists 201"), "the error says what is too long: {error}");
        let moved = OpBody::ItemMoved {
            order_id: OrderId::parse("o1").expect("id"),
            item_id: ItemId::parse("i1").expect("id"),
            from: "A-01".into(),
            to: "A".repeat(33),
        };
        assert!(moved.check_bounds().is_err(), "a 33-character cell is longer than any cell label");
    }
}
