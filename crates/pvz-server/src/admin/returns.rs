//! Admin side of what flows back through a point: couriers' manifests of items refused at the door,
//! and the custody chain of returned units.

use super::Admin;
use crate::db::custody::{self, CustodyEvent, UnitRow};

/// A returned unit with its custody log, oldest entry first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustodyUnit {
    pub unit: UnitRow,
    pub log: Vec<CustodyEvent>,
}

impl Admin {
    /// The custody chains of the units with this return id, or of this item.
    pub fn custody(&self, id: &str) -> crate::error::Result<Vec<CustodyUnit>> {
        let units = custody::list_custody(&self.conn, id.trim())?;
        Ok(units.into_iter().map(|(unit, log)| CustodyUnit { unit, log }).collect())
    }
}
