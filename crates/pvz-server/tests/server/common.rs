//! Shared test setup: each test gets its own data dir, a real server on port 0, an admin handle on
//! the same data dir, and helpers to enroll a kiosk and push/pull as it would.

use pvz_domain::{
    ClaimId, CompensationKind, EmployeeId, FeePolicy, ItemId, Kopecks, OrderId, RefusalReason, ReturnBoxId, ReturnId,
};
use pvz_protocol::sync::{EnrollResponse, PushOp, PROTOCOL_HEADER, PROTOCOL_VERSION};
use pvz_protocol::{BoxedItem, DamagedItem, HandBackItem, OpBody, PlacedItem, RefusedItem, ReturnSource};
use pvz_server::admin::{Admin, Role};
use pvz_server::{Config, RunningServer};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

pub const POINT: &str = "pp-a";
pub const OTHER_POINT: &str = "pp-b";

pub struct TestServer {
    pub server: RunningServer,
    pub admin: Admin,
    pub client: reqwest::Client,
    pub dir: tempfile::TempDir,
}

pub fn policy() -> FeePolicy {
    FeePolicy {
        default_fee: Kopecks(9_900),
        per_category: BTreeMap::from([("clothes".to_owned(), Kopecks(14_900)), ("books".to_owned(), Kopecks::ZERO)]),
    }
}

/// A server with two pickup points (`pp-a`, `pp-b`) and no orders.
pub async fn start() -> TestServer {
    start_with(|c| c).await
}

/// The PostgreSQL database a data dir's server and admin use when the suite runs on PostgreSQL
/// (`PVZ_TEST_BACKEND=postgres`): a fresh one per dir. `None`: the dir's own SQLite file.
pub fn database_url(dir: &Path) -> Option<String> {
    static URLS: Mutex<BTreeMap<PathBuf, String>> = Mutex::new(BTreeMap::new());
    if !pvz_testdb::postgres_selected() {
        return None;
    }
    let mut urls = URLS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    Some(urls.entry(dir.to_owned()).or_insert_with(|| pvz_testdb::cluster().create_database()).clone())
}

/// The database of a data dir, on the backend this run of the suite tests.
pub fn database(dir: &Path) -> pvz_server::db::Database {
    match database_url(dir) {
        Some(url) => pvz_server::db::Database::parse(&url).expect("the test database URL"),
        None => pvz_server::db::Database::Sqlite(dir.join(pvz_server::db::DB_FILE)),
    }
}

/// An admin on a data dir and its database.
pub fn admin(dir: &Path) -> Admin {
    Admin::open_database(dir, &database(dir)).expect("admin opens the data dir")
}

/// Another connection to a data dir's database (as another process would hold).
pub fn connect(dir: &Path) -> pvz_server::db::Connection {
    database(dir).connect_and_migrate().expect("a connection to the test database")
}

/// A config for a test server on `dir` and its database.
pub fn config(dir: &Path) -> Config {
    Config { database_url: database_url(dir), ..Config::for_data_dir(dir) }
}

pub async fn start_with(tweak: impl FnOnce(Config) -> Config) -> TestServer {
    let dir = tempfile::tempdir().expect("temp data dir");
    let server = pvz_server::spawn(tweak(config(dir.path()))).await.expect("server starts");
    let admin = admin(dir.path());
    admin.add_pickup_point(POINT, "ПВЗ А", &policy()).expect("add point a");
    admin.add_pickup_point(OTHER_POINT, "ПВЗ Б", &policy()).expect("add point b");
    TestServer { server, admin, client: reqwest::Client::new(), dir }
}

pub struct Kiosk {
    pub credential: String,
    pub device_id: String,
}

pub struct Reply {
    pub status: u16,
    pub body: Value,
}

impl TestServer {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.url())
    }

    pub async fn enroll(&self, point: &str) -> Kiosk {
        let code = self.admin.issue_enrollment_code(point, Duration::from_secs(3600)).expect("issue code");
        let reply = self.post_json("/v1/enroll", None, &json!({"code": code, "device_name": "Касса 1"})).await;
        assert_eq!(reply.status, 200, "enrollment with a fresh code must succeed: {}", reply.body);
        let response: EnrollResponse = serde_json::from_value(reply.body).expect("an EnrollResponse");
        Kiosk {
            credential: response.credential.expect("a server-made credential"),
            device_id: response.enrollment.device_id.to_string(),
        }
    }

    pub async fn post_json(&self, path: &str, credential: Option<&str>, body: &Value) -> Reply {
        self.post_raw(path, credential, serde_json::to_vec(body).expect("json")).await
    }

    pub async fn post_raw(&self, path: &str, credential: Option<&str>, body: Vec<u8>) -> Reply {
        let mut req = self
            .client
            .post(self.url(path))
            .header("content-type", "application/json")
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
            .body(body);
        if let Some(c) = credential {
            req = req.bearer_auth(c);
        }
        reply(req.send().await.expect("request sent")).await
    }

    pub async fn push(&self, kiosk: &Kiosk, ops: &[PushOp]) -> Reply {
        self.post_json("/v1/sync/push", Some(&kiosk.credential), &json!({ "ops": ops })).await
    }

    /// A GET with a bearer credential (a kiosk's or a seller's) and the protocol header.
    pub async fn get(&self, path: &str, credential: Option<&str>) -> Reply {
        let mut req = self.client.get(self.url(path)).header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string());
        if let Some(c) = credential {
            req = req.bearer_auth(c);
        }
        reply(req.send().await.expect("request sent")).await
    }

    pub async fn pull(&self, kiosk: &Kiosk, query: &[(&str, &str)]) -> Reply {
        let req = self
            .client
            .get(self.url("/v1/sync/pull"))
            .query(query)
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
            .bearer_auth(&kiosk.credential);
        reply(req.send().await.expect("request sent")).await
    }
}

pub async fn reply(response: reqwest::Response) -> Reply {
    let status = response.status().as_u16();
    let bytes = response.bytes().await.expect("body read");
    let body = serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
    Reply { status, body }
}

/// Asserts an ApiError body with this status and code.
pub fn assert_api_error(reply: &Reply, status: u16, code: &str, what: &str) {
    assert_eq!(reply.status, status, "{what}: status; body {}", reply.body);
    assert_eq!(reply.body["code"], code, "{what}: ApiError code; body {}", reply.body);
    assert!(reply.body["message"].as_str().is_some_and(|m| !m.is_empty()), "{what}: ApiError carries a message");
}

pub fn op(seq: i64, body: OpBody) -> PushOp {
    PushOp { seq, op_id: uuid::Uuid::now_v7(), created_at: "2026-12-01T10:00:00.000Z".into(), operator: None, body }
}

pub fn order_id(raw: &str) -> OrderId {
    OrderId::parse(raw).expect("order id")
}

pub fn item_id(raw: &str) -> ItemId {
    ItemId::parse(raw).expect("item id")
}

pub fn opened(order: &str) -> OpBody {
    OpBody::IssueOpened { order_id: order_id(order) }
}

pub fn refused(item: &str, reason: RefusalReason, fee: i64) -> RefusedItem {
    let description = (reason == RefusalReason::Defect).then(|| "шов разошёлся".to_owned());
    RefusedItem { item_id: item_id(item), reason, description, fee: Kopecks(fee) }
}

pub fn completed(order: &str, handed: &[&str], refused: Vec<RefusedItem>, collected: i64, refunded: i64) -> OpBody {
    OpBody::IssueCompleted {
        order_id: order_id(order),
        handed_over: handed.iter().map(|i| item_id(i)).collect(),
        refused,
        collected: Kopecks(collected),
        refunded: Kopecks(refunded),
        payment_taken: collected > 0,
        not_arrived: Vec::new(),
    }
}

/// Adds a two-item order (`<id>-1` clothes 1 000 ₽ from seller s-1, `<id>-2` shoes 2 500 ₽ from s-2).
pub fn add_order(admin: &Admin, point: &str, id: &str, prepaid: bool) {
    use pvz_server::db::orders::{NewItem, NewOrder};
    let item = |n: u32, seller: &str, category: &str, price: i64| NewItem {
        id: item_id(&format!("{id}-{n}")),
        seller_id: seller.into(),
        seller_name: format!("Продавец {seller}"),
        name: format!("Товар {n}"),
        variant: "M".into(),
        cell: "A-1".into(),
        price: Kopecks(price),
        prepaid,
        category: category.into(),
        barcode: None,
        mark: None,
    };
    let order = NewOrder {
        id: order_id(id),
        short_code: pvz_domain::ShortCode::parse("123456").expect("code"),
        buyer_id: format!("buyer-{id}"),
        buyer_name: "Анна Кузнецова".into(),
        items: vec![item(1, "s-1", "clothes", 100_000), item(2, "s-2", "shoes", 250_000)],
    };
    admin.add_order(point, &order).expect("add order");
}

/// Records that prepaid order `id` was paid 20 days ago: its claims are past the 14-day line, so
/// their sellers decide them.
pub fn paid_20_days_ago(admin: &Admin, id: &str) {
    let at = chrono::Utc::now() - chrono::Duration::days(20);
    admin.set_order_paid_at(id, &at.to_rfc3339()).expect("paid 20 days ago");
}

/// Order `id` for a new buyer with items `<id>-1..=n` (clothes 1 000 ₽ each), as a shipment brings it.
pub fn expected_order(id: &str, short: &str, items: u32) -> pvz_server::db::orders::NewOrder {
    use pvz_server::db::orders::{NewItem, NewOrder};
    NewOrder {
        id: order_id(id),
        short_code: pvz_domain::ShortCode::parse(short).expect("code"),
        buyer_id: format!("buyer-{id}"),
        buyer_name: "Ирина Волкова".into(),
        items: (1..=items)
            .map(|n| NewItem {
                id: item_id(&format!("{id}-{n}")),
                seller_id: "s-1".into(),
                seller_name: "Продавец".into(),
                name: format!("Товар {n}"),
                variant: "M".into(),
                cell: "ignored".into(),
                price: Kopecks(100_000),
                prepaid: false,
                category: "clothes".into(),
                barcode: None,
                mark: None,
            })
            .collect(),
    }
}

pub fn placed(order: &str, item: &str, cell: &str) -> PlacedItem {
    PlacedItem { order_id: order_id(order), item_id: item_id(item), cell: cell.into() }
}

/// An item recorded damaged at receiving (no photos).
pub fn damaged(order: &str, item: &str, description: &str) -> DamagedItem {
    DamagedItem { order_id: order_id(order), item_id: item_id(item), description: description.into(), photos: vec![] }
}

/// A claim return op for `unit` (a fresh return label) with what the claim return code said.
/// A claim return as a kiosk before protocol 4 pushed it, with no code: [`TestServer::proven`] adds one.
pub fn claim_return(claim: &str, order: &str, item: &str, unit: &str, kind: CompensationKind, amount: i64) -> OpBody {
    OpBody::ClaimReturnAccepted {
        claim_id: ClaimId::parse(claim).expect("claim id"),
        order_id: order_id(order),
        item_id: item_id(item),
        return_id: ReturnId::parse(unit).expect("return id"),
        compensation: kind,
        amount: Kopecks(amount),
        condition: "без следов носки".into(),
        photos: vec![],
        code_issue: 1,
        // Without its code, as a kiosk before protocol 4 sent it: see `TestServer::proven`.
        return_code: None,
    }
}

/// The reject code of result `i`, or "none".
pub fn reject_code(reply: &Reply, i: usize) -> String {
    reply.body["results"][i]["outcome"]["code"].as_str().unwrap_or("none").to_owned()
}

/// The changes of a pull page that are orders, by id.
pub fn pulled_order<'a>(page: &'a Reply, id: &str) -> Option<&'a Value> {
    page.body["changes"].as_array()?.iter().find(|c| c["type"] == "upsert_order" && c["order_id"] == id)
}

/// A courier `courier-1` of POINT carrying back a prepaid doorstep delivery `door` the buyer refused:
/// `door-1` clothes 1 000 ₽ (barcode 4607000000113, seller s-1), `door-2` shoes 2 500 ₽
/// (4607000000120, s-2), `door-3` books 500 ₽ (4607000000137, s-1).
pub fn add_courier_with_refusals(admin: &Admin) {
    use pvz_server::db::orders::{NewItem, NewOrder};
    admin.add_employee_as("courier-1", POINT, "Иван Петров", Role::Courier, "1111").expect("courier");
    let item = |n: u32, seller: &str, category: &str, price: i64, barcode: &str| NewItem {
        id: item_id(&format!("door-{n}")),
        seller_id: seller.into(),
        seller_name: format!("Продавец {seller}"),
        name: format!("Отказ {n}"),
        variant: "-".into(),
        cell: "-".into(),
        price: Kopecks(price),
        prepaid: true,
        category: category.into(),
        barcode: Some(barcode.into()),
        mark: None,
    };
    let order = NewOrder {
        id: order_id("door"),
        short_code: pvz_domain::ShortCode::parse("654321").expect("code"),
        buyer_id: "buyer-door".into(),
        buyer_name: "Павел Егоров".into(),
        items: vec![
            item(1, "s-1", "clothes", 100_000, "4607000000113"),
            item(2, "s-2", "shoes", 250_000, "4607000000120"),
            item(3, "s-1", "books", 50_000, "4607000000137"),
        ],
    };
    admin.add_courier_refusals("courier-1", POINT, &order).expect("the courier's manifest");
}

/// One handed-back item: `item` is the manifest line the counter matched (`None` offline or extra).
pub fn handed_back(unit: &str, item: Option<&str>, code: &str, reason: RefusalReason, fee: i64) -> HandBackItem {
    HandBackItem {
        return_id: ReturnId::parse(unit).expect("return id"),
        code: code.into(),
        item_id: item.map(item_id),
        order_id: None,
        reason,
        description: (reason == RefusalReason::Defect).then(|| "не включается".to_owned()),
        fee: Kopecks(fee),
    }
}

pub fn hand_back(id: &str, courier: &str, items: Vec<HandBackItem>) -> OpBody {
    OpBody::CourierHandBackCompleted {
        hand_back_id: id.into(),
        courier_id: EmployeeId::parse(courier).expect("employee id"),
        accepted_by: "Анна Кузнецова".into(),
        items,
        missing: vec![],
    }
}

pub fn boxed(unit: &str, item: Option<&str>, source: ReturnSource) -> BoxedItem {
    BoxedItem { return_id: ReturnId::parse(unit).expect("return id"), item_id: item.map(item_id), source }
}

pub fn box_closed(id: &str, items: Vec<BoxedItem>) -> OpBody {
    OpBody::ReturnBoxClosed { box_id: ReturnBoxId::parse(id).expect("box id"), items }
}

pub fn boxes_handed_over(handover: &str, driver: &str, boxes: &[&str]) -> OpBody {
    OpBody::BoxesHandedOver {
        handover_id: handover.into(),
        driver_id: EmployeeId::parse(driver).expect("employee id"),
        box_ids: boxes.iter().map(|b| ReturnBoxId::parse(b).expect("box id")).collect(),
    }
}

/// The outcome status of result `i` ("applied", "duplicate", "rejected").
pub fn outcome(reply: &Reply, i: usize) -> String {
    reply.body["results"][i]["outcome"]["status"].as_str().unwrap_or("none").to_owned()
}

/// What a run of the real `pvz-server` binary printed, and whether it succeeded.
pub struct CliRun {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the real binary on the data dir `dir` with `args` (nothing inherited that would choose
/// another data dir).
pub fn pvz_server(dir: &std::path::Path, args: &[&str]) -> CliRun {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_pvz-server"));
    command.arg("--data-dir").arg(dir).args(args).env_remove("PVZ_SERVER_DATA_DIR");
    match database_url(dir) {
        Some(url) => command.env("PVZ_SERVER_DATABASE_URL", url),
        None => command.env_remove("PVZ_SERVER_DATABASE_URL"),
    };
    let out = command.env("RUST_LOG", "warn").output().expect("the binary runs");
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    CliRun { ok: out.status.success(), stdout: text(&out.stdout), stderr: text(&out.stderr) }
}

/// A completed sale of each order `add_demo_orders` made (its two items handed over, 3 500 ₽ paid),
/// as ops of one device numbered from 1.
pub fn demo_sales(orders: &[pvz_domain::OrderId]) -> Vec<PushOp> {
    orders
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let uid = id.as_str().trim_start_matches("ord-");
            let items = [format!("itm-{uid}-1"), format!("itm-{uid}-2")];
            op(i as i64 + 1, completed(id.as_str(), &[&items[0], &items[1]], vec![], 350_000, 0))
        })
        .collect()
}
