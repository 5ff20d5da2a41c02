//! Admin actions on a data dir, for the CLI and for tests: pickup points, enrollment codes, orders,
//! revocation, feed resets and ledger checks; employees and their PINs in [`staff`]; claims and
//! seller credentials in [`claims`]; couriers' manifests and custody of returned units in
//! [`returns`]; storage policy, cells and inbound shipments in [`shelf`]; the ops and shifts a point's
//! kiosks recorded in [`audit`]. Synchronous on purpose: it opens its
//! own connection to the same SQLite file (WAL lets it run beside a live server), and a test calls it
//! directly without an async runtime. Do not call it from inside an async task without
//! `spawn_blocking`.

mod audit;
mod claims;
mod conversation;
mod evidence;
mod returns;
mod shelf;
mod staff;

pub use evidence::CounterPhoto;
pub use returns::CustodyUnit;
pub use shelf::{parse_cells, ShipmentAdded};
pub use staff::IssuedBadge;

use crate::claims::{ClaimCodeIssuer, DEFAULT_CLAIM_CODE_TTL};
use crate::db::ledger::{self, LedgerReport};
use crate::db::orders::{self, NewItem, NewOrder, OrderState};
use crate::db::{self, devices, ops, points, Connection, Database};
use crate::error::{Result, ServerError};
use crate::rules::Posting;
use ed25519_dalek::SigningKey;
use pvz_domain::{DeviceId, FeePolicy, ItemId, Kopecks, OrderId, PickupPointId};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

pub use crate::credentials::{normalize_enrollment_code, SellerCredential};

/// Employee roles (issue 5 gives them different rights): the protocol's, as kiosks see them.
pub use pvz_protocol::EmployeeRole as Role;

/// How many ops a device has pushed and what became of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpCounts {
    pub applied: u64,
    pub rejected: u64,
    pub last_seq: i64,
}

pub struct Admin {
    conn: Connection,
    data_dir: PathBuf,
    /// Attachments' bytes: `<data_dir>/blobs` unless [`Admin::with_blob_store`] names the
    /// configured store.
    blobs: crate::blobs::BlobStore,
    /// Holds the server's signing key, which signs pickup tokens and claim return codes.
    claim_codes: ClaimCodeIssuer,
}

/// A fee policy's fees must be amounts the server accepts (see [`crate::rules::MAX_AMOUNT`]), and its
/// categories must have names: a blank one would reach every kiosk of the point and stop its pull.
fn check_policy(policy: &FeePolicy) -> Result<()> {
    if policy.per_category.keys().any(|c| c.trim().is_empty()) {
        return Err(ServerError::BadRequest("a category fee needs a category name, e.g. shoes=19900".into()));
    }
    let fees = std::iter::once(("default", &policy.default_fee))
        .chain(policy.per_category.iter().map(|(c, f)| (c.as_str(), f)));
    for (category, fee) in fees {
        if !crate::rules::amount_in_range(*fee) {
            return Err(ServerError::BadRequest(format!(
                "the {category} fee {fee} is negative or above {}",
                crate::rules::MAX_AMOUNT
            )));
        }
    }
    Ok(())
}

/// Every item's price must be an amount the server accepts (see [`crate::rules::MAX_AMOUNT`]).
fn check_prices(orders: &[NewOrder]) -> Result<()> {
    let items = orders.iter().flat_map(|o| &o.items);
    if let Some(item) = items.into_iter().find(|i| !crate::rules::amount_in_range(i.price)) {
        return Err(ServerError::BadRequest(format!(
            "item {} has a price of {}, negative or above {}",
            item.id,
            item.price,
            crate::rules::MAX_AMOUNT
        )));
    }
    Ok(())
}

fn parse_id<T>(parse: fn(&str) -> std::result::Result<T, pvz_domain::ids::IdError>, raw: &str) -> Result<T> {
    parse(raw).map_err(|e| ServerError::BadRequest(e.to_string()))
}

impl Admin {
    /// Opens (creating if needed) the data dir and its database, with the network's signing key.
    pub fn open(data_dir: impl AsRef<Path>) -> Result<Admin> {
        let database = Database::Sqlite(data_dir.as_ref().join(db::DB_FILE));
        Admin::open_database(data_dir, &database)
    }

    /// [`Admin::open`] on `database` (migrated first), with the data dir for the signing key.
    pub fn open_database(data_dir: impl AsRef<Path>, database: &Database) -> Result<Admin> {
        let data_dir = data_dir.as_ref().to_owned();
        std::fs::create_dir_all(&data_dir)
            .map_err(|e| ServerError::Setup(format!("cannot create data dir {}: {e}", data_dir.display())))?;
        let conn = database.connect_and_migrate()?;
        let key = Arc::new(crate::signing::load_or_create(&conn, &data_dir)?);
        let blobs = crate::blobs::BlobStore::open(None, &data_dir)?;
        Ok(Admin { conn, data_dir, blobs, claim_codes: ClaimCodeIssuer { key, ttl: DEFAULT_CLAIM_CODE_TTL } })
    }

    /// The blob store the servers use (the config's `blob_store_url`), instead of the data dir's.
    pub fn with_blob_store(mut self, blobs: crate::blobs::BlobStore) -> Admin {
        self.blobs = blobs;
        self
    }

    /// How long the claim return codes this admin issues stay valid (default 14 days).
    pub fn with_claim_code_ttl(mut self, ttl: Duration) -> Admin {
        self.claim_codes.ttl = ttl;
        self
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The key pickup tokens and claim return codes are signed with: the network's active key when
    /// this admin was opened.
    pub fn signing_key(&self) -> &SigningKey {
        &self.claim_codes.key
    }

    pub fn add_pickup_point(&self, id: &str, name: &str, policy: &FeePolicy) -> Result<()> {
        let id = parse_id(PickupPointId::parse, id)?;
        if name.trim().is_empty() {
            return Err(ServerError::BadRequest("a pickup point needs a name".into()));
        }
        check_policy(policy)?;
        points::insert_point(&self.conn, &id, name.trim(), policy, &db::now_text())
    }

    pub fn pickup_point_exists(&self, id: &str) -> Result<bool> {
        Ok(points::get_point(&self.conn, &parse_id(PickupPointId::parse, id)?)?.is_some())
    }

    pub fn set_fee_policy(&self, point: &str, policy: &FeePolicy) -> Result<()> {
        let point = parse_id(PickupPointId::parse, point)?;
        check_policy(policy)?;
        let tx = self.conn.transaction()?;
        points::require_point(&tx, &point)?;
        points::set_fee_policy(&tx, &point, policy, &db::now_text())?;
        Ok(tx.commit()?)
    }

    /// A fresh one-time code for enrolling a kiosk at `point`, valid for `ttl`. Only its hash is kept,
    /// so it is shown once. It carries the fingerprint of the network's active key, which the kiosk
    /// must find at the server it enrolls with (see `pvz_protocol::enrollment_code`).
    pub fn issue_enrollment_code(&self, point: &str, ttl: Duration) -> Result<String> {
        let point = parse_id(PickupPointId::parse, point)?;
        points::require_point(&self.conn, &point)?;
        let key = pvz_protocol::PublicKey::parse(&crate::signing::active_public_key(&self.conn)?)
            .map_err(|e| ServerError::Internal(format!("the active key: {e}")))?;
        let code = pvz_protocol::EnrollmentCode::issue(&crate::keys::random_bytes()?, &key);
        let ttl = i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX);
        let expires_at = db::now_unix().saturating_add(ttl);
        let hash = db::sha256_hex(normalize_enrollment_code(&code).as_bytes());
        devices::insert_enrollment_code(&self.conn, &point, &hash, expires_at, &db::now_text())?;
        Ok(code)
    }

    /// Adds one order (state ready) at `point`; kiosks see it on their next pull.
    pub fn add_order(&self, point: &str, order: &NewOrder) -> Result<()> {
        self.add_orders(point, std::slice::from_ref(order))
    }

    /// Adds orders in one transaction, each with its own feed version.
    pub fn add_orders(&self, point: &str, new: &[NewOrder]) -> Result<()> {
        let point = parse_id(PickupPointId::parse, point)?;
        check_prices(new)?;
        let tx = self.conn.transaction()?;
        points::require_point(&tx, &point)?;
        let first = points::bump_version(&tx, &point, new.len() as i64)?;
        let now = db::now_text();
        for (i, order) in new.iter().enumerate() {
            orders::insert_order(&tx, &point, order, first + i as i64, &now)?;
        }
        Ok(tx.commit()?)
    }

    /// `n` generated pay-at-counter orders of two items each (clothes 1 000 ₽ + shoes 2 500 ₽), for
    /// load tests. Returns their ids.
    pub fn add_demo_orders(&self, point: &str, n: usize) -> Result<Vec<OrderId>> {
        let batch: Vec<NewOrder> = (0..n).map(|_| generated_order(false)).collect::<Result<_>>()?;
        self.add_orders(point, &batch)?;
        Ok(batch.into_iter().map(|o| o.id).collect())
    }

    /// `n` generated orders paid online at `paid_at` (RFC 3339): their items are prepaid.
    pub fn add_paid_demo_orders(&self, point: &str, n: usize, paid_at: &str) -> Result<Vec<OrderId>> {
        let batch: Vec<NewOrder> = (0..n).map(|_| generated_order(true)).collect::<Result<_>>()?;
        self.add_orders(point, &batch)?;
        for order in &batch {
            self.set_order_paid_at(order.id.as_str(), paid_at)?;
        }
        Ok(batch.into_iter().map(|o| o.id).collect())
    }

    /// Records when a prepaid order was paid (RFC 3339); a claim's 14-day line counts from it. New
    /// orders with prepaid items count as paid when they were added.
    pub fn set_order_paid_at(&self, order: &str, at: &str) -> Result<()> {
        let order = parse_id(OrderId::parse, order)?;
        let at = chrono::DateTime::parse_from_rfc3339(at)
            .map_err(|e| ServerError::BadRequest(format!("paid at {at:?} is not an RFC 3339 time: {e}")))?;
        let at = at.with_timezone(&chrono::Utc).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        orders::set_paid_at(&self.conn, &order, &at)
    }

    /// Cancels an order still waiting at its point: kiosks get a `CancelOrder` change on their next
    /// pull (the state change bumps the point's feed version), and a later issue of it is rejected.
    ///
    /// An issued order is refused ([`ServerError::Conflict`]), not reversed: its money was taken at
    /// the counter and its sale posted, and undoing that is a return (a claim, a courier's
    /// hand-back), which has its own flows and ledger postings; a cancellation here posts nothing. An
    /// order cancelled before is refused too, so a repeated command says so instead of passing in
    /// silence. The update is guarded by the ready state it found, so a counter issuing the order at
    /// the same moment makes this fail rather than cancel a sold order.
    pub fn cancel_order(&self, order: &str) -> Result<()> {
        self.set_order_state(order, OrderState::Cancelled, None)
    }

    /// Marks an order issued as if another counter had done it (a later kiosk op on it is rejected);
    /// only an order still waiting, like a counter's issue.
    pub fn mark_order_issued(&self, order: &str) -> Result<()> {
        self.set_order_state(order, OrderState::Issued, Some(&db::now_text()))
    }

    /// Moves a ready order to `to`; any other state is refused with what it is.
    fn set_order_state(&self, order: &str, to: OrderState, issued_at: Option<&str>) -> Result<()> {
        let order = parse_id(OrderId::parse, order)?;
        let tx = self.conn.transaction()?;
        let facts = orders::get_order_facts(&tx, &order)?
            .ok_or_else(|| ServerError::NotFound(format!("order {order} does not exist")))?;
        let point = parse_id(PickupPointId::parse, &facts.pickup_point_id)?;
        let refused = match (facts.state, to) {
            (OrderState::Ready, _) => None,
            (OrderState::Issued, OrderState::Cancelled) => Some(format!(
                "order {order} was issued to the buyer and cannot be cancelled: its money was taken at the counter; \
                 a return goes through a claim or a courier's hand-back"
            )),
            (OrderState::Issued, _) => Some(format!("order {order} was issued already")),
            (OrderState::Cancelled, _) => Some(format!("order {order} was cancelled already")),
        };
        if let Some(refused) = refused {
            return Err(ServerError::Conflict(refused));
        }
        orders::set_order_state(&tx, &point, &order, OrderState::Ready, to, issued_at)?;
        Ok(tx.commit()?)
    }

    /// The fleet: every device, or one point's (an unknown point is an error, not an empty list).
    pub fn devices(&self, point: Option<&str>) -> Result<Vec<devices::DeviceSummary>> {
        let point = point.map(|p| parse_id(PickupPointId::parse, p)).transpose()?;
        if let Some(point) = &point {
            points::require_point(&self.conn, point)?;
        }
        devices::list_devices(&self.conn, point.as_ref())
    }

    /// Revokes a device: its next call is a 401.
    pub fn revoke_device(&self, device: &str) -> Result<()> {
        let device = parse_id(DeviceId::parse, device)?;
        if !devices::revoke_device(&self.conn, &device, &db::now_text())? {
            return Err(ServerError::NotFound(format!("device {device} does not exist")));
        }
        Ok(())
    }

    /// Lets the next enrollment with a code of the device's point continue it without its old secret
    /// (`pvz-server reset-device-secret`): for a kiosk that lost its credential and the proof of it.
    pub fn reset_device_secret(&self, device: &str) -> Result<()> {
        let device = parse_id(DeviceId::parse, device)?;
        if !devices::reset_device_secret(&self.conn, &device, &db::now_text())? {
            return Err(ServerError::NotFound(format!("device {device} does not exist")));
        }
        Ok(())
    }

    /// The device's enrollments, oldest first: each new credential it was given, and whether a kiosk
    /// continued it (with the revocation that cleared, if any).
    pub fn device_enrollments(&self, device: &str) -> Result<Vec<devices::DeviceEnrollment>> {
        devices::list_device_enrollments(&self.conn, &parse_id(DeviceId::parse, device)?)
    }

    /// Starts a new feed epoch for the point: every kiosk's next pull is a reset. Returns the epoch.
    pub fn reset_feed(&self, point: &str) -> Result<i64> {
        points::bump_epoch(&self.conn, &parse_id(PickupPointId::parse, point)?)
    }

    /// Creates the network's next signing key, endorsed by the active one, and sends the key chain
    /// to every point's kiosks (see `crate::signing`).
    pub fn rotate_key(&self) -> Result<crate::signing::Rotation> {
        crate::signing::rotate(&self.conn)
    }

    /// Makes the next key the one that signs; `None` when no rotation waits. Returns its public half.
    pub fn activate_next_key(&self) -> Result<Option<String>> {
        crate::signing::activate_next(&self.conn)
    }

    pub fn ledger_check(&self) -> Result<LedgerReport> {
        ledger::check_ledger(&self.conn)
    }

    /// The postings of an op's ledger transaction; empty when it moved no money.
    pub fn ledger_for_op(&self, op_id: &str) -> Result<Vec<Posting>> {
        ledger::list_postings_for_op(&self.conn, op_id)
    }

    pub fn account_balance(&self, account: &str) -> Result<Kopecks> {
        ledger::account_balance(&self.conn, account)
    }

    /// Честный ЗНАК: the whole marking code of the unit of this item a counter handed over, as its
    /// item decision op carried it; `None` if it was not handed over or its mark was not scanned.
    pub fn handed_over_mark(&self, item: &str) -> Result<Option<String>> {
        let item = parse_id(ItemId::parse, item)?;
        orders::get_item_handed_over_mark(&self.conn, &item)
    }

    pub fn op_counts(&self, device: &str) -> Result<OpCounts> {
        let device = parse_id(DeviceId::parse, device)?;
        let (applied, rejected) = ops::count_ops(&self.conn, &device)?;
        Ok(OpCounts { applied, rejected, last_seq: devices::get_last_seq(&self.conn, &device)? })
    }
}

fn generated_order(prepaid: bool) -> Result<NewOrder> {
    let (id, short_code, uid) = orders::new_order_ids()?;
    let bad = |e: pvz_domain::ids::IdError| ServerError::Internal(e.to_string());
    let item = |n: u32, name: &str, category: &str, price: i64| -> Result<NewItem> {
        Ok(NewItem {
            id: ItemId::parse(&format!("itm-{uid}-{n}")).map_err(bad)?,
            seller_id: format!("seller-load-{n}"),
            seller_name: format!("Нагрузочный продавец {n}"),
            name: name.to_owned(),
            variant: "M".to_owned(),
            cell: format!("L-{}", &uid[uid.len() - 3..]),
            price: Kopecks(price),
            prepaid,
            category: category.to_owned(),
            barcode: None,
            mark: None,
        })
    };
    Ok(NewOrder {
        id,
        short_code,
        buyer_id: format!("buyer-load-{}", &uid[uid.len() - 6..]),
        buyer_name: "Тест Нагрузкин".to_owned(),
        items: vec![item(1, "Футболка", "clothes", 100_000)?, item(2, "Кеды", "shoes", 250_000)?],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn a_category_fee_without_a_category_name_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let admin = Admin::open(dir.path()).expect("admin");
        for blank in ["", "  "] {
            let policy = FeePolicy {
                default_fee: Kopecks(9_900),
                per_category: BTreeMap::from([(blank.to_owned(), Kopecks(100))]),
            };
            let err = admin.add_pickup_point("pp-a", "А", &policy).expect_err("a blank category on a new point");
            assert!(
                matches!(&err, ServerError::BadRequest(m) if m.contains("category name")),
                "{blank:?} is refused with a clear message: {err:?}"
            );
            admin.add_pickup_point("pp-a", "А", &FeePolicy::default()).ok();
            let err = admin.set_fee_policy("pp-a", &policy).expect_err("a blank category in a new policy");
            assert!(matches!(err, ServerError::BadRequest(_)), "{blank:?} is refused on a policy change: {err:?}");
        }
        assert!(!admin.pickup_point_exists("pp-b").expect("lookup"), "nothing else was added");
    }
}
