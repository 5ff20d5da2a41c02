//! Admin side of the audit: the ops a point's kiosks pushed (who did what, on which device, when,
//! and what the server made of it) and the shifts they opened and closed, with their reports.

use super::{parse_id, Admin};
use crate::db::ops::{self, OpRow};
use crate::db::shifts::{self, ShiftRow};
use crate::error::Result;
use pvz_domain::PickupPointId;

impl Admin {
    /// The point's ops, the latest received first, at most `limit`.
    pub fn ops(&self, point: &str, limit: u32) -> Result<Vec<OpRow>> {
        ops::list_ops(&self.conn, &parse_id(PickupPointId::parse, point)?, limit)
    }

    /// The point's shifts, the latest opened first.
    pub fn shifts(&self, point: &str) -> Result<Vec<ShiftRow>> {
        shifts::list_shifts(&self.conn, &parse_id(PickupPointId::parse, point)?)
    }
}
