//! Single-row tables: the enrollment, the fee policy and what the counter screen shows.

use super::StoreError;
use pvz_domain::ids::IdError;
use pvz_domain::{ClaimId, DeviceId, EmployeeId, FeePolicy, Kopecks, OrderId, PickupPointId, ReturnId};
use pvz_protocol::Enrollment;
use rusqlite::{params, Connection, OptionalExtension};

pub fn get_enrollment(conn: &Connection) -> Result<Option<Enrollment>, StoreError> {
    let row = conn
        .query_row("SELECT pickup_point_id, pickup_point_name, device_id, server_public_key FROM enrollment", [], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
        })
        .optional()?;
    row.map(|(pp, name, device, key)| {
        Ok(Enrollment {
            pickup_point_id: PickupPointId::parse(&pp).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            pickup_point_name: name,
            device_id: DeviceId::parse(&device).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            server_public_key: key,
        })
    })
    .transpose()
}

pub fn save_enrollment(conn: &Connection, e: &Enrollment) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO enrollment (singleton, pickup_point_id, pickup_point_name, device_id, server_public_key)
         VALUES (1, ?1, ?2, ?3, ?4)
         ON CONFLICT (singleton) DO UPDATE SET pickup_point_id = excluded.pickup_point_id,
             pickup_point_name = excluded.pickup_point_name, device_id = excluded.device_id,
             server_public_key = excluded.server_public_key",
        params![e.pickup_point_id.as_str(), e.pickup_point_name, e.device_id.as_str(), e.server_public_key],
    )?;
    Ok(())
}

pub fn get_pull_cursor(conn: &Connection) -> Result<Option<String>, StoreError> {
    Ok(conn.query_row("SELECT pull_cursor FROM enrollment", [], |r| r.get(0)).optional()?.flatten())
}

/// A new enrollment pulls from the start: the old cursor belongs to another device or server.
pub fn clear_pull_cursor(conn: &Connection) -> Result<(), StoreError> {
    conn.execute("UPDATE enrollment SET pull_cursor = NULL", [])?;
    Ok(())
}

pub fn set_pull_cursor(conn: &Connection, cursor: &str) -> Result<(), StoreError> {
    conn.execute("UPDATE enrollment SET pull_cursor = ?1", [cursor])?;
    Ok(())
}

/// The cached fee policy, or `None` when none has been pulled yet (a fresh enrollment or a reset
/// cleared it). A stored policy always has its default row (category `''`), so without that row there
/// is no policy, which must not be mistaken for a policy of zero fees.
pub fn get_fee_policy(conn: &Connection) -> Result<Option<FeePolicy>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT category, fee_kopecks FROM fee_policy")?;
    let mut default_fee = None;
    let mut policy = FeePolicy::default();
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
        let (category, fee) = row?;
        if category.is_empty() {
            default_fee = Some(Kopecks(fee));
        } else {
            policy.per_category.insert(category, Kopecks(fee));
        }
    }
    Ok(default_fee.map(|default_fee| FeePolicy { default_fee, ..policy }))
}

/// Drops the cached fee policy (a pull reset); the feed sends the current one again.
pub fn clear_fee_policy(conn: &Connection) -> Result<(), StoreError> {
    conn.execute("DELETE FROM fee_policy", [])?;
    Ok(())
}

pub fn replace_fee_policy(conn: &Connection, policy: &FeePolicy) -> Result<(), StoreError> {
    conn.execute("DELETE FROM fee_policy", [])?;
    let mut insert = conn.prepare_cached("INSERT INTO fee_policy (category, fee_kopecks) VALUES (?1, ?2)")?;
    insert.execute(params!["", policy.default_fee.0])?;
    for (category, fee) in &policy.per_category {
        insert.execute(params![category, fee.0])?;
    }
    Ok(())
}

/// What the counter screen shows: the work on the counter (an order card, a claim, a courier's
/// hand-back, the returns desk) and the result of the last one (receipt, label, act).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CounterState {
    pub active_order: Option<OrderId>,
    pub receipt_order: Option<OrderId>,
    /// The claim return on the counter (a draft in `claim_returns`).
    pub claim: Option<ClaimId>,
    /// The returned unit whose label is on screen.
    pub return_label: Option<ReturnId>,
    /// The courier's hand-back in progress.
    pub hand_back: Option<String>,
    pub hand_back_act: Option<String>,
    pub returns_open: bool,
    /// The driver whose badge was scanned at the returns desk.
    pub driver: Option<EmployeeId>,
    /// The number of the badge that identified `driver`, checked again at the handover.
    pub driver_badge_serial: Option<u32>,
    pub handover_act: Option<String>,
}

fn parse_id<T>(raw: Option<String>, parse: fn(&str) -> Result<T, IdError>) -> Result<Option<T>, StoreError> {
    raw.map(|s| parse(&s).map_err(|e| StoreError::Corrupt(e.to_string()))).transpose()
}

pub fn get_counter_state(conn: &Connection) -> Result<CounterState, StoreError> {
    type Raw = (Option<String>, Option<String>, Option<String>, Option<String>);
    let (order, receipt, claim, label): Raw = conn.query_row(
        "SELECT active_order_id, receipt_order_id, claim_id, return_label_id FROM counter_state WHERE singleton = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let (hand_back, hand_back_act, returns_open, driver, handover_act, driver_badge_serial) = conn.query_row(
        "SELECT hand_back_id, hand_back_act_id, returns_open, driver_id, handover_act_id, driver_badge_serial
         FROM counter_state WHERE singleton = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, Option<String>>(3)?, r.get(4)?, r.get(5)?)),
    )?;
    Ok(CounterState {
        active_order: parse_id(order, OrderId::parse)?,
        receipt_order: parse_id(receipt, OrderId::parse)?,
        claim: parse_id(claim, ClaimId::parse)?,
        return_label: parse_id(label, ReturnId::parse)?,
        hand_back,
        hand_back_act,
        returns_open,
        driver: parse_id(driver, EmployeeId::parse)?,
        driver_badge_serial,
        handover_act,
    })
}

/// Reads the screen, lets `change` edit it, writes it back (in the caller's transaction) and returns
/// what `change` returned.
pub fn change_counter_state<T>(
    conn: &Connection,
    change: impl FnOnce(&mut CounterState) -> T,
) -> Result<T, StoreError> {
    let mut state = get_counter_state(conn)?;
    let value = change(&mut state);
    set_counter_state(conn, &state)?;
    Ok(value)
}

pub fn set_counter_state(conn: &Connection, state: &CounterState) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE counter_state SET active_order_id = ?1, receipt_order_id = ?2, claim_id = ?3, return_label_id = ?4,
             hand_back_id = ?5, hand_back_act_id = ?6, returns_open = ?7, driver_id = ?8, handover_act_id = ?9,
             driver_badge_serial = ?10
         WHERE singleton = 1",
        params![
            state.active_order.as_ref().map(OrderId::as_str),
            state.receipt_order.as_ref().map(OrderId::as_str),
            state.claim.as_ref().map(ClaimId::as_str),
            state.return_label.as_ref().map(ReturnId::as_str),
            state.hand_back,
            state.hand_back_act,
            state.returns_open,
            state.driver.as_ref().map(EmployeeId::as_str),
            state.handover_act,
            state.driver_badge_serial,
        ],
    )?;
    Ok(())
}
