//! `courier_hand_backs` and `hand_back_lines`: each accepted hand-back of a courier at a point, with
//! what it accepted against the manifest and its discrepancies (extras, missing lines).

use crate::db::sql::{params, Connection, OptionalExtension};
use crate::error::Result;
use pvz_domain::{EmployeeId, Kopecks, PickupPointId};

/// What became of a line: accepted against the manifest, or a discrepancy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineOutcome {
    Accepted,
    /// Brought, but on no open line of the courier's manifest.
    Extra,
    /// On the manifest, but not brought; the line stays open.
    Missing,
}

impl LineOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            LineOutcome::Accepted => "accepted",
            LineOutcome::Extra => "extra",
            LineOutcome::Missing => "missing",
        }
    }

    pub fn parse(raw: &str) -> Option<LineOutcome> {
        [LineOutcome::Accepted, LineOutcome::Extra, LineOutcome::Missing].into_iter().find(|o| o.as_str() == raw)
    }
}

/// One line of a hand-back as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandBackLine {
    pub outcome: LineOutcome,
    pub return_id: Option<String>,
    pub item_id: Option<String>,
    pub code: Option<String>,
    pub reason: Option<String>,
    pub description: Option<String>,
    pub fee: Kopecks,
}

/// A hand-back to record.
#[derive(Debug, Clone)]
pub struct NewHandBack<'a> {
    pub id: &'a str,
    pub op_id: &'a str,
    pub pickup_point_id: &'a PickupPointId,
    pub courier_id: &'a EmployeeId,
    pub accepted_by: &'a str,
}

pub fn hand_back_exists(conn: &Connection, id: &str) -> Result<bool> {
    let found: Option<i64> =
        conn.query_row("SELECT 1 FROM courier_hand_backs WHERE id = ?1", [id], |r| r.get(0)).optional()?;
    Ok(found.is_some())
}

pub fn insert_hand_back(
    conn: &Connection,
    hand_back: &NewHandBack<'_>,
    lines: &[HandBackLine],
    now: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO courier_hand_backs (id, op_id, pickup_point_id, courier_id, accepted_by, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            hand_back.id,
            hand_back.op_id,
            hand_back.pickup_point_id.as_str(),
            hand_back.courier_id.as_str(),
            hand_back.accepted_by,
            now
        ],
    )?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO hand_back_lines (hand_back_id, line, outcome, return_id, item_id, code, reason, description, fee)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for (n, l) in lines.iter().enumerate() {
        insert.execute(params![
            hand_back.id,
            n as i64 + 1,
            l.outcome.as_str(),
            l.return_id,
            l.item_id,
            l.code,
            l.reason,
            l.description,
            l.fee.0
        ])?;
    }
    Ok(())
}

/// A hand-back's lines in the order recorded: accepted, then extras, then missing.
pub fn list_hand_back_lines(conn: &Connection, id: &str) -> Result<Vec<HandBackLine>> {
    let mut stmt = conn.prepare(
        "SELECT outcome, return_id, item_id, code, reason, description, fee FROM hand_back_lines
         WHERE hand_back_id = ?1 ORDER BY line",
    )?;
    let rows = stmt
        .query_map([id], |r| {
            let outcome: String = r.get(0)?;
            Ok(HandBackLine {
                outcome: LineOutcome::parse(&outcome)
                    .ok_or_else(|| crate::db::sql::SqlError::bad_column(0, "line outcome".into()))?,
                return_id: r.get(1)?,
                item_id: r.get(2)?,
                code: r.get(3)?,
                reason: r.get(4)?,
                description: r.get(5)?,
                fee: Kopecks(r.get(6)?),
            })
        })?
        .collect::<crate::db::sql::SqlResult<Vec<_>>>()?;
    Ok(rows)
}
