//! The pull feed of one pickup point: its orders, employees, shipments, fee and storage policies and
//! cells that changed after a cursor, ordered by the feed version they changed at. Read in one
//! transaction, so a page is a consistent snapshot.
//! A cancelled order is sent as a `CancelOrder` tombstone at the version its cancellation got, so a
//! kiosk that cached it learns it must not be handed over. A pull from scratch opens with the point's
//! current fee policy, storage policy and cells (the last two once set), so no kiosk holds orders
//! without the policies their fees and storage periods depend on, or receives without its cells.
//! A rotation of the network's signing keys reaches every point's feed as the key chain.
//! Doorstep deliveries (a courier's orders) are not the counter's to issue and never appear.

use crate::db::sql::{params, Connection};
use crate::db::{cells, employees, network_keys, orders, points, shipments};
use crate::error::{Result, ServerError};
use pvz_domain::{OrderId, PickupPointId};
use pvz_protocol::{Change, PullPage};

/// A position in a point's feed: `<epoch>.<version>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub epoch: i64,
    pub version: i64,
}

impl Cursor {
    pub fn parse(raw: &str) -> Option<Cursor> {
        let (epoch, version) = raw.split_once('.')?;
        // 1-18 digits each, as the document's pattern says: always an i64, never a sign or a space.
        let number = |s: &str| {
            ((1..=18).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<i64>().ok())
                .flatten()
        };
        Some(Cursor { epoch: number(epoch)?, version: number(version)? })
    }

    pub fn to_text(self) -> String {
        format!("{}.{}", self.epoch, self.version)
    }
}

/// What a feed row is; the SQL computes it so one ordered query yields every kind of change.
const KIND_POLICY: i64 = 0;
const KIND_ORDER: i64 = 1;
const KIND_CANCELLED: i64 = 2;
const KIND_EMPLOYEE: i64 = 3;
const KIND_STORAGE: i64 = 4;
const KIND_CELLS: i64 = 5;
const KIND_SHIPMENT: i64 = 6;
const KIND_KEYS: i64 = 7;

pub fn pull_page(conn: &Connection, point: &PickupPointId, cursor: Option<Cursor>, limit: u32) -> Result<PullPage> {
    // One snapshot: the head and the changes below it must agree (REPEATABLE READ on PostgreSQL).
    let tx = conn.read_transaction()?;
    let state = points::require_point(&tx, point)?;
    // Another epoch, or a cursor ahead of the feed (the database was restored from a backup): the
    // kiosk's cache cannot be trusted, so it rebuilds from the start.
    let reset = cursor.is_some_and(|c| c.epoch != state.epoch || c.version > state.version);
    let from = match cursor {
        Some(c) if !reset => c.version,
        _ => 0,
    };
    let head = Cursor { epoch: state.epoch, version: state.version };
    if from >= state.version {
        return Ok(PullPage {
            cursor: head.to_text(),
            has_more: false,
            reset,
            remaining: 0,
            changes: Vec::new(),
            max_wait_seconds: 0,
        });
    }

    let total = count_after(&tx, point, from, &state)?;
    // Cancelled orders stay in the feed (as tombstones) even on a first pull: a kiosk whose cache
    // outlived its cursor (a demo seed, a restored store) must still learn of them.
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT {KIND_POLICY}, '', policy_version FROM pickup_points WHERE id = ?1 AND policy_version > ?2
         UNION ALL
         SELECT {KIND_STORAGE}, '', storage_version FROM pickup_points WHERE id = ?1 AND storage_version > ?2
         UNION ALL
         SELECT {KIND_CELLS}, '', cells_version FROM pickup_points WHERE id = ?1 AND cells_version > ?2
         UNION ALL
         SELECT {KIND_KEYS}, '', keys_version FROM pickup_points WHERE id = ?1 AND keys_version > ?2
         UNION ALL
         SELECT CASE WHEN status = 'cancelled' THEN {KIND_CANCELLED} ELSE {KIND_ORDER} END, id, version
         FROM orders WHERE pickup_point_id = ?1 AND version > ?2 AND delivery = 'pickup'
         UNION ALL
         SELECT {KIND_EMPLOYEE}, id, version FROM employees WHERE pickup_point_id = ?1 AND version > ?2
         UNION ALL
         SELECT {KIND_SHIPMENT}, id, version FROM shipments WHERE pickup_point_id = ?1 AND version > ?2
         ORDER BY 3 LIMIT ?3"
    ))?;
    let rows = stmt
        .query_map(params![point.as_str(), from, i64::from(limit)], |r| {
            Ok((r.get::<i64>(0)?, r.get::<String>(1)?, r.get::<i64>(2)?))
        })?
        .collect::<crate::db::sql::SqlResult<Vec<_>>>()?;
    drop(stmt);
    let mut changes = Vec::with_capacity(rows.len() + 1);
    // A pull from scratch (no cursor, or a reset) opens with the point's current policies and cells,
    // whatever their versions: otherwise a policy changed after thousands of orders would come on the
    // last page, and the counter would fix refusal fees (or storage periods) from no policy meanwhile.
    // They are sent outside the limit, so the cursor still moves on however small the page; their own
    // rows are skipped below when they fall on this page, and on a later page they come once more
    // (harmless: the same policy).
    let fresh = from == 0;
    if fresh {
        changes.push(Change::SetFeePolicy(points::get_fee_policy(&tx, point)?));
        if state.storage_version > 0 {
            changes.push(storage_change(&tx, point)?);
        }
        if state.cells_version > 0 {
            changes.push(Change::SetCells { cells: cells::list_cells_wire(&tx, point)? });
        }
        // The network's keys once there is more than the one a kiosk pins at enrollment, whatever
        // the point's `keys_version` (a point added after a rotation has none).
        let keys = network_keys::list_public_keys(&tx)?;
        if keys.len() > 1 {
            changes.push(Change::SetServerKeys { keys });
        }
    }
    for (kind, id, _) in &rows {
        let change = match *kind {
            KIND_POLICY | KIND_STORAGE | KIND_CELLS | KIND_KEYS if fresh => continue,
            KIND_KEYS => Change::SetServerKeys { keys: network_keys::list_public_keys(&tx)? },
            KIND_POLICY => Change::SetFeePolicy(points::get_fee_policy(&tx, point)?),
            KIND_STORAGE => storage_change(&tx, point)?,
            KIND_CELLS => Change::SetCells { cells: cells::list_cells_wire(&tx, point)? },
            KIND_SHIPMENT => Change::UpsertShipment(
                shipments::get_shipment_wire(&tx, id)?
                    .ok_or_else(|| ServerError::Internal(format!("shipment {id} vanished from the feed")))?,
            ),
            KIND_EMPLOYEE => Change::UpsertEmployee(
                employees::get_employee_wire(&tx, id)?
                    .ok_or_else(|| ServerError::Internal(format!("employee {id} vanished from the feed")))?,
            ),
            KIND_CANCELLED => Change::CancelOrder {
                order_id: OrderId::parse(id)
                    .map_err(|_| ServerError::Internal(format!("stored id of cancelled order {id} is invalid")))?,
            },
            _ => Change::UpsertOrder(
                orders::get_order_wire(&tx, id)?
                    .ok_or_else(|| ServerError::Internal(format!("order {id} vanished from the feed")))?,
            ),
        };
        changes.push(change);
    }
    let remaining = total.saturating_sub(rows.len() as u64);
    let has_more = remaining > 0;
    let cursor = match rows.last() {
        Some((_, _, version)) if has_more => Cursor { epoch: state.epoch, version: *version },
        _ => head,
    };
    Ok(PullPage { cursor: cursor.to_text(), has_more, reset, remaining, changes, max_wait_seconds: 0 })
}

fn storage_change(conn: &Connection, point: &PickupPointId) -> Result<Change> {
    let (policy, offset) = points::get_storage_policy(conn, point)?
        .ok_or_else(|| ServerError::Internal(format!("the storage policy of {point} vanished from the feed")))?;
    Ok(Change::SetStoragePolicy { policy, utc_offset_seconds: offset.seconds() })
}

fn count_after(conn: &Connection, point: &PickupPointId, from: i64, state: &points::PointRow) -> Result<u64> {
    let rows: i64 = conn
        .prepare_cached(
            "SELECT (SELECT COUNT(*) FROM orders WHERE pickup_point_id = ?1 AND version > ?2 AND delivery = 'pickup')
                  + (SELECT COUNT(*) FROM employees WHERE pickup_point_id = ?1 AND version > ?2)
                  + (SELECT COUNT(*) FROM shipments WHERE pickup_point_id = ?1 AND version > ?2)",
        )?
        .query_row(params![point.as_str(), from], |r| r.get(0))?;
    let point_rows = [state.policy_version, state.storage_version, state.cells_version, state.keys_version];
    let point_rows = point_rows.iter().filter(|v| **v > from).count() as i64;
    Ok((rows + point_rows).max(0) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_junk() {
        let c = Cursor { epoch: 3, version: 42 };
        assert_eq!(Cursor::parse(&c.to_text()), Some(c), "text form must round-trip");
        for bad in ["", "3", "3.", ".4", "a.b", "3.-4", "3.4.5", "+3.4"] {
            assert_eq!(Cursor::parse(bad), None, "{bad:?} is not a cursor");
        }
    }

    proptest::proptest! {
        /// A cursor comes back from kiosks: whatever they send, it is a cursor or refused, never a panic,
        /// and what it accepts is exactly `<1-18 digits>.<1-18 digits>`, reading back the same.
        #[test]
        fn any_text_is_a_cursor_only_in_its_own_shape(
            raw in proptest::prop_oneof![proptest::prelude::any::<String>(), "[0-9+.-]{0,40}", "[0-9]{1,30}\\.[0-9]{1,30}"],
        ) {
            let shaped = raw.split_once('.').is_some_and(|(epoch, version)| {
                // The document's pattern: 1-18 digits a side, so always within an i64.
                let digits = |s: &str| (1..=18).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
                digits(epoch) && digits(version)
            });
            let parsed = Cursor::parse(&raw);
            proptest::prop_assert_eq!(parsed.is_some(), shaped, "{:?}: only <epoch>.<version> in range is a cursor", raw);
            if let Some(cursor) = parsed {
                proptest::prop_assert_eq!(Cursor::parse(&cursor.to_text()), Some(cursor), "an accepted cursor reads back the same");
            }
        }
    }
}
