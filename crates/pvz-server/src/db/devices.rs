//! `devices` and `enrollment_codes`: who may sync, and the one-time codes that let a kiosk enroll.
//! Both secrets are stored only as sha256 (they are 256-bit random or short-lived; see `auth`). A
//! device row also records its last sync, app and protocol for the operator's fleet view.

use crate::db::feed::Cursor;
use crate::db::sql::{params, Connection, OptionalExtension};
use crate::error::{Result, ServerError};
use pvz_domain::{DeviceId, PickupPointId};

/// A device row as authentication needs it.
#[derive(Debug, Clone)]
pub struct DeviceRecord {
    pub device_id: DeviceId,
    pub pickup_point_id: PickupPointId,
    pub secret_sha256: String,
    pub revoked: bool,
    /// An operator reset the device's secret (`pvz-server device reset-secret`): the next enrollment
    /// with a code of its point may continue it without proving the old secret.
    pub secret_reset: bool,
    /// The point's feed position when the row was read: lets an empty poll answer without a second
    /// query (the hot path of every idle kiosk).
    pub feed_head: Cursor,
    /// What the device's last recorded sync call said (see [`DeviceRecord::sync_record_due`]).
    pub recorded: SyncSeen,
}

/// A device's sync call as the fleet view records it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncSeen {
    /// Unix seconds; `None`: never recorded.
    pub at: Option<i64>,
    /// The User-Agent's first product token, e.g. `pvz-kiosk/0.1.0`.
    pub app_version: Option<String>,
    pub protocol: Option<i64>,
    /// Ops waiting in the kiosk's outbox as it reported them (`x-pvz-outbox-waiting`); `None`: not said.
    pub ops_waiting: Option<i64>,
}

/// How stale a device's recorded last sync may get before a sync call writes it again.
///
/// Why not every call: an idle kiosk polls every 30 s and its poll is answered from one read (see
/// `api::sync::pull`); a write per poll would turn the busiest request into a write and, at network
/// scale, multiply the writer's load. Five minutes is as precise as a fleet view needs ("synced a
/// few minutes ago" versus "silent since yesterday") and costs one write per device per five minutes
/// at most. A new app or protocol version is written at once, whatever the interval, and so is an
/// outbox that starts or stops having ops waiting (a count that only changes waits for the interval).
pub const SYNC_RECORD_INTERVAL_SECS: i64 = 300;

impl DeviceRecord {
    /// Whether a sync call seen as `now` is worth a write: the recorded one is missing or older than
    /// [`SYNC_RECORD_INTERVAL_SECS`], the device now runs another app or protocol, or its outbox went
    /// from empty to waiting or back (or it reports a count for the first time).
    pub fn sync_record_due(&self, now: &SyncSeen) -> bool {
        let stale = match (self.recorded.at, now.at) {
            (Some(then), Some(now)) => now - then >= SYNC_RECORD_INTERVAL_SECS,
            _ => true,
        };
        let waiting = |seen: &SyncSeen| seen.ops_waiting.map(|n| n > 0);
        stale
            || self.recorded.app_version != now.app_version
            || self.recorded.protocol != now.protocol
            || waiting(&self.recorded) != waiting(now)
    }
}

pub fn get_device(conn: &Connection, id: &DeviceId) -> Result<Option<DeviceRecord>> {
    let row = conn
        .prepare_cached(
            "SELECT d.pickup_point_id, d.secret_sha256, d.revoked_at, p.epoch, p.version,
                    d.last_sync_at, d.app_version, d.protocol, d.secret_reset_at, d.ops_waiting
             FROM devices d JOIN pickup_points p ON p.id = d.pickup_point_id WHERE d.id = ?1",
        )?
        .query_row([id.as_str()], |r| {
            Ok((
                r.get::<String>(0)?,
                r.get::<String>(1)?,
                r.get::<Option<String>>(2)?,
                Cursor { epoch: r.get(3)?, version: r.get(4)? },
                SyncSeen { at: r.get(5)?, app_version: r.get(6)?, protocol: r.get(7)?, ops_waiting: r.get(9)? },
                r.get::<Option<String>>(8)?.is_some(),
            ))
        })
        .optional()?;
    let Some((point, secret_sha256, revoked_at, feed_head, recorded, secret_reset)) = row else { return Ok(None) };
    let pickup_point_id =
        PickupPointId::parse(&point).map_err(|e| ServerError::Internal(format!("device {id}: {e}")))?;
    Ok(Some(DeviceRecord {
        device_id: id.clone(),
        pickup_point_id,
        secret_sha256,
        revoked: revoked_at.is_some(),
        secret_reset,
        feed_head,
        recorded,
    }))
}

/// Records a sync call of the device (see [`SYNC_RECORD_INTERVAL_SECS`] for how often).
pub fn record_sync(conn: &Connection, id: &DeviceId, seen: &SyncSeen) -> Result<()> {
    conn.prepare_cached(
        "UPDATE devices SET last_sync_at = ?2, app_version = ?3, protocol = ?4, ops_waiting = ?5 WHERE id = ?1",
    )?
    .execute(params![id.as_str(), seen.at, seen.app_version, seen.protocol, seen.ops_waiting])?;
    Ok(())
}

/// A device as the operator's fleet view shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceSummary {
    pub device_id: String,
    pub pickup_point_id: String,
    pub name: String,
    pub last_sync: SyncSeen,
    /// Ops the server has received from the device: its last seq, as seqs are gap-free from 1.
    pub ops_received: i64,
    pub revoked_at: Option<String>,
    /// The server's clock minus the device's, in seconds, as measured at its last push (within the
    /// push's tolerance it is stored as 0); `None`: never measured.
    pub clock_offset_seconds: Option<i64>,
}

/// Every device, or one point's, by point then name.
pub fn list_devices(conn: &Connection, point: Option<&PickupPointId>) -> Result<Vec<DeviceSummary>> {
    const COLUMNS: &str = "SELECT id, pickup_point_id, name, last_sync_at, app_version, protocol, last_seq, revoked_at,
                                  ops_waiting, clock_offset_seconds
                           FROM devices";
    let row = |r: &crate::db::sql::Row<'_>| {
        Ok(DeviceSummary {
            device_id: r.get(0)?,
            pickup_point_id: r.get(1)?,
            name: r.get(2)?,
            last_sync: SyncSeen { at: r.get(3)?, app_version: r.get(4)?, protocol: r.get(5)?, ops_waiting: r.get(8)? },
            ops_received: r.get(6)?,
            revoked_at: r.get(7)?,
            clock_offset_seconds: r.get(9)?,
        })
    };
    // Two statements rather than `?1 IS NULL OR ...`: PostgreSQL cannot type a parameter seen only
    // in `IS NULL`.
    let rows = match point {
        Some(point) => conn
            .prepare(&format!("{COLUMNS} WHERE pickup_point_id = ?1 ORDER BY pickup_point_id, name, id"))?
            .query_map([point.as_str()], row)?
            .collect::<crate::db::sql::SqlResult<Vec<_>>>()?,
        None => conn
            .prepare(&format!("{COLUMNS} ORDER BY pickup_point_id, name, id"))?
            .query_map([], row)?
            .collect::<crate::db::sql::SqlResult<Vec<_>>>()?,
    };
    Ok(rows)
}

pub fn insert_enrollment_code(
    conn: &Connection,
    point: &PickupPointId,
    code_sha256: &str,
    expires_at: i64,
    now: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO enrollment_codes (code_sha256, pickup_point_id, expires_at, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![code_sha256, point.as_str(), expires_at, now],
    )?;
    Ok(())
}

/// The pickup point of a code that is unused and unexpired; `None` for an unknown, used or expired one.
pub fn get_usable_code_point(conn: &Connection, code_sha256: &str, now_unix: i64) -> Result<Option<PickupPointId>> {
    let point: Option<String> = conn
        .prepare_cached(
            "SELECT pickup_point_id FROM enrollment_codes
             WHERE code_sha256 = ?1 AND used_at IS NULL AND expires_at > ?2",
        )?
        .query_row(params![code_sha256, now_unix], |r| r.get(0))
        .optional()?;
    point.map(|p| PickupPointId::parse(&p).map_err(|e| ServerError::Internal(e.to_string()))).transpose()
}

/// The point and device of a code already used with `secret_sha256`, while that device still holds
/// that secret: the same enrollment asked again after its answer was lost. Expiry does not matter
/// (the kiosk may have been off for days); a secret replaced since (another enrollment, a reset)
/// ends it. The hash alone grants nothing: the credential needs the secret, which only the kiosk
/// that made it has.
pub fn get_code_used_with(
    conn: &Connection,
    code_sha256: &str,
    secret_sha256: &str,
) -> Result<Option<(PickupPointId, DeviceId)>> {
    let row: Option<(String, String)> = conn
        .prepare_cached(
            "SELECT c.pickup_point_id, d.id FROM enrollment_codes c JOIN devices d ON d.id = c.used_by_device
             WHERE c.code_sha256 = ?1 AND c.used_secret_sha256 = ?2 AND d.secret_sha256 = ?2
               AND d.secret_reset_at IS NULL",
        )?
        .query_row(params![code_sha256, secret_sha256], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((point, device)) = row else { return Ok(None) };
    let point = PickupPointId::parse(&point).map_err(|e| ServerError::Internal(e.to_string()))?;
    let device = DeviceId::parse(&device).map_err(|e| ServerError::Internal(e.to_string()))?;
    Ok(Some((point, device)))
}

/// Marks the code used by `device` with the secret hash it was given, if it is unused and unexpired,
/// in one statement so two kiosks racing with the same code cannot both win. Returns the code's
/// pickup point.
pub fn consume_enrollment_code(
    conn: &Connection,
    code_sha256: &str,
    device: &DeviceId,
    secret_sha256: &str,
    now_unix: i64,
    now: &str,
) -> Result<Option<PickupPointId>> {
    let point: Option<String> = conn
        .query_row(
            "UPDATE enrollment_codes SET used_at = ?3, used_by_device = ?4, used_secret_sha256 = ?5
             WHERE code_sha256 = ?1 AND used_at IS NULL AND expires_at > ?2
             RETURNING pickup_point_id",
            params![code_sha256, now_unix, now, device.as_str(), secret_sha256],
            |r| r.get(0),
        )
        .optional()?;
    point.map(|p| PickupPointId::parse(&p).map_err(|e| ServerError::Internal(e.to_string()))).transpose()
}

pub fn insert_device(
    conn: &Connection,
    id: &DeviceId,
    point: &PickupPointId,
    name: &str,
    secret_sha256: &str,
    now: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO devices (id, pickup_point_id, name, secret_sha256, last_seq, created_at)
         VALUES (?1, ?2, ?3, ?4, 0, ?5)",
        params![id.as_str(), point.as_str(), name, secret_sha256, now],
    )?;
    insert_device_enrollment(conn, id, name, false, now)
}

/// Appends an enrollment, under the name it was made with, to the device's history
/// (`device_enrollments`), copying its point and any revocation from its row as it is now: call it
/// before the revocation is cleared.
fn insert_device_enrollment(conn: &Connection, id: &DeviceId, name: &str, continued: bool, now: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO device_enrollments
             (device_id, enrollment_no, pickup_point_id, device_name, continued, cleared_revoked_at, enrolled_at)
         SELECT d.id,
                (SELECT COALESCE(MAX(e.enrollment_no), 0) + 1 FROM device_enrollments e WHERE e.device_id = d.id),
                d.pickup_point_id, ?2, ?3, d.revoked_at, ?4
         FROM devices d WHERE d.id = ?1",
        params![id.as_str(), name, i64::from(continued), now],
    )?;
    Ok(())
}

/// One row of a device's enrollment history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceEnrollment {
    pub enrolled_at: String,
    /// An existing device continued by a kiosk that proved it held the previous credential.
    pub continued: bool,
    /// The revocation this enrollment cleared, if the device was revoked.
    pub cleared_revoked_at: Option<String>,
}

/// The device's enrollments, oldest first.
pub fn list_device_enrollments(conn: &Connection, id: &DeviceId) -> Result<Vec<DeviceEnrollment>> {
    let mut stmt = conn.prepare(
        "SELECT enrolled_at, continued, cleared_revoked_at FROM device_enrollments
         WHERE device_id = ?1 ORDER BY enrollment_no",
    )?;
    let rows = stmt.query_map([id.as_str()], |r| {
        Ok(DeviceEnrollment { enrolled_at: r.get(0)?, continued: r.get::<i64>(1)? != 0, cleared_revoked_at: r.get(2)? })
    })?;
    Ok(rows.collect::<crate::db::sql::SqlResult<_>>()?)
}

/// Continues a device enrolled again: a new credential (the old one stops working), no longer revoked,
/// a possibly new name; its seq and ops stay. The enrollment, and the revocation it clears, go to
/// the device's history first.
///
/// Only from the credential the caller checked (`previous_sha256`): two kiosks continuing one device
/// with two codes at once must not both get a credential, the later silently voiding the earlier.
/// The one that finds the credential replaced gets [`ServerError::PreviousCredentialRejected`], as
/// had it sent a stale credential, and its code stays unused once its transaction rolls back.
pub fn reenroll_device(
    conn: &Connection,
    id: &DeviceId,
    name: &str,
    previous_sha256: &str,
    secret_sha256: &str,
    now: &str,
) -> Result<()> {
    insert_device_enrollment(conn, id, name, true, now)?;
    let changed = conn.execute(
        "UPDATE devices SET secret_sha256 = ?2, name = ?3, revoked_at = NULL, secret_reset_at = NULL
         WHERE id = ?1 AND secret_sha256 = ?4",
        params![id.as_str(), secret_sha256, name, previous_sha256],
    )?;
    if changed != 1 {
        return Err(ServerError::PreviousCredentialRejected);
    }
    Ok(())
}

/// Lets the next enrollment with a code of the device's point continue it without the old secret
/// (its seq kept). Returns false when there is no such device.
pub fn reset_device_secret(conn: &Connection, id: &DeviceId, now: &str) -> Result<bool> {
    let n = conn.execute("UPDATE devices SET secret_reset_at = ?2 WHERE id = ?1", params![id.as_str(), now])?;
    Ok(n == 1)
}

/// Returns false when there is no such device.
pub fn revoke_device(conn: &Connection, id: &DeviceId, now: &str) -> Result<bool> {
    let n = conn.execute(
        "UPDATE devices SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
        params![id.as_str(), now],
    )?;
    let exists = n > 0 || get_device(conn, id)?.is_some();
    Ok(exists)
}

/// The highest seq handled for the device, read by an `UPDATE ... RETURNING` that changes nothing
/// but takes the device row's write lock first (portable: SQLite and PostgreSQL both accept it), so a
/// concurrent push of the same device waits for this transaction instead of reading the same seq.
pub fn lock_last_seq(conn: &Connection, id: &DeviceId) -> Result<i64> {
    let seq = conn
        .prepare_cached("UPDATE devices SET last_seq = last_seq WHERE id = ?1 RETURNING last_seq")?
        .query_row([id.as_str()], |r| r.get(0))
        .optional()?;
    seq.ok_or_else(|| ServerError::NotFound(format!("device {id} does not exist")))
}

/// Records the device's clock against the server's, as a push that said the kiosk's time found it:
/// `offset_seconds` is server time minus kiosk time.
pub fn set_clock_offset(conn: &Connection, id: &DeviceId, offset_seconds: i64, now: &str) -> Result<()> {
    conn.prepare_cached("UPDATE devices SET clock_offset_seconds = ?2, clock_checked_at = ?3 WHERE id = ?1")?
        .execute(params![id.as_str(), offset_seconds, now])?;
    Ok(())
}

/// Server time minus the device's clock at its last push that said its time; `None`: never known.
pub fn get_clock_offset(conn: &Connection, id: &DeviceId) -> Result<Option<i64>> {
    let offset = conn
        .prepare_cached("SELECT clock_offset_seconds FROM devices WHERE id = ?1")?
        .query_row([id.as_str()], |r| r.get::<Option<i64>>(0))
        .optional()?;
    Ok(offset.flatten())
}

/// The highest seq handled for the device.
pub fn get_last_seq(conn: &Connection, id: &DeviceId) -> Result<i64> {
    let seq = conn
        .prepare_cached("SELECT last_seq FROM devices WHERE id = ?1")?
        .query_row([id.as_str()], |r| r.get(0))
        .optional()?;
    seq.ok_or_else(|| ServerError::NotFound(format!("device {id} does not exist")))
}

/// Advances the device's seq to `seq` from the one before it, the seq [`lock_last_seq`] read. The
/// lock makes a concurrent push of the device wait; the guard makes sure of it: a seq moved by
/// anyone else rolls the push back as busy (the kiosk retries, its applied ops come back as
/// duplicates) instead of skipping or applying an op twice.
pub fn set_last_seq(conn: &Connection, id: &DeviceId, seq: i64) -> Result<()> {
    let changed = conn
        .prepare_cached("UPDATE devices SET last_seq = ?2 WHERE id = ?1 AND last_seq = ?2 - 1")?
        .execute(params![id.as_str(), seq])?;
    if changed != 1 {
        tracing::warn!(device = %id, seq, "device seq moved under its push; push rolled back");
        return Err(ServerError::Unavailable);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{self, points};
    use pvz_domain::FeePolicy;

    #[test]
    fn locking_the_seq_reads_it_and_changes_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let conn = db::open_and_migrate(&dir.path().join(db::DB_FILE)).expect("db");
        let point = PickupPointId::parse("pp-a").expect("id");
        let device = DeviceId::parse("dev-1").expect("id");
        points::insert_point(&conn, &point, "A", &FeePolicy::default(), "now").expect("point");
        insert_device(&conn, &device, &point, "Касса", "hash", "now").expect("device");
        for seq in 1..=7 {
            set_last_seq(&conn, &device, seq).expect("seq");
        }
        assert!(
            matches!(set_last_seq(&conn, &device, 9), Err(ServerError::Unavailable)),
            "a seq is advanced only from the one before it"
        );
        assert_eq!(lock_last_seq(&conn, &device).expect("locked read"), 7, "the lock returns the stored seq");
        assert_eq!(get_last_seq(&conn, &device).expect("read"), 7, "and leaves it as it was");
        let unknown = DeviceId::parse("dev-x").expect("id");
        assert!(matches!(lock_last_seq(&conn, &unknown), Err(ServerError::NotFound(_))), "an unknown device");
    }

    #[test]
    fn a_sync_is_recorded_when_stale_or_when_the_app_changes_and_not_on_every_poll() {
        let dir = tempfile::tempdir().expect("temp dir");
        let conn = db::open_and_migrate(&dir.path().join(db::DB_FILE)).expect("db");
        let point = PickupPointId::parse("pp-a").expect("id");
        let device = DeviceId::parse("dev-1").expect("id");
        points::insert_point(&conn, &point, "A", &FeePolicy::default(), "now").expect("point");
        insert_device(&conn, &device, &point, "Касса", "hash", "now").expect("device");
        let seen = |at: i64, app: &str| SyncSeen {
            at: Some(at),
            app_version: Some(app.into()),
            protocol: Some(3),
            ops_waiting: None,
        };
        let record = |conn: &Connection| get_device(conn, &device).expect("read").expect("device");

        assert!(record(&conn).sync_record_due(&seen(1_000, "pvz-kiosk/1.0")), "a device never recorded is due");
        record_sync(&conn, &device, &seen(1_000, "pvz-kiosk/1.0")).expect("record");
        let stored = record(&conn);
        assert_eq!(stored.recorded, seen(1_000, "pvz-kiosk/1.0"), "the device row reads back what was recorded");
        let soon = 1_000 + SYNC_RECORD_INTERVAL_SECS - 1;
        assert!(!stored.sync_record_due(&seen(soon, "pvz-kiosk/1.0")), "a poll within the interval writes nothing");
        assert!(stored.sync_record_due(&seen(soon, "pvz-kiosk/1.1")), "a new app version is recorded at once");
        let later = 1_000 + SYNC_RECORD_INTERVAL_SECS;
        assert!(stored.sync_record_due(&seen(later, "pvz-kiosk/1.0")), "after the interval the sync is recorded");
        let listed = list_devices(&conn, Some(&point)).expect("list");
        assert_eq!(listed.len(), 1, "the point's one device is listed");
        assert_eq!(listed[0].last_sync, seen(1_000, "pvz-kiosk/1.0"), "with its recorded sync");
        assert!(
            list_devices(&conn, Some(&PickupPointId::parse("pp-b").expect("id"))).expect("list").is_empty(),
            "another point has none"
        );
    }

    #[test]
    fn an_outbox_that_starts_or_stops_waiting_is_recorded_at_once_and_a_changed_count_waits() {
        let dir = tempfile::tempdir().expect("temp dir");
        let conn = db::open_and_migrate(&dir.path().join(db::DB_FILE)).expect("db");
        let point = PickupPointId::parse("pp-a").expect("id");
        let device = DeviceId::parse("dev-1").expect("id");
        points::insert_point(&conn, &point, "A", &FeePolicy::default(), "now").expect("point");
        insert_device(&conn, &device, &point, "Касса", "hash", "now").expect("device");
        let seen = |at: i64, waiting: Option<i64>| SyncSeen {
            at: Some(at),
            app_version: Some("pvz-kiosk/1.0".into()),
            protocol: Some(4),
            ops_waiting: waiting,
        };
        let record = |conn: &Connection| get_device(conn, &device).expect("read").expect("device");
        record_sync(&conn, &device, &seen(1_000, Some(0))).expect("record");
        let stored = record(&conn);
        assert_eq!(stored.recorded.ops_waiting, Some(0), "the reported count reads back");
        assert!(!stored.sync_record_due(&seen(1_010, Some(0))), "still empty within the interval: nothing written");
        assert!(stored.sync_record_due(&seen(1_010, Some(3))), "ops start waiting: recorded at once");
        assert!(stored.sync_record_due(&seen(1_010, None)), "a kiosk that stops reporting is recorded at once");
        record_sync(&conn, &device, &seen(1_010, Some(3))).expect("record");
        let waiting = record(&conn);
        assert!(!waiting.sync_record_due(&seen(1_020, Some(5))), "a count that only changes waits for the interval");
        assert!(waiting.sync_record_due(&seen(1_020, Some(0))), "the outbox drained: recorded at once");
        let listed = list_devices(&conn, Some(&point)).expect("list");
        assert_eq!(listed[0].last_sync.ops_waiting, Some(3), "the fleet lists the count last recorded");
    }
}
