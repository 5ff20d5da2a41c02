//! The demo pickup point at scale, for benchmarks: `orders` more orders of two items each, waiting
//! at the demo seed's point, as pull pages to apply after the seed. Every item has its own EAN-13
//! (in the in-store range 20…, so none is a demo barcode) and every order its own short code that no
//! demo order uses. Deterministic: order `n` is the same every time.

use super::{id, short_code, PICKUP_POINT};
use crate::pull::{Change, ItemWire, OrderWire, PullPage};
use pvz_domain::{ItemId, Kopecks, OrderId, OrderStatus, PickupPointId};

pub const ITEMS_PER_ORDER: usize = 2;

/// The first short code handed out; the demo seed's own codes in the range are skipped.
const FIRST_SHORT_CODE: u32 = 100_000;

/// Short codes of bulk orders stop below this (six digits).
const SHORT_CODE_END: u32 = 1_000_000;

/// The EAN-13 of bulk item `index` (`order * ITEMS_PER_ORDER + k`): `20`, ten digits, check digit.
pub fn item_barcode(index: u64) -> String {
    let body = format!("20{index:010}");
    let sum: u32 = body.bytes().enumerate().map(|(i, b)| u32::from(b - b'0') * if i % 2 == 1 { 3 } else { 1 }).sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

/// The short code of bulk order `n`: the `n`-th six-digit code from 100000 that the demo seed does
/// not use.
pub fn order_short_code(n: usize) -> String {
    short_code_skipping(n, &demo_short_codes())
}

/// The demo seed's short codes, sorted.
fn demo_short_codes() -> Vec<u32> {
    let (seed, _) = super::seed();
    let mut taken: Vec<u32> = seed
        .pull
        .changes
        .iter()
        .filter_map(|change| match change {
            Change::UpsertOrder(order) => order.short_code.as_str().parse().ok(),
            _ => None,
        })
        .collect();
    taken.sort_unstable();
    taken
}

/// The `n`-th code from `FIRST_SHORT_CODE` not in `taken` (sorted).
fn short_code_skipping(n: usize, taken: &[u32]) -> String {
    let mut code = FIRST_SHORT_CODE + u32::try_from(n).expect("fewer than 900,000 bulk orders");
    for &t in taken {
        if t >= FIRST_SHORT_CODE && t <= code {
            code += 1;
        }
    }
    assert!(code < SHORT_CODE_END, "bulk order {n} has no six-digit short code left");
    format!("{code:06}")
}

/// Bulk order `n`, with its short code already worked out.
fn order(n: usize, code: &str) -> OrderWire {
    OrderWire {
        order_id: id(OrderId::parse, &format!("bulk-{n}")),
        pickup_point_id: id(PickupPointId::parse, PICKUP_POINT),
        short_code: short_code(code),
        buyer: format!("Покупатель {n}"),
        status: OrderStatus::Ready,
        issued_at: None,
        arrived_at: None,
        items: (0..ITEMS_PER_ORDER)
            .map(|k| {
                let index = (n * ITEMS_PER_ORDER + k) as u64;
                ItemWire {
                    item_id: id(ItemId::parse, &format!("bulk-{n}-{k}")),
                    name: if k == 0 { "Футболка хлопковая" } else { "Носки, 3 пары" }.to_owned(),
                    variant: "M, серые".to_owned(),
                    cell: format!("Z-{:03}", n % 500),
                    price: Kopecks(99_000 + (n % 100) as i64 * 100),
                    prepaid: n.is_multiple_of(2),
                    category: "clothes".to_owned(),
                    barcode: Some(item_barcode(index)),
                    mark: None,
                }
            })
            .collect(),
    }
}

/// `orders` bulk orders as pull pages of `page_orders` orders each, in order.
pub fn pages(orders: usize, page_orders: usize) -> impl Iterator<Item = PullPage> {
    let taken = demo_short_codes();
    let codes: Vec<String> = (0..orders).map(|n| short_code_skipping(n, &taken)).collect();
    let page_orders = page_orders.max(1);
    (0..orders.div_ceil(page_orders)).map(move |page| {
        let range = page * page_orders..((page + 1) * page_orders).min(orders);
        PullPage {
            cursor: format!("bulk-{page}"),
            has_more: range.end < orders,
            reset: false,
            remaining: 0,
            changes: range.map(|n| Change::UpsertOrder(order(n, &codes[n]))).collect(),
            max_wait_seconds: 0,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn bulk_orders_never_reuse_a_demo_short_code_or_barcode() {
        let demo: HashSet<String> = ["482137", "615204", "730518", "905311"].map(String::from).into();
        let codes: Vec<String> = (380_000..700_000).step_by(7).map(order_short_code).take(50).collect();
        assert!(codes.iter().all(|c| !demo.contains(c)), "no bulk order takes a demo order's short code");
        let around = [order_short_code(382_136), order_short_code(382_137), order_short_code(382_138)];
        assert_eq!(around, ["482136", "482138", "482139"], "the demo's 482137 is skipped, codes stay consecutive");
        let all: HashSet<String> = pages(3_000, 1_000)
            .flat_map(|p| p.changes)
            .filter_map(|c| match c {
                Change::UpsertOrder(o) => Some(o.items.into_iter().filter_map(|i| i.barcode)),
                _ => None,
            })
            .flatten()
            .collect();
        assert_eq!(all.len(), 3_000 * ITEMS_PER_ORDER, "every bulk item has its own barcode");
        assert!(!all.contains("4601234567893"), "no bulk barcode is a demo item's");
    }

    #[test]
    fn pages_cover_every_order_once_and_say_when_more_follow() {
        let pages: Vec<PullPage> = pages(2_500, 1_000).collect();
        let sizes: Vec<usize> = pages.iter().map(|p| p.changes.len()).collect();
        assert_eq!(sizes, [1_000, 1_000, 500], "2,500 orders in pages of 1,000");
        assert_eq!(pages.iter().map(|p| p.has_more).collect::<Vec<_>>(), [true, true, false], "the last page ends");
    }
}
