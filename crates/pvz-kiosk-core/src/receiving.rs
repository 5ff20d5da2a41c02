//! Приёмка: receiving an inbound shipment into cells. Scanning a shipment's code opens a session
//! (one at a time, kept in the store); each item scanned is matched against the shipment and the
//! kiosk proposes a cell (one buyer's items together), which the manager confirms by scanning a cell
//! label. Unexpected codes and damaged items are recorded as discrepancies; closing writes one
//! `ShipmentReceived` op and puts the placed items in their cells at once.

use crate::error::{KioskError, Result};
use crate::view::CounterView;
use crate::Kiosk;

fn not_built() -> KioskError {
    KioskError::Internal("receiving is being built".into())
}

impl Kiosk {
    /// Brings the open receiving session back to the counter (as scanning its code again does).
    pub fn resume_receiving(&self) -> Result<CounterView> {
        Err(not_built())
    }

    /// Records an expected item of the open session as damaged (not placed); a placed one leaves its
    /// cell. `description` says what is wrong.
    pub fn mark_damaged(&self, item_id: &str, description: &str) -> Result<CounterView> {
        let _ = (item_id, description);
        Err(not_built())
    }

    /// Attaches a photo to an item recorded as damaged in the open session; it travels with the op.
    pub fn attach_damage_photo(&self, item_id: &str, bytes: &[u8]) -> Result<CounterView> {
        let _ = (item_id, bytes);
        Err(not_built())
    }

    /// Closes the open session: one `ShipmentReceived` op (placed, missing, unexpected, damaged),
    /// and the placed items are in their cells from now on.
    pub fn close_receiving(&self) -> Result<CounterView> {
        Err(not_built())
    }

    /// Drops the open session, only while nothing is placed yet.
    pub fn cancel_receiving(&self) -> Result<CounterView> {
        Err(not_built())
    }
}
