//! The demo network: a fixed, publicly known signing key and a small data set that covers every
//! counter case. For demos and tests only; a real server generates its key and never shares it.

pub mod bulk;

use crate::pull::{Change, DemoSeed, Enrollment, ItemWire, OrderWire, PullPage};
use crate::token::{PickupClaims, PublicKey};
use ed25519_dalek::SigningKey;
use pvz_domain::{DeviceId, FeePolicy, ItemId, Kopecks, OrderId, OrderStatus, PickupPointId, ShortCode};
use std::collections::BTreeMap;

/// Valid demo tokens expire on 2100-01-01; the expired one on 2025-01-01.
const FAR_FUTURE: i64 = 4_102_444_800;
const LONG_AGO: i64 = 1_735_689_600;

pub const PICKUP_POINT: &str = "pp-msk-0042";
pub const OTHER_PICKUP_POINT: &str = "pp-spb-0007";

/// The demo server key. Public on purpose: anyone can sign demo codes with it.
pub fn signing_key() -> SigningKey {
    SigningKey::from_bytes(&[42; 32])
}

/// A code to try at the demo counter and what it should do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoCode {
    pub case: &'static str,
    pub code: String,
}

fn id<T>(parse: fn(&str) -> Result<T, pvz_domain::ids::IdError>, raw: &str) -> T {
    parse(raw).unwrap_or_else(|e| panic!("demo id {raw:?} is invalid: {e}"))
}

fn short_code(raw: &str) -> ShortCode {
    ShortCode::parse(raw).unwrap_or_else(|| panic!("demo short code {raw:?} is invalid"))
}

struct DemoItem(&'static str, &'static str, &'static str, &'static str, i64, &'static str, &'static str);

fn order(order_id: &str, short: &str, buyer: &str, prepaid: bool, items: &[DemoItem]) -> OrderWire {
    OrderWire {
        order_id: id(OrderId::parse, order_id),
        pickup_point_id: id(PickupPointId::parse, PICKUP_POINT),
        short_code: short_code(short),
        buyer: buyer.to_owned(),
        status: OrderStatus::Ready,
        issued_at: None,
        arrived_at: None,
        items: items
            .iter()
            .map(|DemoItem(item_id, name, variant, cell, price, category, barcode)| ItemWire {
                item_id: id(ItemId::parse, item_id),
                name: (*name).to_owned(),
                variant: (*variant).to_owned(),
                cell: (*cell).to_owned(),
                price: Kopecks(*price),
                prepaid,
                category: (*category).to_owned(),
                barcode: Some((*barcode).to_owned()),
                mark: None,
            })
            .collect(),
    }
}

fn token(order_id: &str, pickup_point: &str, short: &str, expires_at: i64, key: &SigningKey) -> String {
    PickupClaims {
        order_id: id(OrderId::parse, order_id),
        pickup_point_id: id(PickupPointId::parse, pickup_point),
        short_code: short_code(short),
        expires_at,
    }
    .sign(key)
}

/// The demo seed and the codes to try with it. Deterministic: the same bytes every time.
pub fn seed() -> (DemoSeed, Vec<DemoCode>) {
    let key = signing_key();
    let mut orders = vec![
        order(
            "ord-1001",
            "482137",
            "Анна К.",
            false,
            &[
                DemoItem("itm-1001-1", "Платье летнее", "M, голубое", "A-12", 249_900, "clothes", "4601234567893"),
                DemoItem("itm-1001-2", "Кроссовки беговые", "39, белые", "A-12", 599_000, "shoes", "4607654321008"),
            ],
        ),
        order(
            "ord-1002",
            "615204",
            "Игорь С.",
            true,
            &[
                DemoItem(
                    "itm-1002-1",
                    "Наушники беспроводные",
                    "чёрные",
                    "B-03",
                    349_000,
                    "electronics",
                    "4600000000008",
                ),
                DemoItem("itm-1002-2", "Чехол для наушников", "серый", "B-03", 59_000, "electronics", "WB-SKU-000123"),
            ],
        ),
        order(
            "ord-1003",
            "730518",
            "Мария П.",
            false,
            &[DemoItem(
                "itm-1003-1",
                "Книга «Мастер и Маргарита»",
                "твёрдая обложка",
                "C-01",
                69_000,
                "books",
                "9785170000005",
            )],
        ),
        order(
            "ord-1005",
            "905311",
            "Олег Д.",
            false,
            &[DemoItem("itm-1005-1", "Футболка", "L, чёрная", "A-07", 99_000, "clothes", "4601111111119")],
        ),
    ];
    orders[3].status = OrderStatus::Issued;
    orders[3].issued_at = Some("2026-11-25T15:30:00Z".to_owned());

    let policy = FeePolicy {
        default_fee: Kopecks(9_900),
        per_category: BTreeMap::from([
            ("clothes".to_owned(), Kopecks(14_900)),
            ("shoes".to_owned(), Kopecks(19_900)),
            ("books".to_owned(), Kopecks::ZERO),
        ]),
    };
    let mut changes = vec![Change::SetFeePolicy(policy)];
    changes.extend(orders.into_iter().map(Change::UpsertOrder));

    let seed = DemoSeed {
        enrollment: Enrollment {
            pickup_point_id: id(PickupPointId::parse, PICKUP_POINT),
            pickup_point_name: "ПВЗ Москва, Тверская 7".to_owned(),
            device_id: id(DeviceId::parse, "kiosk-demo-1"),
            server_public_key: PublicKey::of(&key).to_base64url(),
        },
        pull: PullPage {
            cursor: "demo-1".to_owned(),
            has_more: false,
            reset: false,
            remaining: 0,
            changes,
            max_wait_seconds: 0,
        },
    };
    let other_key = SigningKey::from_bytes(&[7; 32]);
    let codes = vec![
        DemoCode {
            case: "pay at counter, 2 items (QR)",
            code: token("ord-1001", PICKUP_POINT, "482137", FAR_FUTURE, &key),
        },
        DemoCode { case: "pay at counter, 2 items (short code)", code: "482137".to_owned() },
        DemoCode { case: "prepaid, 2 items (QR)", code: token("ord-1002", PICKUP_POINT, "615204", FAR_FUTURE, &key) },
        DemoCode { case: "prepaid, 2 items (short code)", code: "615204".to_owned() },
        DemoCode { case: "book, zero fee policy (short code)", code: "730518".to_owned() },
        DemoCode { case: "expired QR", code: token("ord-1003", PICKUP_POINT, "730518", LONG_AGO, &key) },
        DemoCode { case: "already issued (short code)", code: "905311".to_owned() },
        DemoCode {
            case: "QR of another pickup point",
            code: token("ord-2001", OTHER_PICKUP_POINT, "111222", FAR_FUTURE, &key),
        },
        DemoCode {
            case: "QR signed by a foreign key",
            code: token("ord-1001", PICKUP_POINT, "482137", FAR_FUTURE, &other_key),
        },
        DemoCode { case: "item barcode of ord-1001 (scan with the order open)", code: "4601234567893".to_owned() },
        DemoCode { case: "unknown code", code: "hello world".to_owned() },
    ];
    (seed, codes)
}

/// The demo codes as a Markdown table, for people at the counter.
pub fn codes_markdown(codes: &[DemoCode]) -> String {
    let mut out = String::from(
        "# Demo codes\n\nGenerated by `cargo run -p pvz-protocol --bin pvz-demo-seed`; do not edit.\n\
         Type or paste a code into the manual-entry field, or show its QR to a scanner.\n\n\
         | case | code |\n|---|---|\n",
    );
    for c in codes {
        out.push_str(&format!("| {} | `{}` |\n", c.case, c.code));
    }
    out
}

/// `latin` as it comes out of a keyboard with the Russian ЙЦУКЕН layout switched on: what a
/// scanner or a person types when the layout was left on Russian. For demos and tests.
pub fn typed_in_russian_layout(latin: &str) -> String {
    const LATIN: &str = "qwertyuiop[]asdfghjkl;'zxcvbnm,./QWERTYUIOP{}ASDFGHJKL:\"ZXCVBNM<>?";
    const RUSSIAN: &str = "йцукенгшщзхъфывапролджэячсмитьбю.ЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮ,";
    latin
        .chars()
        .map(|c| LATIN.chars().position(|l| l == c).and_then(|i| RUSSIAN.chars().nth(i)).unwrap_or(c))
        .collect()
}

/// The demo code for a case of `seed()`'s list, e.g. `code("expired QR")`.
pub fn code(case: &str) -> Option<String> {
    seed().1.into_iter().find(|c| c.case == case).map(|c| c.code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_demo_files_match_the_generator() {
        let (seed, codes) = seed();
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../demo");
        let json = serde_json::to_string_pretty(&seed).expect("seed serializes") + "\n";
        let committed = std::fs::read_to_string(format!("{root}/seed.json")).unwrap_or_default();
        assert!(committed == json, "demo/seed.json is stale: run `cargo run -p pvz-protocol --bin pvz-demo-seed`");
        let committed = std::fs::read_to_string(format!("{root}/CODES.md")).unwrap_or_default();
        assert!(committed == codes_markdown(&codes), "demo/CODES.md is stale: run the demo seed generator");
    }
}
