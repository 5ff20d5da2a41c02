//! Bench: what one counter scan costs the core on a big store, split into its parts: a buyer's code
//! opening an order card (`Kiosk::scan`: the write transaction, the scan log, the view), the view
//! alone, and going back home. Runs on a copy of a store given by `STORE` (e.g. the window bench's
//! 1,000,000-item store) whose orders come from `pvz_protocol::demo::bulk`.
//!
//! Run: `STORE=<kiosk-*.sqlite3> ORDERS=500000 cargo bench -p pvz-kiosk-core --bench scan_view`.

mod support;

use pvz_kiosk_core::Kiosk;
use pvz_protocol::demo::bulk;
use std::time::Instant;
use support::percentiles;

const SCANS: usize = 400;

fn main() {
    let Some(store) = std::env::var_os("STORE") else {
        println!("scan_view: STORE is not set (a kiosk store built by the window bench); nothing measured");
        return;
    };
    let orders: usize = std::env::var("ORDERS").ok().and_then(|v| v.parse().ok()).unwrap_or(500_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("kiosk.sqlite3");
    std::fs::copy(&store, &path).expect("copy the store");
    let kiosk = Kiosk::open(&path).expect("open the store");
    let codes: Vec<String> = (0..16).map(|i| bulk::order_short_code(i * (orders - 1) / 15)).collect();

    let (mut scans, mut views, mut homes) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..SCANS {
        let t = Instant::now();
        kiosk.scan(&codes[i % codes.len()]).expect("the order opens");
        scans.push(t.elapsed());
        let t = Instant::now();
        kiosk.view().expect("view");
        views.push(t.elapsed());
        let t = Instant::now();
        kiosk.set_aside().expect("back home");
        homes.push(t.elapsed());
    }
    for (what, samples) in
        [("scan (tx + scan log + view)", scans), ("view alone", views), ("set aside (back home)", homes)]
    {
        let (p50, p99) = percentiles(samples);
        println!("{what:<28} p50 {p50:?}  p99 {p99:?}");
    }
}
