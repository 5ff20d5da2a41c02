//! `orders`, `order_items`, `buyers`, `sellers`: the server's view of what waits at each point.
//! Buyers' full names and sellers stay here; kiosks get a masked name and no seller at all.

use crate::db::sql::{params, Connection, OptionalExtension};
use crate::error::{Result, ServerError};
use crate::rules::claims::ClaimCandidate;
use crate::rules::facts::{ItemFacts, OrderFacts};
use pvz_domain::{ItemId, Kopecks, OrderId, OrderStatus, PickupPointId, ShortCode};
use pvz_protocol::{ItemWire, OrderWire};

/// An order's state is a fact the rules own (they judge it); it is stored here as [`OrderState::as_str`].
pub use crate::rules::facts::OrderState;

/// An order to create, as an admin or the demo seed describes it.
#[derive(Debug, Clone)]
pub struct NewOrder {
    pub id: OrderId,
    pub short_code: ShortCode,
    pub buyer_id: String,
    pub buyer_name: String,
    pub items: Vec<NewItem>,
}

#[derive(Debug, Clone)]
pub struct NewItem {
    pub id: ItemId,
    pub seller_id: String,
    pub seller_name: String,
    pub name: String,
    pub variant: String,
    pub cell: String,
    pub price: Kopecks,
    pub prepaid: bool,
    pub category: String,
    pub barcode: Option<String>,
    pub mark: Option<String>,
}

/// One item with its order's context: what claims, manifests and hand-backs need to know.
#[derive(Debug, Clone)]
pub struct ItemRow {
    pub item: NewItem,
    pub order_id: OrderId,
    pub pickup_point_id: PickupPointId,
    pub buyer_id: String,
    pub order_state: OrderState,
    /// Set when the buyer refused the item (at the counter, or at the door for a courier delivery).
    pub refusal_reason: Option<String>,
}

impl ItemRow {
    /// What the claim rules judge of this item before a claim is opened on it.
    pub fn claim_candidate(&self) -> ClaimCandidate<'_> {
        ClaimCandidate {
            item_id: &self.item.id,
            order_id: &self.order_id,
            order_state: self.order_state,
            refusal_reason: self.refusal_reason.as_deref(),
        }
    }
}

/// Fresh ids for an order the server creates itself (a replacement, a missing part, a generated
/// load-test order): `ord-<uuid>`, a random six-digit short code, and a stem for item ids. An order
/// that goes to a point's shelf takes its short code from [`new_order_ids_at`] instead.
pub fn new_order_ids() -> Result<(OrderId, ShortCode, String)> {
    let uid = uuid::Uuid::now_v7().simple().to_string();
    let id = OrderId::parse(&format!("ord-{uid}"))
        .map_err(|_| ServerError::Internal("generated order id is invalid".to_owned()))?;
    Ok((id, random_short_code()?, uid))
}

/// How many short codes are drawn before giving up on a free one at a point: with a million codes,
/// even a point holding half of them waiting fails 32 draws once in four billion.
const SHORT_CODE_DRAWS: usize = 32;

/// [`new_order_ids`] for an order to wait at `point`, with a short code no waiting order there holds
/// (a kiosk finds an order by its short code, so one code names one order at a point). Issued and
/// cancelled orders free their codes.
pub fn new_order_ids_at(conn: &Connection, point: &PickupPointId) -> Result<(OrderId, ShortCode, String)> {
    let (id, _, uid) = new_order_ids()?;
    Ok((id, free_short_code(conn, point, random_short_code)?, uid))
}

fn random_short_code() -> Result<ShortCode> {
    let random = crate::keys::random_bytes::<4>()?;
    ShortCode::parse(&format!("{:06}", u32::from_le_bytes(random) % 1_000_000))
        .ok_or_else(|| ServerError::Internal("generated short code is invalid".to_owned()))
}

/// Draws codes until one is not held by a ready order of `point`, at most [`SHORT_CODE_DRAWS`] times.
fn free_short_code(
    conn: &Connection,
    point: &PickupPointId,
    mut draw: impl FnMut() -> Result<ShortCode>,
) -> Result<ShortCode> {
    let mut taken = conn.prepare_cached(
        "SELECT 1 FROM orders WHERE pickup_point_id = ?1 AND short_code = ?2 AND status = 'ready' LIMIT 1",
    )?;
    for _ in 0..SHORT_CODE_DRAWS {
        let code = draw()?;
        if !taken.exists(params![point.as_str(), code.as_str()])? {
            return Ok(code);
        }
    }
    Err(ServerError::Internal(format!(
        "no free short code at pickup point {point} in {SHORT_CODE_DRAWS} draws: its waiting orders hold nearly all \
         of them"
    )))
}

/// "Анна Кузнецова" -> "Анна К.": the kiosk never sees a full name.
pub fn mask_name(full: &str) -> String {
    let mut words = full.split_whitespace();
    match (words.next(), words.next()) {
        (Some(first), Some(last)) => {
            format!("{first} {}.", last.chars().next().map(String::from).unwrap_or_default())
        }
        (Some(first), None) => first.to_owned(),
        _ => String::new(),
    }
}

/// Inserts the order (state ready, on the shelf since `now`) stamped with feed `version`; buyers and
/// sellers are upserted.
pub fn insert_order(conn: &Connection, point: &PickupPointId, order: &NewOrder, version: i64, now: &str) -> Result<()> {
    insert_order_arrived(conn, point, order, version, now, Some(now))
}

/// Inserts an order that has not reached the point yet (it comes in a shipment): no arrival time
/// until receiving places it, and no cell (`""`) for its items.
pub fn insert_expected_order(
    conn: &Connection,
    point: &PickupPointId,
    order: &NewOrder,
    version: i64,
    now: &str,
) -> Result<()> {
    insert_order_arrived(conn, point, order, version, now, None)
}

fn insert_order_arrived(
    conn: &Connection,
    point: &PickupPointId,
    order: &NewOrder,
    version: i64,
    now: &str,
    arrived_at: Option<&str>,
) -> Result<()> {
    conn.prepare_cached("INSERT INTO buyers (id, full_name) VALUES (?1, ?2) ON CONFLICT (id) DO NOTHING")?
        .execute(params![order.buyer_id, order.buyer_name])?;
    conn.prepare_cached(
        "INSERT INTO orders (id, pickup_point_id, short_code, buyer_id, status, issued_at, version, created_at,
                             arrived_at, paid_at)
         VALUES (?1, ?2, ?3, ?4, 'ready', NULL, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        order.id.as_str(),
        point.as_str(),
        order.short_code.as_str(),
        order.buyer_id,
        version,
        now,
        arrived_at,
        // A prepaid order reaches the network paid; `Admin::set_order_paid_at` records an earlier time.
        order.items.iter().any(|i| i.prepaid).then_some(now)
    ])?;
    let mut seller =
        conn.prepare_cached("INSERT INTO sellers (id, name) VALUES (?1, ?2) ON CONFLICT (id) DO NOTHING")?;
    let mut item = conn.prepare_cached(
        "INSERT INTO order_items
           (id, order_id, position, seller_id, name, variant, cell, price, prepaid, category, barcode, mark)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    for (position, it) in order.items.iter().enumerate() {
        seller.execute(params![it.seller_id, it.seller_name])?;
        item.execute(params![
            it.id.as_str(),
            order.id.as_str(),
            position as i64,
            it.seller_id,
            it.name,
            it.variant,
            it.cell,
            it.price.0,
            i64::from(it.prepaid),
            it.category,
            it.barcode,
            it.mark,
        ])?;
    }
    Ok(())
}

/// Inserts a ready order at a fresh feed version of `point`, so its kiosks pull it.
pub fn add_order(conn: &Connection, point: &PickupPointId, order: &NewOrder, now: &str) -> Result<()> {
    let version = crate::db::points::bump_version(conn, point, 1)?;
    insert_order(conn, point, order, version, now)
}

/// Inserts a doorstep delivery a courier of `point` took out: issued to the courier, never in the
/// point's feed (the counter does not issue it), every item refused at the door until a hand-back
/// records the real reason.
pub fn insert_courier_order(conn: &Connection, point: &PickupPointId, order: &NewOrder, now: &str) -> Result<()> {
    insert_order(conn, point, order, 0, now)?;
    conn.execute(
        "UPDATE orders SET delivery = 'courier', status = 'issued', issued_at = ?2 WHERE id = ?1",
        params![order.id.as_str(), now],
    )?;
    conn.execute("UPDATE order_items SET refusal_reason = 'at_door' WHERE order_id = ?1", [order.id.as_str()])?;
    Ok(())
}

/// Records why the buyer refused an item (an issue at the counter, a courier's hand-back), or
/// [`NOT_ARRIVED`](crate::rules::facts::NOT_ARRIVED).
pub fn set_item_refused(conn: &Connection, item: &ItemId, reason: &str) -> Result<()> {
    conn.prepare_cached("UPDATE order_items SET refusal_reason = ?2 WHERE id = ?1")?
        .execute(params![item.as_str(), reason])?;
    Ok(())
}

/// Records the marking code of the unit handed over (`None`: no mark, or not handed over).
pub fn set_item_handed_over_mark(conn: &Connection, item: &ItemId, mark: Option<&str>) -> Result<()> {
    conn.prepare_cached("UPDATE order_items SET handed_over_mark = ?2 WHERE id = ?1")?
        .execute(params![item.as_str(), mark])?;
    Ok(())
}

/// The marking code of the unit of this item a counter handed over, if it was scanned.
pub fn get_item_handed_over_mark(conn: &Connection, item: &ItemId) -> Result<Option<String>> {
    let mark = conn
        .prepare_cached("SELECT handed_over_mark FROM order_items WHERE id = ?1")?
        .query_row([item.as_str()], |r| r.get::<Option<String>>(0))
        .optional()?;
    Ok(mark.flatten())
}

/// The item with its order's context; `None` when the server has no such item.
pub fn get_item(conn: &Connection, id: &ItemId) -> Result<Option<ItemRow>> {
    let row = conn
        .prepare_cached(
            "SELECT i.seller_id, s.name, i.name, i.variant, i.cell, i.price, i.prepaid, i.category, i.barcode,
                    i.mark, i.order_id, o.pickup_point_id, o.buyer_id, o.status, i.refusal_reason
             FROM order_items i JOIN orders o ON o.id = i.order_id JOIN sellers s ON s.id = i.seller_id
             WHERE i.id = ?1",
        )?
        .query_row([id.as_str()], |r| {
            Ok(ItemRow {
                item: NewItem {
                    id: id.clone(),
                    seller_id: r.get(0)?,
                    seller_name: r.get(1)?,
                    name: r.get(2)?,
                    variant: r.get(3)?,
                    cell: r.get(4)?,
                    price: Kopecks(r.get(5)?),
                    prepaid: r.get::<i64>(6)? != 0,
                    category: r.get(7)?,
                    barcode: r.get(8)?,
                    mark: r.get(9)?,
                },
                order_id: parse(&r.get::<String>(10)?, |s| OrderId::parse(s).ok(), "order id")?,
                pickup_point_id: parse(&r.get::<String>(11)?, |s| PickupPointId::parse(s).ok(), "pickup point")?,
                buyer_id: r.get(12)?,
                order_state: parse(&r.get::<String>(13)?, OrderState::parse, "order status")?,
                refusal_reason: r.get(14)?,
            })
        })
        .optional()?;
    Ok(row)
}

/// The pickup point an order belongs to, if the order exists at all.
pub fn order_point(conn: &Connection, id: &OrderId) -> Result<Option<String>> {
    let point = conn
        .prepare_cached("SELECT pickup_point_id FROM orders WHERE id = ?1")?
        .query_row([id.as_str()], |r| r.get(0))
        .optional()?;
    Ok(point)
}

pub fn get_order_facts(conn: &Connection, id: &OrderId) -> Result<Option<OrderFacts>> {
    let head = conn
        .prepare_cached("SELECT pickup_point_id, buyer_id, status FROM orders WHERE id = ?1")?
        .query_row([id.as_str()], |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?, r.get::<String>(2)?)))
        .optional()?;
    let Some((pickup_point_id, buyer_id, status)) = head else { return Ok(None) };
    let state = OrderState::parse(&status).ok_or_else(|| ServerError::Internal(format!("order status {status:?}")))?;
    let mut stmt = conn.prepare_cached(
        "SELECT id, seller_id, price, prepaid, category FROM order_items WHERE order_id = ?1 ORDER BY position",
    )?;
    let items = stmt
        .query_map([id.as_str()], |r| {
            Ok(ItemFacts {
                id: r.get(0)?,
                seller_id: r.get(1)?,
                price: Kopecks(r.get(2)?),
                prepaid: r.get::<i64>(3)? != 0,
                category: r.get(4)?,
            })
        })?
        .collect::<crate::db::sql::SqlResult<Vec<_>>>()?;
    Ok(Some(OrderFacts { id: id.clone(), pickup_point_id, buyer_id, state, items }))
}

/// Moves the order from `from` to `to`, stamped with a fresh feed version so kiosks pull the change.
///
/// The caller judged the move on the order in state `from`; the update names that state, so it lands
/// only if the order is still in it. Under PostgreSQL's READ COMMITTED two instances may both read an
/// order ready and both issue it (posting its sale twice) or issue and cancel it: the second update
/// then changes no row and this answers [`ServerError::Conflict`], saying the state it found.
pub fn set_order_state(
    conn: &Connection,
    point: &PickupPointId,
    id: &OrderId,
    from: OrderState,
    to: OrderState,
    issued_at: Option<&str>,
) -> Result<()> {
    let version = crate::db::points::bump_version(conn, point, 1)?;
    let changed = conn
        .prepare_cached(
            "UPDATE orders SET status = ?2, issued_at = ?3, version = ?4
             WHERE id = ?1 AND pickup_point_id = ?5 AND status = ?6",
        )?
        .execute(params![id.as_str(), to.as_str(), issued_at, version, point.as_str(), from.as_str()])?;
    if changed == 0 {
        return Err(state_moved(conn, point, id, from)?);
    }
    Ok(())
}

/// Why a guarded update of an order changed nothing: it is not at `point`, or not `expected` any more.
pub(crate) fn state_moved(
    conn: &Connection,
    point: &PickupPointId,
    id: &OrderId,
    expected: OrderState,
) -> Result<ServerError> {
    let status: Option<String> = conn
        .prepare_cached("SELECT status FROM orders WHERE id = ?1 AND pickup_point_id = ?2")?
        .query_row(params![id.as_str(), point.as_str()], |r| r.get(0))
        .optional()?;
    Ok(match status {
        None => ServerError::NotFound(format!("order {id} does not exist at pickup point {point}")),
        Some(now) => ServerError::Conflict(format!("order {id} is {now}, no longer {}", expected.as_str())),
    })
}

fn parse<T>(raw: &str, parse: impl Fn(&str) -> Option<T>, what: &str) -> crate::db::sql::SqlResult<T> {
    parse(raw).ok_or_else(|| crate::db::sql::SqlError::bad_column(0, format!("{what} {raw:?}")))
}

/// The order as a kiosk sees it; `None` for a cancelled order, which the feed sends as a tombstone.
pub fn get_order_wire(conn: &Connection, id: &str) -> Result<Option<OrderWire>> {
    let head = conn
        .prepare_cached(
            "SELECT o.pickup_point_id, o.short_code, b.full_name, o.status, o.issued_at, o.arrived_at
             FROM orders o JOIN buyers b ON b.id = o.buyer_id WHERE o.id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                r.get::<String>(0)?,
                r.get::<String>(1)?,
                r.get::<String>(2)?,
                r.get::<String>(3)?,
                r.get::<Option<String>>(4)?,
                r.get::<Option<String>>(5)?,
            ))
        })
        .optional()?;
    let Some((point, short_code, buyer, status, issued_at, arrived_at)) = head else { return Ok(None) };
    let status = match OrderState::parse(&status) {
        Some(OrderState::Ready) => OrderStatus::Ready,
        Some(OrderState::Issued) => OrderStatus::Issued,
        Some(OrderState::Cancelled) | None => return Ok(None),
    };
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, variant, cell, price, prepaid, category, barcode, mark
         FROM order_items WHERE order_id = ?1 ORDER BY position",
    )?;
    let items = stmt
        .query_map([id], |r| {
            Ok(ItemWire {
                item_id: parse(&r.get::<String>(0)?, |s| ItemId::parse(s).ok(), "item id")?,
                name: r.get(1)?,
                variant: r.get(2)?,
                cell: r.get(3)?,
                price: Kopecks(r.get(4)?),
                prepaid: r.get::<i64>(5)? != 0,
                category: r.get(6)?,
                barcode: r.get(7)?,
                mark: r.get(8)?,
            })
        })?
        .collect::<crate::db::sql::SqlResult<Vec<_>>>()?;
    let bad = |what: &str| ServerError::Internal(format!("stored {what} of order {id} is invalid"));
    Ok(Some(OrderWire {
        order_id: OrderId::parse(id).map_err(|_| bad("id"))?,
        pickup_point_id: PickupPointId::parse(&point).map_err(|_| bad("pickup point"))?,
        short_code: ShortCode::parse(&short_code).ok_or_else(|| bad("short code"))?,
        buyer: mask_name(&buyer),
        status,
        issued_at,
        arrived_at,
        items,
    }))
}

/// When `order` was issued at the counter as its row records it (RFC 3339); `None` while it is not.
pub fn issued_at(conn: &Connection, order: &OrderId) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT issued_at FROM orders WHERE id = ?1")?
        .query_row([order.as_str()], |r| r.get::<Option<String>>(0))
        .optional()?
        .flatten())
}

/// When the buyer paid for an item of `order` (RFC 3339): a prepaid item when the order was paid
/// (its `paid_at`, or its creation for orders from before payment times were kept), any other when
/// the order was issued at the counter. `None`: not paid yet (an unissued order's counter item).
pub fn payment_time(conn: &Connection, order: &OrderId, prepaid: bool) -> Result<Option<String>> {
    let row: Option<(Option<String>, String, Option<String>)> = conn
        .prepare_cached("SELECT paid_at, created_at, issued_at FROM orders WHERE id = ?1")?
        .query_row([order.as_str()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let Some((paid_at, created_at, issued_at)) = row else { return Ok(None) };
    Ok(if prepaid { Some(paid_at.unwrap_or(created_at)) } else { issued_at })
}

/// Records when a prepaid order was paid (the demo's and `add-orders --paid-at`'s older payments).
pub fn set_paid_at(conn: &Connection, order: &OrderId, at: &str) -> Result<()> {
    let changed = conn.execute("UPDATE orders SET paid_at = ?2 WHERE id = ?1", params![order.as_str(), at])?;
    if changed == 0 {
        return Err(ServerError::NotFound(format!("order {order} does not exist")));
    }
    Ok(())
}

/// Locks the item's row until the transaction ends (a no-op update, which both SQLite and
/// PostgreSQL hold to the commit).
pub fn lock_item(conn: &Connection, id: &ItemId) -> Result<()> {
    conn.prepare_cached("UPDATE order_items SET id = id WHERE id = ?1")?.execute([id.as_str()])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admin::Admin;
    use pvz_domain::FeePolicy;

    fn code(raw: &str) -> ShortCode {
        ShortCode::parse(raw).expect("short code")
    }

    /// An order `id` at `point` holding short code `short`.
    fn add(admin: &Admin, point: &str, id: &str, short: &str) {
        let item = NewItem {
            id: ItemId::parse(&format!("{id}-1")).expect("item id"),
            seller_id: "s-1".into(),
            seller_name: "Продавец".into(),
            name: "Товар".into(),
            variant: "M".into(),
            cell: "A-1".into(),
            price: Kopecks(100_000),
            prepaid: true,
            category: "clothes".into(),
            barcode: None,
            mark: None,
        };
        let order = NewOrder {
            id: OrderId::parse(id).expect("order id"),
            short_code: code(short),
            buyer_id: "b-1".into(),
            buyer_name: "Анна Кузнецова".into(),
            items: vec![item],
        };
        admin.add_order(point, &order).expect("add order");
    }

    #[test]
    fn a_generated_short_code_is_free_among_the_points_waiting_orders() {
        let dir = tempfile::tempdir().expect("temp dir");
        let admin = Admin::open(dir.path()).expect("admin");
        for point in ["pp-a", "pp-b"] {
            admin.add_pickup_point(point, point, &FeePolicy::default()).expect("point");
        }
        add(&admin, "pp-a", "waiting", "111111");
        add(&admin, "pp-a", "issued", "222222");
        admin.mark_order_issued("issued").expect("issued");
        add(&admin, "pp-a", "cancelled", "333333");
        admin.cancel_order("cancelled").expect("cancelled");
        add(&admin, "pp-b", "elsewhere", "444444");
        let conn = crate::db::open(&dir.path().join(crate::db::DB_FILE)).expect("connection");
        let point = PickupPointId::parse("pp-a").expect("point");
        let draws = |codes: &[&str]| {
            let mut codes: Vec<ShortCode> = codes.iter().rev().map(|c| code(c)).collect();
            move || codes.pop().ok_or_else(|| ServerError::Internal("out of codes".into()))
        };

        let got = free_short_code(&conn, &point, draws(&["111111", "555555"])).expect("a free code");
        assert_eq!(got, code("555555"), "a code a waiting order of the point holds is drawn again");
        for free in ["222222", "333333", "444444"] {
            let got = free_short_code(&conn, &point, draws(&[free])).expect("a free code");
            assert_eq!(got, code(free), "{free}: an issued or cancelled order, or another point's, frees its code");
        }
        let mut drawn = 0;
        let always_taken = || {
            drawn += 1;
            Ok(code("111111"))
        };
        let err = free_short_code(&conn, &point, always_taken).expect_err("no free code is found");
        assert!(matches!(&err, ServerError::Internal(m) if m.contains("no free short code")), "a clear error: {err:?}");
        assert_eq!(drawn, SHORT_CODE_DRAWS, "the draws are bounded");
    }

    #[test]
    fn names_are_masked_to_first_name_and_initial() {
        assert_eq!(mask_name("Анна Кузнецова"), "Анна К.", "surname reduced to its initial");
        assert_eq!(mask_name("  Олег   Давыдов  Иванович"), "Олег Д.", "extra words and spaces dropped");
        assert_eq!(mask_name("Cher"), "Cher", "a single name stays");
        assert_eq!(mask_name(""), "", "empty stays empty");
    }
}
