//! What is on the counter now (the counter state the store keeps): the one rule every flow
//! obeys before it starts work, and screen-only changes to that state.

use crate::error::{KioskError, Result};
use crate::store::{settings, CounterState};
use crate::view::CounterView;
use crate::Kiosk;

/// Nothing else starts while a courier's hand-back is open.
pub(crate) fn ensure_no_hand_back(state: &CounterState) -> Result<()> {
    match state.hand_back {
        Some(_) => Err(KioskError::HandBackInProgress),
        None => Ok(()),
    }
}

impl Kiosk {
    /// Changes what the counter shows (a screen opened or dismissed) without recording counter work.
    pub(crate) fn update_counter_state(&self, change: impl FnOnce(&mut CounterState)) -> Result<CounterView> {
        self.store.with_tx::<_, KioskError>(|tx| Ok(settings::change_counter_state(tx, change)?))?;
        self.view()
    }
}
