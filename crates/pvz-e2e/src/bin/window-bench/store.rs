//! The bench's local store: the demo seed plus enough bulk orders (pvz_protocol::demo::bulk) for
//! `items` items, built once with the kiosk's own core and kept under the target directory, keyed
//! by the item count and `STORE_VERSION`. Each app run works on a copy.

use pvz_kiosk_core::Kiosk;
use pvz_protocol::demo::{self, bulk};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Bump when what the store holds changes (the generator, the seed) and with each migration of the
/// kiosk's store, so a cached one is rebuilt: an older one would be migrated again by every run, in
/// the start-up being measured. 2: the items' GTIN-14 column (store migration 0019).
const STORE_VERSION: u32 = 2;

/// Orders per pull page while building: one transaction each.
const PAGE_ORDERS: usize = 10_000;

/// How many different orders the scans cycle through, spread over the bulk orders.
const SCANNED_ORDERS: usize = 16;

pub struct BenchStore {
    pub path: PathBuf,
    pub items: usize,
    /// Short codes of bulk orders, spread from the first to the last one stored.
    pub scan_codes: Vec<String>,
}

/// The store with `items` bulk items (rounded down to whole orders), built unless cached.
pub fn bench_store(cache_dir: &Path, items: usize) -> BenchStore {
    let orders = (items / bulk::ITEMS_PER_ORDER).max(SCANNED_ORDERS);
    let items = orders * bulk::ITEMS_PER_ORDER;
    let path = cache_dir.join(format!("kiosk-{items}-items-v{STORE_VERSION}.sqlite3"));
    if !path.exists() {
        build(&path, orders);
    }
    let scan_codes =
        (0..SCANNED_ORDERS).map(|i| bulk::order_short_code(i * (orders - 1) / (SCANNED_ORDERS - 1))).collect();
    BenchStore { path, items, scan_codes }
}

fn build(path: &Path, orders: usize) {
    let dir = path.parent().expect("the store has a directory");
    std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    // Built under a temporary name and renamed at the end, so an interrupted build is not cached.
    let partial = path.with_extension("partial");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", partial.display()));
    }
    let started = Instant::now();
    eprintln!("building the bench store ({} items) at {}", orders * bulk::ITEMS_PER_ORDER, path.display());
    {
        let kiosk = Kiosk::open(&partial).expect("open the bench store");
        kiosk.import_seed(&demo::seed().0).expect("import the demo seed");
        for page in bulk::pages(orders, PAGE_ORDERS) {
            kiosk.apply_pull(&page).expect("apply a bulk page");
        }
    }
    // The last connection closed: its WAL is checkpointed into the file and removed.
    let wal = PathBuf::from(format!("{}-wal", partial.display()));
    assert!(!wal.exists(), "the bench store's WAL was folded into {} on close", partial.display());
    std::fs::rename(&partial, path).unwrap_or_else(|e| panic!("move the bench store to {}: {e}", path.display()));
    eprintln!("bench store built in {:.1} s", started.elapsed().as_secs_f64());
}
