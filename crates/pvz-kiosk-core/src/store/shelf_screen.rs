//! What the shelf screens show, so a restart comes back to them: the item `find_item` found (an
//! order item, or a returned unit that matched none) and whether the expiry list is open.

use super::StoreError;
use rusqlite::{params, Connection};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShelfScreen {
    pub found_item: Option<String>,
    pub found_return: Option<String>,
    /// Other items carrying the code the found one was found by.
    pub found_matches: u32,
    pub expiry_open: bool,
}

impl ShelfScreen {
    pub fn is_showing_found(&self) -> bool {
        self.found_item.is_some() || self.found_return.is_some()
    }
}

pub fn get_shelf_screen(conn: &Connection) -> Result<ShelfScreen, StoreError> {
    Ok(conn
        .prepare_cached("SELECT found_item_id, found_return_id, found_matches, expiry_open FROM shelf_screen")?
        .query_row([], |r| {
            Ok(ShelfScreen {
                found_item: r.get(0)?,
                found_return: r.get(1)?,
                found_matches: r.get(2)?,
                expiry_open: r.get(3)?,
            })
        })?)
}

/// Reads the screen, lets `change` edit it and writes it back, in the caller's transaction.
pub fn change_shelf_screen(conn: &Connection, change: impl FnOnce(&mut ShelfScreen)) -> Result<(), StoreError> {
    let mut screen = get_shelf_screen(conn)?;
    change(&mut screen);
    conn.prepare_cached(
        "UPDATE shelf_screen SET found_item_id = ?1, found_return_id = ?2, found_matches = ?3, expiry_open = ?4",
    )?
    .execute(params![screen.found_item, screen.found_return, screen.found_matches, screen.expiry_open])?;
    Ok(())
}
