//! A small pickup-point network for tests and benchmarks: the real central server on a loopback port
//! with its data in a temp dir, orders with known short codes, and kiosks enrolled with one-time
//! codes. Counter work goes through the kiosk core exactly as the window's commands do. The
//! server's database is the data dir's SQLite file, or a PostgreSQL database that several server
//! processes share ([`crate::instances`]).

use pvz_domain::{FeePolicy, ItemId, Kopecks, OrderId, ShortCode};
use pvz_kiosk_core::sync::{self, ClientConfig};
use pvz_kiosk_core::{Kiosk, KioskError};
use pvz_protocol::Enrollment;
use pvz_server::admin::Admin;
use pvz_server::db::orders::{NewItem, NewOrder};
use pvz_server::db::Database;
use pvz_server::{Config, RunningServer};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub const POINT: &str = "pp-chain-1";
/// Short codes of generated orders are `FIRST_SHORT_CODE + n`.
pub const FIRST_SHORT_CODE: u32 = 300_000;
/// Every generated order is one pay-at-counter item at this price.
pub const ORDER_PRICE: Kopecks = Kopecks(129_900);

pub struct Network {
    dir: tempfile::TempDir,
    /// `None`: the data dir's SQLite file.
    database_url: Option<String>,
    server: Option<RunningServer>,
}

impl Network {
    /// Starts a server with one pickup point and `orders` ready orders at it.
    pub async fn start(orders: u32) -> Network {
        let mut net = Network::prepare(None, orders);
        let server = pvz_server::spawn(Config::for_data_dir(net.server_dir())).await.expect("server starts");
        net.server = Some(server);
        net
    }

    /// The admin's data dir and the database (`database_url`, or the data dir's SQLite
    /// file), with one pickup point and `orders` ready orders, and no server yet: start its
    /// processes with [`crate::processes::ServerProcess`].
    pub fn prepare(database_url: Option<String>, orders: u32) -> Network {
        let dir = tempfile::tempdir().expect("a temp dir for the network");
        let net = Network { dir, database_url, server: None };
        let admin = net.admin();
        admin.add_pickup_point(POINT, "ПВЗ Цепочка, 1", &FeePolicy::default()).expect("pickup point added");
        let batch: Vec<NewOrder> = (0..orders).map(order).collect();
        admin.add_orders(POINT, &batch).expect("orders added");
        net
    }

    pub fn server_dir(&self) -> PathBuf {
        self.dir.path().join("server")
    }

    /// The PostgreSQL URL the network's servers share; `None` on SQLite.
    pub fn database_url(&self) -> Option<&str> {
        self.database_url.as_deref()
    }

    /// An admin on the network's data dir and database, with a connection of its own (a new one
    /// after the database restarted).
    pub fn admin(&self) -> Admin {
        let database = match &self.database_url {
            Some(url) => Database::parse(url).expect("the network's database URL"),
            None => Database::Sqlite(self.server_dir().join(pvz_server::db::DB_FILE)),
        };
        Admin::open_database(self.server_dir(), &database).expect("admin opens the server's data dir")
    }

    /// The in-process server of [`Network::start`].
    pub fn server(&self) -> &RunningServer {
        self.server.as_ref().expect("the server is running")
    }

    /// A dir `name` inside the network's temp dir, created if needed.
    pub fn dir(&self, name: &str) -> PathBuf {
        let dir = self.dir.path().join(name);
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        dir
    }

    /// A fresh kiosk store path inside the network's temp dir.
    pub fn kiosk_path(&self, name: &str) -> PathBuf {
        self.dir(name).join("kiosk.sqlite3")
    }

    /// Opens a kiosk store at `path`, enrolls it through `server_url` (the server or a proxy in front
    /// of it) and pulls the orders.
    pub async fn enrolled_kiosk(&self, path: &Path, server_url: &str) -> Kiosk {
        let (kiosk, _) = self.enroll_kiosk(path, server_url).await;
        sync::sync_until_idle(&kiosk, &client_config()).await.expect("the first pass pulls the orders");
        kiosk
    }

    /// Opens a kiosk store at `path` and enrolls it through `server_url` without pulling anything, so
    /// its first pass is a full catch-up. Returns the enrollment too (its device id for `op_counts`).
    pub async fn enroll_kiosk(&self, path: &Path, server_url: &str) -> (Kiosk, Enrollment) {
        let kiosk = Kiosk::open(path).expect("kiosk store opens");
        let code = self.admin().issue_enrollment_code(POINT, Duration::from_secs(600)).expect("enrollment code");
        let enrollment = sync::enroll(&kiosk, server_url, &code, "Касса цепочки").await.expect("enrollment succeeds");
        (kiosk, enrollment)
    }

    /// Keeps the network's temp dir on disk (for a failed run to be looked at); where it is.
    pub fn keep(self) -> PathBuf {
        self.dir.keep()
    }

    pub async fn stop_server(&mut self) {
        if let Some(server) = self.server.take() {
            server.shutdown().await;
        }
    }
}

/// Timeouts short enough for tests on loopback.
pub fn client_config() -> ClientConfig {
    ClientConfig {
        request_timeout: Duration::from_secs(30),
        connect_timeout: Duration::from_secs(2),
        ..Default::default()
    }
}

pub fn short_code(n: u32) -> String {
    (FIRST_SHORT_CODE + n).to_string()
}

fn order(n: u32) -> NewOrder {
    NewOrder {
        id: OrderId::parse(&format!("ord-chain-{n}")).expect("order id"),
        short_code: ShortCode::parse(&short_code(n)).expect("six-digit short code"),
        buyer_id: format!("buyer-chain-{n}"),
        buyer_name: "Ольга П.".into(),
        items: vec![NewItem {
            id: ItemId::parse(&format!("itm-chain-{n}")).expect("item id"),
            seller_id: format!("seller-chain-{}", n % 7),
            seller_name: "ООО Цепь".into(),
            name: "Куртка демисезонная".into(),
            variant: "L, чёрная".into(),
            cell: format!("C-{:03}", n % 500),
            price: ORDER_PRICE,
            prepaid: false,
            category: "clothes".into(),
            barcode: None,
            mark: None,
        }],
    }
}

/// What issuing one order wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Issued {
    /// The order was issued; the receipt's op id.
    Done(String),
    /// The order was issued before (e.g. by a run that was killed after confirming).
    AlreadyIssued,
}

/// Issues order `n` at the counter the way a manager does: scan its short code, hand everything
/// over, confirm the payment shown. An order left open by an interrupted run is finished first.
pub fn issue(kiosk: &Kiosk, n: u32) -> Issued {
    let view = kiosk.view().expect("counter view");
    let card = match view.screen.order() {
        Some(card) => card.clone(),
        None => match kiosk.scan(&short_code(n)) {
            Ok(outcome) => outcome.view.screen.order().cloned().expect("a scanned order opens its card"),
            Err(KioskError::AlreadyIssued { .. }) => return Issued::AlreadyIssued,
            Err(e) => panic!("order {n} should open at the counter: {e:?}"),
        },
    };
    let decided = kiosk.hand_over_rest(&card.order_id).expect("hand over the items");
    let to_collect = decided.screen.order().expect("the card stays open until confirmed").settlement.to_collect;
    let done = kiosk.confirm_issue(&card.order_id, to_collect, true).expect("the issue completes");
    kiosk.dismiss_receipt().expect("the receipt closes");
    Issued::Done(done.screen.receipt().expect("a receipt after confirming").op_id.clone())
}
