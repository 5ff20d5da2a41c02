//! Counter operations as they travel in the outbox and in a sync push. `op_id` (UUIDv7) is the
//! business key: the server applies each op once, whatever the retries.

use pvz_domain::{
    ClaimId, CompensationKind, EmployeeId, ItemId, Kopecks, OrderId, RefusalReason, ReturnBoxId, ReturnId, ShiftReport,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The manager's decision on one item.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ItemDecision {
    HandOver,
    Refuse {
        reason: RefusalReason,
        description: Option<String>,
    },
    /// Не поступил: an item recorded missing when its shipment was received is not at the point;
    /// the buyer takes the rest of the order without it.
    NotArrived,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RefusedItem {
    pub item_id: ItemId,
    pub reason: RefusalReason,
    pub description: Option<String>,
    pub fee: Kopecks,
}

/// A photo taken at the counter; the image itself travels separately.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhotoRef {
    pub photo_id: String,
    pub sha256: String,
    pub media_type: String,
    pub size_bytes: u64,
}

/// One item a courier handed back, as the manager scanned it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HandBackItem {
    /// The returned unit as the point now holds it (its return label).
    pub return_id: ReturnId,
    /// The code scanned from the item (barcode, marking or Code 128 text).
    pub code: String,
    /// The manifest line it matched; `None` when the item was not on the manifest (an extra item,
    /// or a hand-back recorded offline: the server matches it by code then).
    pub item_id: Option<ItemId>,
    pub order_id: Option<OrderId>,
    pub reason: RefusalReason,
    pub description: Option<String>,
    /// The return-logistics fee the counter fixed for a buyer-side reason (0 for a defect).
    pub fee: Kopecks,
}

/// Where a returned unit came from.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReturnSource {
    /// Refused at the counter during an issue.
    CounterRefusal,
    /// Accepted back on an approved claim.
    Claim,
    /// Handed back by a courier.
    Courier,
    /// Not collected within the storage period.
    Unredeemed,
}

impl ReturnSource {
    pub const ALL: [ReturnSource; 4] =
        [ReturnSource::CounterRefusal, ReturnSource::Claim, ReturnSource::Courier, ReturnSource::Unredeemed];

    /// The wire name, also the form stores keep it in.
    pub fn as_str(self) -> &'static str {
        match self {
            ReturnSource::CounterRefusal => "counter_refusal",
            ReturnSource::Claim => "claim",
            ReturnSource::Courier => "courier",
            ReturnSource::Unredeemed => "unredeemed",
        }
    }

    pub fn parse(raw: &str) -> Option<ReturnSource> {
        ReturnSource::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// One returned unit packed into a box.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoxedItem {
    pub return_id: ReturnId,
    /// `None` for an extra item a courier brought that matched nothing.
    pub item_id: Option<ItemId>,
    pub source: ReturnSource,
}

/// An item placed into a cell at receiving.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlacedItem {
    pub order_id: OrderId,
    pub item_id: ItemId,
    /// The cell label as scanned (canonical form, e.g. `A-07`).
    pub cell: String,
}

/// An expected item that arrived damaged: recorded, with photos, and not placed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DamagedItem {
    pub order_id: OrderId,
    pub item_id: ItemId,
    pub description: String,
    pub photos: Vec<PhotoRef>,
}

/// An item past its storage period, moved off the shelf to returns as unredeemed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExpiredItem {
    pub order_id: OrderId,
    pub item_id: ItemId,
    pub return_id: ReturnId,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum OpBody {
    /// The order card was opened at the counter.
    IssueOpened { order_id: OrderId },
    /// A decision on one item was recorded (replaces an earlier one).
    ItemDecided {
        order_id: OrderId,
        item_id: ItemId,
        decision: ItemDecision,
        /// Честный ЗНАК: the whole marking code scanned off the unit handed over (serial and crypto
        /// tail included, GS-separated, as `pvz_domain::Scan::mark` writes it), so its sale can be
        /// reported with its code. Only on a hand-over of a unit scanned by its mark; absent in ops of
        /// kiosks before it existed.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mark: Option<String>,
    },
    /// A photo of the defect was attached to a refused item; the image travels separately.
    DefectPhotoAttached {
        order_id: OrderId,
        item_id: ItemId,
        photo_id: String,
        sha256: String,
        media_type: String,
        size_bytes: u64,
    },
    /// An earlier decision was taken back before the issue was completed.
    ItemDecisionCleared { order_id: OrderId, item_id: ItemId },
    /// Выдача completed: payment taken (if any), items handed over, refusals final.
    IssueCompleted {
        order_id: OrderId,
        handed_over: Vec<ItemId>,
        refused: Vec<RefusedItem>,
        collected: Kopecks,
        refunded: Kopecks,
        payment_taken: bool,
        /// Items recorded missing at receiving that are still not at the point: neither paid for nor
        /// handed over, and refunded when prepaid. Absent in ops of kiosks before it existed.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        not_arrived: Vec<ItemId>,
    },
    /// Приём возврата по претензии: the item of an approved claim was checked and taken back. The
    /// server pays the refund (seller → buyer) or creates the replacement order, once per op id; a
    /// claim revoked meanwhile is rejected and nothing is paid.
    ClaimReturnAccepted {
        claim_id: ClaimId,
        order_id: OrderId,
        item_id: ItemId,
        return_id: ReturnId,
        compensation: CompensationKind,
        /// The refund as the claim return code stated it; the server pays its own figure.
        amount: Kopecks,
        /// The item's condition as the manager noted it.
        condition: String,
        photos: Vec<PhotoRef>,
        /// The issue number of the claim return code the item came with (see
        /// [`crate::ClaimReturnClaims::code_issue`]); the server refuses a code replaced since.
        #[serde(default = "crate::token::first_code_issue")]
        code_issue: u32,
        /// Protocol 4: the claim return code (`PVZC2.`, or an earlier `PVZC1.`) the counter scanned, as it was scanned: the
        /// proof that the buyer brought this claim's item. The server pays nothing without it and
        /// checks its signature (any of the network's keys), that it names this claim, order, item,
        /// compensation and code issue, and its expiry against the op's time. Absent in ops queued
        /// by kiosks before protocol 4: those are rejected `claim_code_missing`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        return_code: Option<String>,
    },
    /// Приём отказов от курьера: the items a courier handed back, compared with the manifest.
    CourierHandBackCompleted {
        hand_back_id: String,
        courier_id: EmployeeId,
        /// Who accepted them at the counter, as printed on the act.
        accepted_by: String,
        items: Vec<HandBackItem>,
        /// Manifest lines the courier did not bring.
        missing: Vec<ItemId>,
    },
    /// A return box was closed with exactly these units in it; its label is printed.
    ReturnBoxClosed { box_id: ReturnBoxId, items: Vec<BoxedItem> },
    /// Closed boxes were handed to a logistics driver (акт передачи).
    BoxesHandedOver { handover_id: String, driver_id: EmployeeId, box_ids: Vec<ReturnBoxId> },
    /// Приёмка closed: what arrived went into cells; expected items that did not arrive are missing,
    /// codes nobody expected are unexpected, and damaged items are recorded. Discrepancies sync.
    ShipmentReceived {
        shipment_id: String,
        placed: Vec<PlacedItem>,
        missing: Vec<ItemId>,
        /// Codes scanned that matched no expected item.
        unexpected: Vec<String>,
        damaged: Vec<DamagedItem>,
    },
    /// An item moved between cells.
    ItemMoved { order_id: OrderId, item_id: ItemId, from: String, to: String },
    /// Items past the storage period moved to returns as unredeemed (they then go into boxes).
    ShelfExpired { items: Vec<ExpiredItem> },
    /// A manager opened a shift on this device (the op's operator).
    ShiftOpened { shift_id: String },
    /// The shift was closed with this report (the op's operator closed it).
    ShiftClosed { shift_id: String, report: ShiftReport },
}

impl OpBody {
    pub fn kind(&self) -> &'static str {
        match self {
            OpBody::IssueOpened { .. } => "issue_opened",
            OpBody::ItemDecided { .. } => "item_decided",
            OpBody::ItemDecisionCleared { .. } => "item_decision_cleared",
            OpBody::DefectPhotoAttached { .. } => "defect_photo_attached",
            OpBody::IssueCompleted { .. } => "issue_completed",
            OpBody::ClaimReturnAccepted { .. } => "claim_return_accepted",
            OpBody::CourierHandBackCompleted { .. } => "courier_hand_back_completed",
            OpBody::ReturnBoxClosed { .. } => "return_box_closed",
            OpBody::BoxesHandedOver { .. } => "boxes_handed_over",
            OpBody::ShipmentReceived { .. } => "shipment_received",
            OpBody::ItemMoved { .. } => "item_moved",
            OpBody::ShelfExpired { .. } => "shelf_expired",
            OpBody::ShiftOpened { .. } => "shift_opened",
            OpBody::ShiftClosed { .. } => "shift_closed",
        }
    }
}

impl OpBody {
    /// The one order of this point the op acts on, if any: claim returns name an order of any point
    /// (a buyer may bring the item anywhere), hand-backs, boxes and shifts name none, and receiving
    /// and expiry name several.
    pub fn point_order(&self) -> Option<&OrderId> {
        match self {
            OpBody::IssueOpened { order_id }
            | OpBody::ItemDecided { order_id, .. }
            | OpBody::ItemDecisionCleared { order_id, .. }
            | OpBody::DefectPhotoAttached { order_id, .. }
            | OpBody::IssueCompleted { order_id, .. }
            | OpBody::ItemMoved { order_id, .. } => Some(order_id),
            // Receiving and expiry name several orders: the server checks each is this point's.
            OpBody::ClaimReturnAccepted { .. }
            | OpBody::CourierHandBackCompleted { .. }
            | OpBody::ReturnBoxClosed { .. }
            | OpBody::BoxesHandedOver { .. }
            | OpBody::ShipmentReceived { .. }
            | OpBody::ShelfExpired { .. }
            | OpBody::ShiftOpened { .. }
            | OpBody::ShiftClosed { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_decision_without_a_mark_reads_as_before_and_one_with_a_mark_keeps_it() {
        let old = serde_json::json!({
            "type": "item_decided", "order_id": "o1", "item_id": "o1-1", "decision": {"kind": "hand_over"}
        });
        let mut decided: OpBody = serde_json::from_value(old.clone()).expect("an op of a kiosk before marks parses");
        assert!(matches!(&decided, OpBody::ItemDecided { mark: None, .. }), "it carries no mark: {decided:?}");
        assert_eq!(serde_json::to_value(&decided).expect("serializes"), old, "no mark: the op reads as it did");
        if let OpBody::ItemDecided { mark, .. } = &mut decided {
            *mark = Some("0104601234567893211234567890ABC\u{1d}93Ab+/".into());
        }
        let wire = serde_json::to_string(&decided).expect("serializes");
        assert_eq!(
            serde_json::from_str::<OpBody>(&wire).expect("parses"),
            decided,
            "the mark survives the wire, GS too"
        );
    }

    #[test]
    fn a_return_source_is_stored_under_its_wire_name() {
        for source in ReturnSource::ALL {
            let wire = serde_json::to_value(source).expect("serializes");
            assert_eq!(wire, source.as_str(), "{source:?}: the stored name is the wire name");
            assert_eq!(ReturnSource::parse(source.as_str()), Some(source), "{source:?} parses back");
        }
        assert_eq!(ReturnSource::parse("lost"), None, "an unknown name is not a source");
    }
}
