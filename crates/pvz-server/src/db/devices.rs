//! `devices` and `enrollment_codes`: who may sync, and the one-time codes that let a kiosk enroll.
//! Both secrets are stored only as sha256 (they are 256-bit random or short-lived; see `auth`).

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
    /// The point's feed position when the row was read: lets an empty poll answer without a second
    /// query (the hot path of every idle kiosk).
    pub feed_head: Cursor,
}

pub fn get_device(conn: &Connection, id: &DeviceId) -> Result<Option<DeviceRecord>> {
    let row = conn
        .prepare_cached(
            "SELECT d.pickup_point_id, d.secret_sha256, d.revoked_at, p.epoch, p.version
             FROM devices d JOIN pickup_points p ON p.id = d.pickup_point_id WHERE d.id = ?1",
        )?
        .query_row([id.as_str()], |r| {
            Ok((
                r.get::<String>(0)?,
                r.get::<String>(1)?,
                r.get::<Option<String>>(2)?,
                Cursor { epoch: r.get(3)?, version: r.get(4)? },
            ))
        })
        .optional()?;
    let Some((point, secret_sha256, revoked_at, feed_head)) = row else { return Ok(None) };
    let pickup_point_id =
        PickupPointId::parse(&point).map_err(|e| ServerError::Internal(format!("device {id}: {e}")))?;
    Ok(Some(DeviceRecord {
        device_id: id.clone(),
        pickup_point_id,
        secret_sha256,
        revoked: revoked_at.is_some(),
        feed_head,
    }))
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

/// Marks the code used by `device` if it is unused and unexpired, in one statement so two kiosks
/// racing with the same code cannot both win. Returns the code's pickup point.
pub fn consume_enrollment_code(
    conn: &Connection,
    code_sha256: &str,
    device: &DeviceId,
    now_unix: i64,
    now: &str,
) -> Result<Option<PickupPointId>> {
    let point: Option<String> = conn
        .query_row(
            "UPDATE enrollment_codes SET used_at = ?3, used_by_device = ?4
             WHERE code_sha256 = ?1 AND used_at IS NULL AND expires_at > ?2
             RETURNING pickup_point_id",
            params![code_sha256, now_unix, now, device.as_str()],
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
        "UPDATE devices SET secret_sha256 = ?2, name = ?3, revoked_at = NULL WHERE id = ?1 AND secret_sha256 = ?4",
        params![id.as_str(), secret_sha256, name, previous_sha256],
    )?;
    if changed != 1 {
        return Err(ServerError::PreviousCredentialRejected);
    }
    Ok(())
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
}
