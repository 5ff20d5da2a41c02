//! The demo network: two pickup points with orders in every state. The first point carries the same
//! orders as `pvz_protocol::demo` (ids, short codes, buyers, items) so the README's short codes keep
//! working, claims in every state ([`claims`]), a manager at each point, a courier and a driver
//! ([`staff`]) with their badges, and storage policies, cells, an expected shipment and an order past
//! its storage period ([`receiving`]); QR tokens, claim return codes and staff badges are signed with
//! this server's own key.
//! Running it again only issues fresh enrollment codes (and reports the claims, manifests and
//! shipments as they stand).

mod claims;
mod photos;
mod receiving;
mod staff;

pub use claims::DemoClaim;
pub use receiving::{DemoShipment, DemoShipmentItem};
pub use staff::{DemoManifestItem, DemoStaff};

use crate::admin::Admin;
use crate::db::orders::{NewItem, NewOrder};
use crate::error::{Result, ServerError};
use pvz_domain::{ItemId, Kopecks, OrderId, OrderStatus, PickupPointId, ShortCode};
use pvz_protocol::demo::{OTHER_PICKUP_POINT, PICKUP_POINT};
use pvz_protocol::{Change, PickupClaims, PublicKey};
use serde::Serialize;
use std::collections::BTreeMap;
use std::time::Duration;

/// Demo QR tokens stay valid until 2100-01-01, like the protocol crate's.
const FAR_FUTURE: i64 = 4_102_444_800;
const OTHER_POINT_NAME: &str = "ПВЗ Санкт-Петербург, Невский 20";

#[derive(Debug, Clone, Serialize)]
pub struct DemoReport {
    /// False when the network already existed and only fresh codes were issued.
    pub created: bool,
    pub server_public_key: String,
    pub points: Vec<DemoPoint>,
    pub codes: Vec<DemoCode>,
    /// Claims at the first point, with the claim return codes to scan.
    pub claims: Vec<DemoClaim>,
    /// Managers (with their PINs) at both points; couriers (with their manifests) and drivers at the
    /// first point, with their badges.
    pub staff: Vec<DemoStaff>,
    /// Shipments expected at the first point, with the codes to scan at receiving.
    pub shipments: Vec<DemoShipment>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DemoPoint {
    pub id: String,
    pub name: String,
    /// One-time, valid 24 hours.
    pub enrollment_code: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DemoCode {
    pub case: String,
    pub pickup_point_id: String,
    pub order_id: String,
    pub short_code: String,
    pub qr_token: String,
}

/// Full names behind the protocol demo's masked ones (the server masks them again for kiosks).
fn full_name(masked: &str) -> String {
    match masked {
        "Анна К." => "Анна Кузнецова",
        "Игорь С." => "Игорь Смирнов",
        "Мария П." => "Мария Петрова",
        "Олег Д." => "Олег Давыдов",
        other => other,
    }
    .to_owned()
}

fn seller_for(category: &str) -> (&'static str, &'static str) {
    match category {
        "clothes" | "shoes" => ("seller-modnitsa", "ООО «Модница»"),
        "electronics" => ("seller-zvuk", "ИП Звуков"),
        _ => ("seller-knigi", "АО «Книжный двор»"),
    }
}

fn bad(e: impl std::fmt::Display) -> ServerError {
    ServerError::Internal(format!("demo data: {e}"))
}

fn item(id: &str, name: &str, variant: &str, cell: &str, price: i64, prepaid: bool, category: &str) -> Result<NewItem> {
    let (seller_id, seller_name) = seller_for(category);
    Ok(NewItem {
        id: ItemId::parse(id).map_err(bad)?,
        seller_id: seller_id.to_owned(),
        seller_name: seller_name.to_owned(),
        name: name.to_owned(),
        variant: variant.to_owned(),
        cell: cell.to_owned(),
        price: Kopecks(price),
        prepaid,
        category: category.to_owned(),
        barcode: None,
        mark: None,
    })
}

fn order(id: &str, short: &str, buyer_id: &str, buyer: &str, items: Vec<NewItem>) -> Result<NewOrder> {
    Ok(NewOrder {
        id: OrderId::parse(id).map_err(bad)?,
        short_code: ShortCode::parse(short).ok_or_else(|| bad(short))?,
        buyer_id: buyer_id.to_owned(),
        buyer_name: buyer.to_owned(),
        items,
    })
}

/// `Admin::seed_demo` for the callers that hold an admin (tests, other crates): defined here, because
/// the demo sits on top of the admin and the admin never imports it.
impl Admin {
    /// Seeds the demo network (see [`seed`]); a second run only prints fresh codes.
    pub fn seed_demo(&self) -> Result<DemoReport> {
        seed(self)
    }
}

/// Seeds the demo network through `admin`; a second run only issues fresh codes.
pub fn seed(admin: &Admin) -> Result<DemoReport> {
    let (protocol_seed, _) = pvz_protocol::demo::seed();
    let created = !admin.pickup_point_exists(PICKUP_POINT)?;
    let mut issued = Vec::new();
    let mut cancelled = Vec::new();
    if created {
        let mut policy = None;
        let mut first_point = Vec::new();
        for change in &protocol_seed.pull.changes {
            match change {
                Change::SetFeePolicy(p) => policy = Some(p.clone()),
                // Played back after the orders exist, as on a real server.
                Change::CancelOrder { order_id } => cancelled.push(order_id.to_string()),
                Change::UpsertEmployee(_)
                | Change::SetStoragePolicy { .. }
                | Change::SetCells { .. }
                | Change::UpsertShipment(_)
                | Change::SetServerKeys { .. }
                | Change::Unknown => {}
                Change::UpsertOrder(o) => {
                    let items = o
                        .items
                        .iter()
                        .map(|i| {
                            let (seller_id, seller_name) = seller_for(&i.category);
                            NewItem {
                                id: i.item_id.clone(),
                                seller_id: seller_id.to_owned(),
                                seller_name: seller_name.to_owned(),
                                name: i.name.clone(),
                                variant: i.variant.clone(),
                                cell: i.cell.clone(),
                                price: i.price,
                                prepaid: i.prepaid,
                                category: i.category.clone(),
                                barcode: i.barcode.clone(),
                                mark: i.mark.clone(),
                            }
                        })
                        .collect();
                    first_point.push(NewOrder {
                        id: o.order_id.clone(),
                        short_code: o.short_code.clone(),
                        buyer_id: format!("buyer-{}", o.order_id),
                        buyer_name: full_name(&o.buyer),
                        items,
                    });
                    if o.status == OrderStatus::Issued {
                        issued.push(o.order_id.to_string());
                    }
                }
            }
        }
        let policy = policy.ok_or_else(|| bad("the protocol demo has no fee policy"))?;
        first_point.push(order(
            "ord-1004",
            "274960",
            "buyer-ord-1004",
            "Светлана Орлова",
            vec![item("itm-1004-1", "Шарф", "бежевый", "A-03", 129_000, true, "clothes")?],
        )?);
        let claimed = claims::claimed_orders()?;
        issued.extend(claimed.iter().map(|o| o.id.to_string()));
        first_point.extend(claimed);
        admin.add_pickup_point(PICKUP_POINT, &protocol_seed.enrollment.pickup_point_name, &policy)?;
        admin.add_orders(PICKUP_POINT, &first_point)?;
        for order_id in &issued {
            admin.mark_order_issued(order_id)?;
        }
        admin.cancel_order("ord-1004")?;
        for order_id in &cancelled {
            admin.cancel_order(order_id)?;
        }
        claims::backdate_payment(admin)?;
        claims::seed(admin)?;
        staff::seed(admin)?;

        let other_policy = pvz_domain::FeePolicy {
            default_fee: Kopecks(7_900),
            per_category: BTreeMap::from([("books".to_owned(), Kopecks::ZERO)]),
        };
        admin.add_pickup_point(OTHER_PICKUP_POINT, OTHER_POINT_NAME, &other_policy)?;
        staff::seed_managers(admin)?;
        admin.add_orders(
            OTHER_PICKUP_POINT,
            &[
                order(
                    "ord-2001",
                    "111222",
                    "buyer-ord-2001",
                    "Пётр Васильев",
                    vec![
                        item("itm-2001-1", "Рюкзак", "синий", "S-01", 329_000, false, "bags"),
                        item("itm-2001-2", "Термос", "0,5 л", "S-01", 149_000, false, "home"),
                    ]
                    .into_iter()
                    .collect::<Result<_>>()?,
                )?,
                order(
                    "ord-2002",
                    "333444",
                    "buyer-ord-2002",
                    "Елена Соколова",
                    vec![item("itm-2002-1", "Книга «Война и мир»", "2 тома", "S-04", 159_000, true, "books")?],
                )?,
            ],
        )?;
        receiving::seed(admin)?;
    }
    staff::issue_badges(admin)?;

    let key = admin.signing_key();
    let token = |point: &str, order: &str, short: &str| -> Result<String> {
        Ok(PickupClaims {
            order_id: OrderId::parse(order).map_err(bad)?,
            pickup_point_id: PickupPointId::parse(point).map_err(bad)?,
            short_code: ShortCode::parse(short).ok_or_else(|| bad(short))?,
            expires_at: FAR_FUTURE,
        }
        .sign(key))
    };
    let cases = [
        (PICKUP_POINT, "ord-1001", "482137", "pay at counter, 2 items (clothes + shoes fees on refusal)"),
        (PICKUP_POINT, "ord-1002", "615204", "prepaid, 2 items (a refusal refunds the buyer)"),
        (PICKUP_POINT, "ord-1003", "730518", "book, zero fee policy"),
        (PICKUP_POINT, "ord-1005", "905311", "already issued"),
        (PICKUP_POINT, "ord-1004", "274960", "cancelled on the server (a synced kiosk refuses it)"),
        (PICKUP_POINT, "ord-1201", "358102", "expected in shipment SHP-0042-001, 2 items (issue after receiving)"),
        (PICKUP_POINT, "ord-1202", "419263", "expected in shipment SHP-0042-001, prepaid lamp"),
        (PICKUP_POINT, "ord-1301", "806142", "arrived 10 days ago: past the 7-day storage period (expiry list)"),
        (OTHER_PICKUP_POINT, "ord-2001", "111222", "another pickup point's order (refused at the first)"),
        (OTHER_PICKUP_POINT, "ord-2002", "333444", "prepaid book at the second point"),
    ];
    let codes = cases
        .iter()
        .map(|(point, order, short, case)| {
            Ok(DemoCode {
                case: (*case).to_owned(),
                pickup_point_id: (*point).to_owned(),
                order_id: (*order).to_owned(),
                short_code: (*short).to_owned(),
                qr_token: token(point, order, short)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let day = Duration::from_secs(24 * 3600);
    let points =
        [(PICKUP_POINT, protocol_seed.enrollment.pickup_point_name.as_str()), (OTHER_PICKUP_POINT, OTHER_POINT_NAME)]
            .iter()
            .map(|(id, name)| {
                Ok(DemoPoint {
                    id: (*id).to_owned(),
                    name: (*name).to_owned(),
                    enrollment_code: admin.issue_enrollment_code(id, day)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
    let (claims, staff, shipments) = (claims::report(admin)?, staff::report(admin)?, receiving::report(admin)?);
    let server_public_key = PublicKey::of(key).to_base64url();
    Ok(DemoReport { created, server_public_key, points, codes, claims, staff, shipments })
}

impl DemoReport {
    /// For people: points with their enrollment codes, then the codes to try.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        out.push_str(if self.created { "Demo network created.\n\n" } else { "Demo network already there.\n\n" });
        out.push_str("Pickup points (enrollment codes are one-time, valid 24 h):\n");
        for p in &self.points {
            out.push_str(&format!("  {}  {}\n    enrollment code: {}\n", p.id, p.name, p.enrollment_code));
        }
        out.push_str(&format!("\nServer public key: {}\n\nCodes to try:\n", self.server_public_key));
        for c in &self.codes {
            out.push_str(&format!(
                "  {} / {}: {}\n    short code: {}\n    QR token:   {}\n",
                c.pickup_point_id, c.order_id, c.case, c.short_code, c.qr_token
            ));
        }
        out.push_str("\nClaims (scan a claim return code at the counter):\n");
        for c in &self.claims {
            out.push_str(&format!("  {}: {} — {} ({})\n", c.claim_id, c.case, c.item_name, c.state));
            let route = c.route.as_deref().unwrap_or("none yet");
            out.push_str(&format!(
                "    decided by the {}; decision {}, item {}, route {route}\n",
                c.decided_by, c.decision, c.item_fate
            ));
            if let Some(address) = &c.seller_address {
                out.push_str(&format!("    the buyer sends it to: {address}\n"));
            }
            if let Some(code) = &c.return_code {
                out.push_str(&format!("    return code: {code}\n"));
            }
            if let Some(order) = &c.part_order_id {
                out.push_str(&format!("    part order:  {order}\n"));
            }
            if let Some(code) = &c.part_shipment_code {
                let label = c.part_barcode.as_deref().unwrap_or("no label");
                out.push_str(&format!(
                    "    part comes in shipment {code}: scan it, then the part's label {label}, to receive it\n"
                ));
            }
        }
        out.push_str("\nStaff (a manager logs in by PIN; couriers and drivers scan the badge):\n");
        for s in &self.staff {
            out.push_str(&format!("  {} ({}, {}, {})", s.name, s.role, s.pickup_point_id, s.employee_id));
            if s.role == "manager" {
                out.push_str(&format!(": PIN {}", s.pin));
            }
            out.push_str(&format!("\n    badge: {}\n", s.badge));
            for line in &s.manifest {
                let barcode = line.barcode.as_deref().unwrap_or("no barcode");
                out.push_str(&format!("    refused at the door: {} — {barcode}\n", line.name));
            }
        }
        out.push_str("\nShipments (scan the label's code to start receiving; storage 7 days, cells A-01..A-12):\n");
        for s in &self.shipments {
            let state = if s.received { "received" } else { "expected" };
            out.push_str(&format!("  {} at {}: label code {} ({state})\n", s.shipment_id, s.pickup_point_id, s.code));
            for item in &s.items {
                let barcode = item.barcode.as_deref().unwrap_or("no barcode");
                out.push_str(&format!("    {} / {}: {} — {barcode}\n", item.order_id, item.item_id, item.name));
            }
        }
        out
    }
}
