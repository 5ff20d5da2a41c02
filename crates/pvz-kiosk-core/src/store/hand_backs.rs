//! Courier hand-backs (приём отказов от курьера): open while being scanned, then completed with
//! their op. A cancelled one is deleted with its lines and scans; a completed one never changes.

use super::StoreError;
use pvz_domain::EmployeeId;
use rusqlite::{params, Connection, OptionalExtension};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandBackRow {
    pub hand_back_id: String,
    pub courier_id: EmployeeId,
    pub courier_name: String,
    pub manifest_loaded: bool,
    pub started_at: String,
    pub completed_at: Option<String>,
    pub accepted_by: Option<String>,
    pub op_id: Option<String>,
}

pub fn get_hand_back(conn: &Connection, hand_back_id: &str) -> Result<Option<HandBackRow>, StoreError> {
    let row = conn
        .prepare_cached(
            "SELECT hand_back_id, courier_id, courier_name, manifest_loaded, started_at, completed_at, accepted_by,
                 op_id
             FROM hand_backs WHERE hand_back_id = ?1",
        )?
        .query_row([hand_back_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
            ))
        })
        .optional()?;
    row.map(|(hand_back_id, courier, courier_name, manifest_loaded, started_at, completed_at, accepted_by, op_id)| {
        Ok(HandBackRow {
            hand_back_id,
            courier_id: EmployeeId::parse(&courier).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            courier_name,
            manifest_loaded,
            started_at,
            completed_at,
            accepted_by,
            op_id,
        })
    })
    .transpose()
}

pub fn insert_hand_back(conn: &Connection, row: &HandBackRow) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO hand_backs (hand_back_id, courier_id, courier_name, manifest_loaded, started_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        row.hand_back_id,
        row.courier_id.as_str(),
        row.courier_name,
        row.manifest_loaded,
        row.started_at
    ])?;
    Ok(())
}

/// The manifest arrived: the courier's name as the server has it now goes on the act.
pub fn set_hand_back_manifest_loaded(
    conn: &Connection,
    hand_back_id: &str,
    courier_name: &str,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE hand_backs SET manifest_loaded = 1, courier_name = ?2 WHERE hand_back_id = ?1 AND completed_at IS NULL",
    )?
    .execute(params![hand_back_id, courier_name])?;
    Ok(())
}

pub fn mark_hand_back_completed(
    conn: &Connection,
    hand_back_id: &str,
    accepted_by: &str,
    op_id: &str,
    at: &str,
) -> Result<(), StoreError> {
    let changed = conn
        .prepare_cached(
            "UPDATE hand_backs SET completed_at = ?2, accepted_by = ?3, op_id = ?4
             WHERE hand_back_id = ?1 AND completed_at IS NULL",
        )?
        .execute(params![hand_back_id, at, accepted_by, op_id])?;
    if changed != 1 {
        return Err(StoreError::Corrupt(format!("hand-back {hand_back_id} is not open")));
    }
    Ok(())
}

/// Drops an open hand-back with its manifest and scans (cascade); a completed one stays.
pub fn delete_open_hand_back(conn: &Connection, hand_back_id: &str) -> Result<(), StoreError> {
    conn.prepare_cached("DELETE FROM hand_backs WHERE hand_back_id = ?1 AND completed_at IS NULL")?
        .execute([hand_back_id])?;
    Ok(())
}
