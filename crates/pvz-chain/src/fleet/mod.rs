//! A network of simulated kiosks over HTTP, for load runs against a real server: pickup points with
//! orders and one enrollment code per kiosk seeded through the admin API, then kiosks that enroll
//! through `/v1/enroll`, each with its own credential, cursor, op seq and keep-alive connection, and
//! sync the way the kiosk core does (push an issue's ops, pull the point's feed). No kiosk store:
//! what is measured is the server.

pub mod day;

use crate::http::Conn;
use hyper::{Method, StatusCode};
use pvz_domain::{FeePolicy, ItemId, Kopecks, OrderId, ShortCode};
use pvz_protocol::sync::{
    EnrollRequest, EnrollResponse, OpOutcome, PushOp, PushRequest, PushResponse, PATH_ENROLL, PATH_PULL, PATH_PUSH,
};
use pvz_protocol::{ItemDecision, OpBody, PullPage};
use pvz_server::admin::Admin;
use pvz_server::db::orders::{NewItem, NewOrder};
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::time::Duration;

/// Every seeded order is one pay-at-counter item at this price (1 299 ₽).
pub const ORDER_PRICE: Kopecks = Kopecks(129_900);

/// What a load run fails with: which kiosk, which call, what came back.
pub type Failure = String;

/// How the network is laid out.
#[derive(Debug, Clone, Copy)]
pub struct FleetPlan {
    pub kiosks: usize,
    pub kiosks_per_point: usize,
    /// Ready orders set aside for each kiosk to issue (a kiosk never issues another's).
    pub orders_per_kiosk: usize,
}

impl FleetPlan {
    pub fn points(&self) -> usize {
        self.kiosks.div_ceil(self.kiosks_per_point)
    }
}

/// An order a kiosk will issue.
#[derive(Debug, Clone)]
pub struct SeededOrder {
    pub order_id: OrderId,
    pub item_id: ItemId,
}

/// What a kiosk gets before it enrolls: its point's enrollment code and its orders.
#[derive(Debug, Clone)]
pub struct KioskSeed {
    pub point: String,
    pub code: String,
    pub orders: Vec<SeededOrder>,
}

/// Adds the plan's pickup points, their orders and one enrollment code per kiosk, through the admin
/// API (as the network's operator would), and returns one seed per kiosk.
pub fn seed(admin: &Admin, plan: FleetPlan) -> Result<Vec<KioskSeed>, Failure> {
    let mut seeds = Vec::with_capacity(plan.kiosks);
    for p in 0..plan.points() {
        let point = format!("pp-load-{p:05}");
        let name = format!("ПВЗ Нагрузка, {p}");
        admin.add_pickup_point(&point, &name, &FeePolicy::default()).map_err(|e| format!("add {point}: {e}"))?;
        let kiosks_here = plan.kiosks_per_point.min(plan.kiosks - p * plan.kiosks_per_point);
        let mut batch = Vec::with_capacity(kiosks_here * plan.orders_per_kiosk);
        for slot in 0..kiosks_here {
            let mut orders = Vec::with_capacity(plan.orders_per_kiosk);
            for n in 0..plan.orders_per_kiosk {
                let order = new_order(p, slot, n)?;
                orders.push(SeededOrder { order_id: order.id.clone(), item_id: order.items[0].id.clone() });
                batch.push(order);
            }
            let code = admin
                .issue_enrollment_code(&point, Duration::from_secs(24 * 3600))
                .map_err(|e| format!("enrollment code at {point}: {e}"))?;
            seeds.push(KioskSeed { point: point.clone(), code, orders });
        }
        admin.add_orders(&point, &batch).map_err(|e| format!("orders at {point}: {e}"))?;
    }
    Ok(seeds)
}

fn new_order(point: usize, slot: usize, n: usize) -> Result<NewOrder, Failure> {
    let id = format!("ord-load-{point}-{slot}-{n}");
    let short_code = format!("{}", 100_000 + slot * 10_000 + n);
    Ok(NewOrder {
        id: OrderId::parse(&id).map_err(|e| format!("order id {id}: {e}"))?,
        short_code: ShortCode::parse(&short_code).ok_or_else(|| format!("short code {short_code}"))?,
        buyer_id: format!("buyer-load-{point}-{slot}-{n}"),
        buyer_name: "Тест Нагрузкин".into(),
        items: vec![NewItem {
            id: ItemId::parse(&format!("itm-load-{point}-{slot}-{n}")).map_err(|e| format!("item id: {e}"))?,
            seller_id: format!("seller-load-{}", n % 50),
            seller_name: "ООО Нагрузка".into(),
            name: "Футболка".into(),
            variant: "M".into(),
            cell: format!("L-{:03}", n % 500),
            price: ORDER_PRICE,
            prepaid: false,
            category: "clothes".into(),
            barcode: None,
            mark: None,
        }],
    })
}

/// One enrolled kiosk as the server sees it.
pub struct SimKiosk {
    pub index: usize,
    bearer: String,
    cursor: String,
    next_seq: i64,
    orders: VecDeque<SeededOrder>,
    conn: Conn,
}

/// What one push of an issue came to.
#[derive(Debug, Clone, Copy)]
pub struct Pushed {
    pub applied: usize,
    pub rejected: usize,
}

impl SimKiosk {
    /// Enrolls with the seed's code, then pulls the point's feed to its head, as a new kiosk does.
    pub async fn enroll(addr: SocketAddr, index: usize, seed: KioskSeed) -> Result<SimKiosk, Failure> {
        let mut conn = Conn::new(addr);
        let request = EnrollRequest {
            code: seed.code,
            device_name: format!("Касса {index}"),
            previous_credential: None,
            current_pickup_point: None,
            secret_sha256: None,
        };
        let body = serde_json::to_vec(&request).map_err(|e| e.to_string())?;
        let json = [("content-type", "application/json")];
        let (status, answer) = conn
            .send(Method::POST, PATH_ENROLL, &json, body)
            .await
            .map_err(|e| format!("kiosk {index} enroll: {e}"))?;
        if status != StatusCode::OK {
            return Err(format!("kiosk {index} enroll: {status} {}", String::from_utf8_lossy(&answer)));
        }
        let enrolled: EnrollResponse = serde_json::from_slice(&answer).map_err(|e| format!("enroll answer: {e}"))?;
        let mut kiosk = SimKiosk {
            index,
            bearer: format!("Bearer {}", enrolled.credential.unwrap_or_default()),
            cursor: String::new(),
            next_seq: 1,
            orders: seed.orders.into(),
            conn,
        };
        kiosk.pull().await?;
        Ok(kiosk)
    }

    /// The idle poll's path: the feed after this kiosk's cursor.
    pub fn poll_path(&self) -> String {
        format!("{PATH_PULL}?cursor={}", self.cursor)
    }

    pub fn bearer(&self) -> &str {
        &self.bearer
    }

    /// Drops the kiosk's connection; the next call opens a new one.
    pub fn disconnect(&mut self) {
        self.conn.close();
    }

    /// Pulls from the cursor until the feed's head; the number of changes it got.
    pub async fn pull(&mut self) -> Result<u64, Failure> {
        let mut changes = 0;
        loop {
            let path = if self.cursor.is_empty() {
                format!("{PATH_PULL}?limit=2000")
            } else {
                format!("{PATH_PULL}?limit=2000&cursor={}", self.cursor)
            };
            let page: PullPage = self.call(Method::GET, &path, Vec::new()).await?;
            if page.reset {
                return Err(format!("kiosk {}: the feed was reset under the run", self.index));
            }
            changes += page.changes.len() as u64;
            self.cursor = page.cursor;
            if !page.has_more {
                return Ok(changes);
            }
        }
    }

    /// Pushes one issue of the kiosk's next order as the counter writes it (card opened, the item
    /// handed over, payment taken: three ops in one batch). `None`: the kiosk has no order left.
    pub async fn push_issue(&mut self) -> Result<Option<Pushed>, Failure> {
        let Some(order) = self.orders.pop_front() else {
            return Ok(None);
        };
        let order_id = order.order_id.clone();
        let bodies = [
            OpBody::IssueOpened { order_id: order_id.clone() },
            OpBody::ItemDecided {
                order_id: order_id.clone(),
                item_id: order.item_id.clone(),
                decision: ItemDecision::HandOver,
                mark: None,
            },
            OpBody::IssueCompleted {
                order_id,
                handed_over: vec![order.item_id],
                refused: vec![],
                collected: ORDER_PRICE,
                refunded: Kopecks(0),
                payment_taken: true,
                not_arrived: vec![],
            },
        ];
        let created_at = pvz_server::db::now_text();
        let ops: Vec<PushOp> = bodies
            .into_iter()
            .map(|body| {
                let seq = self.next_seq;
                self.next_seq += 1;
                PushOp { seq, op_id: uuid::Uuid::now_v7(), created_at: created_at.clone(), operator: None, body }
            })
            .collect();
        let body = serde_json::to_vec(&PushRequest { ops, now: None }).map_err(|e| e.to_string())?;
        let response: PushResponse = self.call(Method::POST, PATH_PUSH, body).await?;
        if let Some(gap) = response.gap {
            return Err(format!("kiosk {}: push stopped at a seq gap: {gap:?}", self.index));
        }
        let applied = response.results.iter().filter(|r| matches!(r.outcome, OpOutcome::Applied)).count();
        Ok(Some(Pushed { applied, rejected: response.results.len() - applied }))
    }

    /// One sync call with the kiosk's credential; a 200's body parsed, anything else a failure.
    async fn call<T: serde::de::DeserializeOwned>(
        &mut self,
        method: Method,
        path: &str,
        body: Vec<u8>,
    ) -> Result<T, Failure> {
        let headers = [("authorization", self.bearer.as_str()), ("content-type", "application/json")];
        let (status, answer) = self
            .conn
            .send(method, path, &headers, body)
            .await
            .map_err(|e| format!("kiosk {} {path}: {e}", self.index))?;
        if status != StatusCode::OK {
            return Err(format!("kiosk {} {path}: {status} {}", self.index, String::from_utf8_lossy(&answer)));
        }
        serde_json::from_slice(&answer).map_err(|e| format!("kiosk {} {path}: {e}", self.index))
    }
}
