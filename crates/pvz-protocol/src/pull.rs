//! The pull feed: server-owned data for one pickup point, as pages of changes behind a cursor.
//! The kiosk applies a page's changes to its cache tables in one transaction. Each order appears
//! at most once per position in the feed, in its latest state: upserted, or cancelled.

pub use pvz_domain::EmployeeRole;
use pvz_domain::{
    EmployeeId, FeePolicy, ItemId, Kopecks, OrderId, OrderStatus, PickupPointId, ShortCode, StoragePolicy,
};
use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullPage {
    /// Opaque position after this page; sent back to get the next one.
    pub cursor: String,
    pub has_more: bool,
    /// The kiosk's cursor is from another epoch (the server's data was rebuilt): drop the cache
    /// tables, then apply this page, which starts from the beginning. The outbox is never touched.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reset: bool,
    /// Changes after this page, as far as the server knows; lets the window show catch-up progress.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub remaining: u64,
    pub changes: Vec<Change>,
    /// The longest `wait` (seconds) this server honours on a pull that is up to date (see
    /// `sync::PATH_PULL`); 0 or absent: it does not hold pulls, so the kiosk polls.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub max_wait_seconds: u32,
}

fn is_zero<N: Default + PartialEq>(n: &N) -> bool {
    *n == N::default()
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Change {
    /// Create or replace an order with all its items.
    UpsertOrder(OrderWire),
    /// The pickup point's return-logistics fee policy.
    SetFeePolicy(FeePolicy),
    /// The network cancelled the order: it must not be handed over. Carries only the id (the kiosk may
    /// never have cached the order); a later `UpsertOrder` of the same id supersedes it.
    // A tombstone rather than a `cancelled` OrderStatus: that enum is the counter's own state machine
    // (ready, in progress, issued), and an old page or demo seed never names this variant.
    CancelOrder { order_id: OrderId },
    /// A person who works with this point: a courier or driver shows a badge at the counter, and
    /// the kiosk names them on acts even offline.
    UpsertEmployee(EmployeeWire),
    /// The point's storage period (срок хранения) and its UTC offset, which days are counted in.
    SetStoragePolicy { policy: StoragePolicy, utc_offset_seconds: i32 },
    /// The point's cells (ячейки), replacing the earlier list.
    SetCells { cells: Vec<CellWire> },
    /// An inbound shipment the point should expect (приёмка); a received one is sent again with
    /// `received` set.
    UpsertShipment(ShipmentWire),
    /// The network's signing keys, oldest first, each after the first endorsed by the one before it
    /// (see `PublicKey::endorse`); sent once the network has more than one. A kiosk trusts the keys
    /// after the one it pinned whose endorsements verify link by link from it, and accepts codes
    /// signed by any of them, so the network can move to a new key without re-enrolling kiosks.
    SetServerKeys { keys: Vec<ServerKeyWire> },
    /// A change type this kiosk does not know yet (sent by a newer server): skipped, so adding a
    /// change type never breaks an older kiosk's pull.
    #[serde(other)]
    Unknown,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmployeeWire {
    pub employee_id: EmployeeId,
    pub name: String,
    pub role: EmployeeRole,
    /// Left the network: a badge of theirs is refused.
    #[serde(default)]
    pub retired: bool,
    /// A manager's PIN as an argon2 PHC string, so the counter can check a login offline; never
    /// set for couriers and drivers, who identify by badge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin_hash: Option<String>,
    /// The number of the employee's current signed badge (`PVZE3.`, earlier `PVZE2.`): a kiosk accepts only the badge
    /// with this number, so issuing a new badge revokes the older ones. 0: no badge issued yet (or a
    /// feed from a server before signed badges), and no badge is accepted.
    #[serde(default)]
    pub badge_serial: u32,
}

/// One of the network's signing keys.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerKeyWire {
    /// The ed25519 verifying key, base64url without padding.
    pub public_key: String,
    /// The previous key's endorsement of this one (base64url signature); none for the first key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endorsement: Option<String>,
}

/// One storage cell of the point.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellWire {
    /// `<zone>-<rack>[-<shelf>]`, e.g. `A-07` (see `pvz_domain::CellLabel`).
    pub label: String,
    /// Items it holds; 0: out of use.
    pub capacity: u32,
}

/// An inbound shipment: which items of which orders it brings.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShipmentWire {
    pub shipment_id: String,
    /// The code on the shipment's box or pallet label that starts receiving when scanned.
    pub code: String,
    /// RFC 3339.
    pub expected_at: Option<String>,
    pub items: Vec<ShipmentItemWire>,
    /// Already received (by this or another device of the point).
    #[serde(default)]
    pub received: bool,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShipmentItemWire {
    pub order_id: OrderId,
    pub item_id: ItemId,
    /// The receiving of the shipment recorded it missing (недостача); false until it is received.
    /// Every counter of the point learns it this way, not only the one that received the shipment.
    #[serde(default)]
    pub missing: bool,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderWire {
    pub order_id: OrderId,
    pub pickup_point_id: PickupPointId,
    pub short_code: ShortCode,
    /// Already masked by the server ("Анна К."): the kiosk never sees a full name.
    pub buyer: String,
    pub status: OrderStatus,
    /// RFC 3339, set when `status` is `issued`.
    pub issued_at: Option<String>,
    /// RFC 3339: when the order arrived at the point (received into cells); its storage period
    /// counts from here. `None`: not arrived yet, or unknown to an older server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrived_at: Option<String>,
    pub items: Vec<ItemWire>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemWire {
    pub item_id: ItemId,
    pub name: String,
    /// Size and colour, e.g. "M, синий".
    pub variant: String,
    /// Ячейка: the storage cell label.
    pub cell: String,
    pub price: Kopecks,
    pub prepaid: bool,
    pub category: String,
    /// EAN-13 or Code 128 text printed on the item.
    pub barcode: Option<String>,
    /// Честный ЗНАК identity: GTIN-14 followed by the serial.
    pub mark: Option<String>,
}

/// What enrollment gives a kiosk: who it is, and the server key it pins.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrollment {
    pub pickup_point_id: PickupPointId,
    pub pickup_point_name: String,
    pub device_id: pvz_domain::DeviceId,
    /// The server's ed25519 verifying key, base64url without padding.
    pub server_public_key: String,
}

/// A demo data set on disk: an enrollment and one pull page, until a real server provides both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemoSeed {
    pub enrollment: Enrollment,
    pub pull: PullPage,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cancellation_is_a_tagged_change_carrying_only_the_order_id() {
        let order_id = OrderId::parse("ord-1").expect("valid id");
        let change = Change::CancelOrder { order_id: order_id.clone() };
        let json = serde_json::to_value(&change).expect("serializes");
        assert_eq!(json, serde_json::json!({"type": "cancel_order", "order_id": "ord-1"}), "the wire shape is fixed");
        let back: Change = serde_json::from_value(json).expect("parses back");
        assert_eq!(back, change, "a cancellation must round-trip");
    }

    #[test]
    fn a_change_type_this_kiosk_does_not_know_is_skipped_not_an_error() {
        let newer = r#"{"cursor":"1.2","has_more":false,"changes":[{"type":"upsert_planet","name":"Mars"}]}"#;
        let page: PullPage = serde_json::from_str(newer).expect("a page from a newer server parses");
        assert_eq!(page.changes, vec![Change::Unknown], "the unknown change is kept as Unknown");
    }

    #[test]
    fn an_employee_sent_before_signed_badges_has_no_badge() {
        let old = r#"{"type":"upsert_employee","employee_id":"courier-ivan","name":"Иван","role":"courier"}"#;
        let change: Change = serde_json::from_str(old).expect("an older feed's employee still parses");
        match change {
            Change::UpsertEmployee(e) => assert_eq!(e.badge_serial, 0, "with no badge number: no badge is valid"),
            other => panic!("an employee must stay an employee, got {other:?}"),
        }
    }

    #[test]
    fn a_page_of_a_server_that_does_not_hold_pulls_offers_no_wait() {
        let old = r#"{"cursor":"1.2","has_more":false,"changes":[]}"#;
        let page: PullPage = serde_json::from_str(old).expect("a page from an older server parses");
        assert_eq!(page.max_wait_seconds, 0, "no field: the kiosk must poll, not hold");
        let offered = PullPage { max_wait_seconds: 25, ..page };
        let json = serde_json::to_value(&offered).expect("serializes");
        assert_eq!(json["max_wait_seconds"], 25, "a server that holds says for how long");
    }

    #[test]
    fn a_page_written_before_cancellations_existed_still_parses() {
        let old = r#"{"cursor":"1.2","has_more":false,"changes":[{"type":"set_fee_policy","default_fee":0,"per_category":{}}]}"#;
        let page: PullPage = serde_json::from_str(old).expect("an old page stays readable");
        assert_eq!(page.changes.len(), 1, "its one change is read");
    }
}
