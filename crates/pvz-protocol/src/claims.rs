//! Wire types of claims (претензии), courier manifests and the seller's API. A kiosk asks a claim's
//! current status when online (a claim return code alone is verified offline), and a courier's
//! manifest of refused items when the courier shows a badge; a seller decides its claims.

use crate::pull::EmployeeWire;
use pvz_domain::{ClaimId, ClaimState, Compensation, ItemId, Kopecks, OrderId};
use serde::{Deserialize, Serialize};

/// `GET`, device credential: the claim's state now. 404 `not_found` for a claim the server lacks.
pub const PATH_CLAIM_STATUS: &str = "/v1/claims/{claim_id}";
/// `GET`, device credential: refused items a courier is bringing to this point. 404 for an unknown
/// courier, 403 for a courier of another point.
pub const PATH_COURIER_MANIFEST: &str = "/v1/couriers/{courier_id}/manifest";
/// `GET`, seller credential: the seller's claims, newest first.
pub const PATH_SELLER_CLAIMS: &str = "/v1/seller/claims";
/// `POST` [`SellerDecision`], seller credential: approve or reject an open claim of this seller.
/// 409 `claim_already_decided` for a claim decided before.
pub const PATH_SELLER_CLAIM_DECISION: &str = "/v1/seller/claims/{claim_id}/decision";

/// A claim as the server holds it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimStatus {
    pub claim_id: ClaimId,
    pub order_id: OrderId,
    pub item_id: ItemId,
    pub item_name: String,
    pub state: ClaimState,
    /// Set once approved.
    pub compensation: Option<Compensation>,
    /// Why it was rejected or revoked, in the seller's or network's words.
    pub reason: Option<String>,
    /// The buyer's description of the defect.
    pub description: String,
    /// A claim return code (`PVZC1.`), issued on approval with a refund or a replacement.
    pub return_code: Option<String>,
    /// The delivery of the missing part, created on approval with a missing part.
    pub part_order_id: Option<OrderId>,
    /// RFC 3339: when a pickup point took the item back.
    pub fulfilled_at: Option<String>,
}

/// The seller's decision on an open claim.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum SellerDecision {
    /// A refund may not exceed what the buyer paid for the item.
    Approve {
        compensation: Compensation,
    },
    Reject {
        reason: String,
    },
}

/// One refused item a courier is bringing back.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestLine {
    pub item_id: ItemId,
    pub order_id: OrderId,
    pub name: String,
    pub variant: String,
    pub barcode: Option<String>,
    pub mark: Option<String>,
    pub category: String,
    pub price: Kopecks,
    pub prepaid: bool,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourierManifest {
    pub courier: EmployeeWire,
    /// Items the courier carries that no point has accepted yet.
    pub lines: Vec<ManifestLine>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seller_decision_is_tagged_by_decision() {
        let approve = SellerDecision::Approve { compensation: Compensation::Refund { amount: Kopecks(100) } };
        assert_eq!(
            serde_json::to_value(&approve).expect("serializes"),
            serde_json::json!({"decision": "approve", "compensation": {"kind": "refund", "amount": 100}}),
            "the seller API's body shape is fixed"
        );
        let reject: SellerDecision =
            serde_json::from_str(r#"{"decision":"reject","reason":"следы носки"}"#).expect("parses");
        assert_eq!(reject, SellerDecision::Reject { reason: "следы носки".into() }, "a rejection carries its reason");
    }
}
