//! Bench: classify a scanned item code (an EAN-13, then the same items' Честный ЗНАК marks) and look
//! it up among 1,000,000 stored items, next to a raw indexed SQLite lookup on the same file. Prints
//! p50/p99 per lookup. Target: p99 <= 55 us.
//!
//! Run: `cargo bench -p pvz-kiosk-core --bench scan_lookup` (ITEMS=200000 for a quicker run).

mod support;

use pvz_domain::{ItemId, Kopecks, OrderId, OrderStatus, PickupPointId, ShortCode};
use pvz_kiosk_core::Kiosk;
use pvz_protocol::{Change, ItemWire, OrderWire, PullPage};
use std::time::Instant;
use support::percentiles;

const ITEMS_PER_ORDER: usize = 2;
const LOOKUPS: usize = 20_000;

fn ean13(n: u64) -> String {
    let body = format!("46{n:010}");
    let sum: u32 = body.bytes().enumerate().map(|(i, b)| u32::from(b - b'0') * if i % 2 == 1 { 3 } else { 1 }).sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

fn order(n: usize) -> OrderWire {
    let parse = |r: Result<OrderId, _>| r.expect("valid id");
    OrderWire {
        order_id: parse(OrderId::parse(&format!("o{n}"))),
        pickup_point_id: PickupPointId::parse("pp-bench").expect("valid id"),
        short_code: ShortCode::parse(&format!("{:06}", n % 1_000_000)).expect("six digits"),
        buyer: "Покупатель Б.".into(),
        status: OrderStatus::Ready,
        issued_at: None,
        arrived_at: None,
        items: (0..ITEMS_PER_ORDER)
            .map(|k| {
                let idx = (n * ITEMS_PER_ORDER + k) as u64;
                ItemWire {
                    item_id: ItemId::parse(&format!("i{idx}")).expect("valid id"),
                    name: "Товар".into(),
                    variant: "M".into(),
                    cell: format!("A-{}", n % 500),
                    price: Kopecks(100_000),
                    prepaid: false,
                    category: "clothes".into(),
                    barcode: Some(ean13(idx)),
                    mark: None,
                }
            })
            .collect(),
    }
}

fn main() {
    let items: usize = std::env::var("ITEMS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bench.sqlite3");
    let kiosk = Kiosk::open(&path).expect("open store");

    let started = Instant::now();
    let orders = items / ITEMS_PER_ORDER;
    for chunk in (0..orders).collect::<Vec<_>>().chunks(10_000) {
        let page = PullPage {
            cursor: "bench".into(),
            has_more: true,
            reset: false,
            remaining: 0,
            max_wait_seconds: 0,
            changes: chunk.iter().map(|&n| Change::UpsertOrder(order(n))).collect(),
        };
        kiosk.apply_pull(&page).expect("load page");
    }
    println!("loaded {items} items in {:.1} s", started.elapsed().as_secs_f64());

    // Pseudo-random but repeatable picks of existing codes.
    let codes: Vec<String> =
        (0..LOOKUPS).map(|i| ean13((i as u64).wrapping_mul(2_654_435_761) % items as u64)).collect();

    let mut core = Vec::with_capacity(LOOKUPS);
    for code in &codes {
        let t = Instant::now();
        let found = kiosk.find_items_by_code(code).expect("lookup");
        core.push(t.elapsed());
        assert_eq!(found.len(), 1, "every stored code is found exactly once: {code}");
    }

    // The same items scanned by a Честный ЗНАК marking code: its GTIN-14 is the EAN-13 with a
    // leading zero, the separator character 232, as a scanner with a mismatched keyboard table sends.
    let mut marks = Vec::with_capacity(LOOKUPS);
    for (i, code) in codes.iter().enumerate() {
        let mark = format!("010{code}21SN{i:011}\u{e8}93Ab+/");
        let t = Instant::now();
        let found = kiosk.find_items_by_code(&mark).expect("lookup");
        marks.push(t.elapsed());
        assert_eq!(found.len(), 1, "every stored item is found by its mark exactly once: {mark}");
    }

    let raw_conn = rusqlite::Connection::open(&path).expect("open raw");
    let mut raw = Vec::with_capacity(LOOKUPS);
    for code in &codes {
        let t = Instant::now();
        let mut stmt =
            raw_conn.prepare_cached("SELECT item_id, order_id FROM order_items WHERE barcode = ?1").expect("prepare");
        let n = stmt.query_map([code], |r| r.get::<_, String>(0)).expect("query").count();
        raw.push(t.elapsed());
        assert_eq!(n, 1, "raw lookup finds the code");
    }

    // A buyer's code opening an order card (one write transaction: what the counter does per scan).
    let (seed, _) = pvz_protocol::demo::seed();
    let counter = Kiosk::open(&dir.path().join("counter.sqlite3")).expect("open counter store");
    counter.import_seed(&seed).expect("seed");
    let mut opens = Vec::with_capacity(1_000);
    for i in 0..1_000 {
        let t = Instant::now();
        counter.scan(["482137", "615204"][i % 2]).expect("the demo order opens");
        opens.push(t.elapsed());
    }
    let (o50, o99) = percentiles(opens);

    let (c50, c99) = percentiles(core);
    let (r50, r99) = percentiles(raw);
    let (m50, m99) = percentiles(marks);
    println!("classify + lookup via kiosk core ({items} items, {LOOKUPS} lookups): p50 {c50:?}  p99 {c99:?}");
    println!("marking code (GS as char 232) -> item via kiosk core:            p50 {m50:?}  p99 {m99:?}");
    println!("raw indexed SQLite lookup (same file):                            p50 {r50:?}  p99 {r99:?}");
    println!("buyer code -> order card view (write tx, fsync, view build):     p50 {o50:?}  p99 {o99:?}");
    println!("ratio p99 core/raw: {:.1}x (target p99 <= 55 us)", c99.as_secs_f64() / r99.as_secs_f64());
}
