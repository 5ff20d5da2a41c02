//! Срок хранения: the items still on the shelf past the point's storage period (the morning list),
//! and moving them, on the manager's confirmation, to returns as unredeemed: one `ShelfExpired` op,
//! each item a returned unit that then goes into a box, and its order no longer issued.

use crate::error::{KioskError, Result};
use crate::shelf_view::ExpiryView;
use crate::view::CounterView;
use crate::Kiosk;

fn not_built() -> KioskError {
    KioskError::Internal("storage expiry is being built".into())
}

impl Kiosk {
    /// The items past their storage period now, longest expired first.
    pub fn expiry_list(&self) -> Result<ExpiryView> {
        Err(not_built())
    }

    /// Shows the expiry list on the counter (`expiry`) until closed.
    pub fn open_expiry(&self) -> Result<CounterView> {
        Err(not_built())
    }

    pub fn close_expiry(&self) -> Result<CounterView> {
        Err(not_built())
    }

    /// Moves the chosen items (each past its period now) to returns as unredeemed.
    pub fn move_expired_to_returns(&self, item_ids: &[String]) -> Result<CounterView> {
        let _ = item_ids;
        Err(not_built())
    }
}
