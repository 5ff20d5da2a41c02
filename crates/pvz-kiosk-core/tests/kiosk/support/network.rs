//! What the sync tests share: the real central server on port 0 with its data in a temp dir, a
//! kiosk store beside it, and the counter steps and waits the stories are told with.

use pvz_domain::RefusalReason;
use pvz_domain::{FeePolicy, ItemId, Kopecks, OrderId, PickupPointId, ShortCode};
use pvz_kiosk_core::sync::{self, ClientConfig, EngineConfig, SyncHandle};
use pvz_kiosk_core::{ErrorKind, ItemDecision, Kiosk, KioskError, SyncStatusView};
use pvz_protocol::PickupClaims;
use pvz_server::admin::Admin;
use pvz_server::db::orders::{NewItem, NewOrder};
use pvz_server::{Config, RunningServer};
use std::time::Duration;

pub const POINT: &str = "pp-sync-1";

pub struct Network {
    _dir: tempfile::TempDir,
    server_dir: std::path::PathBuf,
    kiosk_path: std::path::PathBuf,
    server: Option<RunningServer>,
    /// The server's request body limit, when a test needs a small one.
    max_body_bytes: Option<usize>,
    /// The server's PostgreSQL database; `None`: its SQLite file in the data dir.
    database_url: Option<String>,
}

impl Network {
    pub async fn start() -> Network {
        Network::start_with_body_limit(None).await
    }

    /// A server answering 413 to request bodies over `max_body_bytes` (the default limit if None).
    pub async fn start_with_body_limit(max_body_bytes: Option<usize>) -> Network {
        Network::start_with(max_body_bytes, None).await
    }

    /// A network whose server signs with `secret` (32 bytes): its data dir holds the key file an
    /// older release kept, which the first start imports. Stores written against another server
    /// with the same key then still verify their codes and badges here.
    pub async fn start_with_signing_key(secret: [u8; 32]) -> Network {
        Network::start_with(None, Some(secret)).await
    }

    /// A network whose server keeps its data in a fresh database of the test process's throwaway
    /// PostgreSQL, for stories that check what a kiosk sent is kept on both backends.
    pub async fn start_on_postgres() -> Network {
        Network::start_on(None, None, Some(pvz_testdb::cluster().create_database())).await
    }

    async fn start_with(max_body_bytes: Option<usize>, secret: Option<[u8; 32]>) -> Network {
        Network::start_on(max_body_bytes, secret, None).await
    }

    async fn start_on(
        max_body_bytes: Option<usize>,
        secret: Option<[u8; 32]>,
        database_url: Option<String>,
    ) -> Network {
        let dir = tempfile::tempdir().expect("temp dir");
        let server_dir = dir.path().join("server");
        if let Some(secret) = secret {
            use base64::Engine;
            std::fs::create_dir_all(&server_dir).expect("the server's data dir");
            let text = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret);
            std::fs::write(server_dir.join(pvz_server::keys::KEY_FILE), text).expect("the key file written");
        }
        let admin = admin_of(&server_dir, database_url.as_deref());
        admin.add_pickup_point(POINT, "ПВЗ Синхронная, 1", &FeePolicy::default()).expect("pickup point added");
        let mut config = Config { database_url: database_url.clone(), ..Config::for_data_dir(&server_dir) };
        if let Some(limit) = max_body_bytes {
            config.max_body_bytes = limit;
        }
        let server = pvz_server::spawn(config).await.expect("server starts on port 0");
        let kiosk_path = dir.path().join("kiosk").join("kiosk.sqlite3");
        std::fs::create_dir_all(kiosk_path.parent().expect("parent")).expect("kiosk dir");
        Network { _dir: dir, server_dir, kiosk_path, server: Some(server), max_body_bytes, database_url }
    }

    pub fn admin(&self) -> Admin {
        admin_of(&self.server_dir, self.database_url.as_deref())
    }

    pub fn url(&self) -> String {
        self.server.as_ref().expect("server running").url()
    }

    /// Where [`Network::kiosk`] keeps its store.
    pub fn kiosk_path(&self) -> &std::path::Path {
        &self.kiosk_path
    }

    pub fn kiosk(&self) -> Kiosk {
        Kiosk::open(&self.kiosk_path).expect("kiosk store opens")
    }

    /// A kiosk enrolled at POINT with a fresh code.
    pub async fn enrolled_kiosk(&self) -> Kiosk {
        let kiosk = self.kiosk();
        self.enroll_at(&kiosk, POINT).await;
        kiosk
    }

    /// Enrolls `kiosk` at `point` with a fresh code, expecting it to succeed.
    pub async fn enroll_at(&self, kiosk: &Kiosk, point: &str) {
        self.enroll_via(kiosk, point, &self.url()).await;
    }

    /// The server's own address (for a relay in front of it).
    pub fn addr(&self) -> std::net::SocketAddr {
        self.server.as_ref().expect("server running").addr
    }

    /// Enrolls `kiosk` at `point` through `url` (a relay before the server), which it then syncs with.
    pub async fn enroll_via(&self, kiosk: &Kiosk, point: &str, url: &str) {
        let code = self.admin().issue_enrollment_code(point, Duration::from_secs(600)).expect("code issued");
        let enrollment = sync::enroll(kiosk, url, &code, "Касса 1").await.expect("enrollment succeeds");
        assert_eq!(enrollment.pickup_point_id.as_str(), point, "the kiosk is enrolled at the code's pickup point");
    }

    /// Makes this server take `code`, issued by another server, as its own code for `point`: an
    /// impostor at the address the kiosk was given, which saw the code on its way.
    pub fn accept_code_issued_elsewhere(&self, point: &str, code: &str) {
        use pvz_server::db::{self, devices};
        let conn = db::open_and_migrate(&self.server_dir.join(db::DB_FILE)).expect("the server's database");
        let hash = db::sha256_hex(pvz_server::admin::normalize_enrollment_code(code).as_bytes());
        let point = PickupPointId::parse(point).expect("point id");
        devices::insert_enrollment_code(&conn, &point, &hash, i64::MAX, &db::now_text()).expect("code stored");
    }

    /// Resolves once the server holds `count` pulls open.
    pub async fn until_holding(&self, count: usize) {
        let held = self.server.as_ref().expect("server running").held_pulls().until_holding(count);
        tokio::time::timeout(Duration::from_secs(20), held).await.expect("the server holds the kiosk's pull");
    }

    pub async fn stop_server(&mut self) -> std::net::SocketAddr {
        let server = self.server.take().expect("server running");
        let addr = server.addr;
        server.shutdown().await;
        addr
    }

    pub async fn restart_server(&mut self, addr: std::net::SocketAddr) {
        let mut config = Config { database_url: self.database_url.clone(), ..Config::for_data_dir(&self.server_dir) };
        config.bind = addr;
        if let Some(limit) = self.max_body_bytes {
            config.max_body_bytes = limit;
        }
        self.server = Some(pvz_server::spawn(config).await.expect("server restarts on the same port and data"));
    }
}

/// An admin on the server's data dir and its database (PostgreSQL when `database_url` names one).
fn admin_of(server_dir: &std::path::Path, database_url: Option<&str>) -> Admin {
    match database_url {
        Some(url) => {
            let database = pvz_server::db::Database::parse(url).expect("the test database URL");
            Admin::open_database(server_dir, &database).expect("admin opens the server's database")
        }
        None => Admin::open(server_dir).expect("admin opens the server's data dir"),
    }
}

pub fn order(n: u32, price: i64) -> NewOrder {
    NewOrder {
        id: OrderId::parse(&format!("ord-sync-{n}")).expect("order id"),
        short_code: ShortCode::parse(&format!("{}", 700_000 + n)).expect("short code"),
        buyer_id: format!("buyer-{n}"),
        buyer_name: "Анна К.".into(),
        items: vec![NewItem {
            id: ItemId::parse(&format!("itm-sync-{n}-1")).expect("item id"),
            seller_id: "seller-1".into(),
            seller_name: "ООО Платья".into(),
            name: "Платье летнее".into(),
            variant: "44".into(),
            cell: "A-1".into(),
            price: Kopecks(price),
            prepaid: false,
            category: "clothes".into(),
            barcode: None,
            mark: None,
        }],
    }
}

pub fn fast() -> ClientConfig {
    ClientConfig {
        request_timeout: Duration::from_secs(10),
        connect_timeout: Duration::from_secs(2),
        ..Default::default()
    }
}

/// Opens the order by its short code, hands everything over and confirms the payment.
pub fn issue(kiosk: &Kiosk, n: u32, price: i64) -> String {
    let opened = kiosk.scan(&format!("{}", 700_000 + n)).expect("the order opens at the counter");
    let order = opened.view.screen.order().expect("an order card is shown");
    kiosk.hand_over_rest(&order.order_id).expect("hand over the items");
    let done = kiosk.confirm_issue(&order.order_id, Kopecks(price), true).expect("the issue completes");
    done.screen.receipt().cloned().expect("a receipt").op_id
}

/// Opens order `n` and refuses its item as defective with the longest description allowed (about
/// 4 KB of Cyrillic in each of the decision and the completion op), then completes the issue.
pub fn refuse_with_long_defect(kiosk: &Kiosk, n: u32) {
    let card =
        kiosk.scan(&format!("{}", 700_000 + n)).expect("the order opens").view.screen.order().cloned().expect("a card");
    let description = "Ж".repeat(pvz_domain::Refusal::MAX_DESCRIPTION);
    let refuse = ItemDecision::Refuse { reason: RefusalReason::Defect, description: Some(description) };
    kiosk.decide_item(&card.order_id, &card.items[0].item_id, refuse).expect("refused as defective");
    kiosk.confirm_issue(&card.order_id, Kopecks(0), false).expect("nothing to collect: the issue completes");
}

pub fn device_of(kiosk: &Kiosk) -> String {
    kiosk.view().expect("view").status.device_id
}

pub async fn wait_for(handle: &SyncHandle, what: &str, ok: impl Fn(&SyncStatusView) -> bool) -> SyncStatusView {
    let mut changes = handle.subscribe();
    let waited = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            let status = changes.borrow_and_update().clone();
            if ok(&status) {
                return status;
            }
            changes.changed().await.expect("the engine is running");
        }
    })
    .await;
    waited.unwrap_or_else(|_| panic!("timed out waiting until {what}; last status: {:?}", handle.status()))
}

pub fn short_engine() -> EngineConfig {
    EngineConfig {
        client: fast(),
        poll_interval: Duration::from_millis(100),
        backoff_base: Duration::from_millis(20),
        backoff_max: Duration::from_millis(200),
        // A poll every 100 ms is shorter than any hold: these engines poll.
        pull_wait: Duration::ZERO,
    }
}

/// The buyer's pickup QR for order `n`, signed by the server the kiosk pinned.
pub fn pickup_qr(admin: &Admin, n: u32) -> String {
    PickupClaims {
        order_id: OrderId::parse(&format!("ord-sync-{n}")).expect("order id"),
        pickup_point_id: PickupPointId::parse(POINT).expect("point id"),
        short_code: ShortCode::parse(&format!("{}", 700_000 + n)).expect("short code"),
        expires_at: 4_102_444_800,
    }
    .sign(admin.signing_key())
}

pub fn assert_cancelled<T: std::fmt::Debug>(result: Result<T, KioskError>, what: &str) {
    match result {
        Err(e) => assert_eq!(e.kind(), ErrorKind::OrderCancelled, "{what} must say the order is cancelled: {e}"),
        Ok(v) => panic!("{what} must be refused as cancelled, got {v:?}"),
    }
}
