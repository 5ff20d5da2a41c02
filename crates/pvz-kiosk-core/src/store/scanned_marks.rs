//! Marking codes scanned off items of the open order, kept until the op handing the item over
//! carries them (see the `scanned_marks` migration).

use super::StoreError;
use pvz_domain::{ItemId, OrderId};
use rusqlite::{params, Connection, OptionalExtension};

/// Records `mark` as the code scanned off this item, replacing an earlier scan's.
pub fn set_scanned_mark(
    conn: &Connection,
    order_id: &OrderId,
    item_id: &str,
    mark: &str,
    at: &str,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO scanned_marks (item_id, order_id, mark, scanned_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (item_id) DO UPDATE SET order_id = excluded.order_id, mark = excluded.mark,
             scanned_at = excluded.scanned_at",
    )?
    .execute(params![item_id, order_id.as_str(), mark, at])?;
    Ok(())
}

/// The marking code last scanned off this item, if any.
pub fn get_scanned_mark(conn: &Connection, item_id: &ItemId) -> Result<Option<String>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT mark FROM scanned_marks WHERE item_id = ?1")?;
    Ok(stmt.query_row([item_id.as_str()], |r| r.get(0)).optional()?)
}
