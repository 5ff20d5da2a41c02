//! The counter's side of the power-cut test: a manager issuing orders one after another, and a
//! record of every step the counter showed as done (its call returned Ok). A failed step, as every
//! step after the kiosk's power went, stops the work; nothing is recorded for it.

use pvz_chain::network::short_code;
use pvz_kiosk_core::{Kiosk, KioskError};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use uuid::Uuid;

/// What the counter showed as done.
#[derive(Debug, Default, Clone)]
pub struct Shown {
    /// (op kind, order id) of each step that returned Ok: a card opened, items handed over, an
    /// issue completed.
    pub steps: BTreeSet<(&'static str, String)>,
    /// The op id on each receipt shown.
    pub receipts: BTreeSet<Uuid>,
}

/// Issues orders from `from` up to `orders` until one fails or `stop` is set; returns the order
/// to resume with (the one that failed may have been half done, and is finished first next time).
pub fn work(kiosk: &Kiosk, from: u32, orders: u32, shown: &Mutex<Shown>, stop: &AtomicBool) -> u32 {
    let mut n = from;
    while n < orders && !stop.load(Ordering::SeqCst) {
        if issue(kiosk, n, shown).is_err() {
            return n;
        }
        n += 1;
    }
    n
}

fn record(shown: &Mutex<Shown>, kind: &'static str, order_id: &str) {
    shown.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).steps.insert((kind, order_id.to_owned()));
}

/// [`pvz_chain::network::issue`], step by step, with each step's success written down and a
/// failure returned rather than a panic.
fn issue(kiosk: &Kiosk, n: u32, shown: &Mutex<Shown>) -> Result<(), KioskError> {
    let view = kiosk.view()?;
    let card = match view.screen.order() {
        Some(card) => card.clone(),
        None => match kiosk.scan(&short_code(n)) {
            Ok(outcome) => {
                let card = outcome.view.screen.order().cloned().expect("a scanned order opens its card");
                record(shown, "issue_opened", &card.order_id);
                card
            }
            // Completed before a cut that came before the receipt was shown: durable anyway.
            Err(KioskError::AlreadyIssued { .. }) => return Ok(()),
            Err(e) => return Err(e),
        },
    };
    let decided = kiosk.hand_over_rest(&card.order_id)?;
    record(shown, "item_decided", &card.order_id);
    let to_collect = decided.screen.order().expect("the card stays open until confirmed").settlement.to_collect;
    let done = kiosk.confirm_issue(&card.order_id, to_collect, true)?;
    let receipt = done.screen.receipt().expect("a receipt after confirming");
    let op_id = Uuid::parse_str(&receipt.op_id).expect("the receipt shows an op id");
    record(shown, "issue_completed", &card.order_id);
    shown.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).receipts.insert(op_id);
    kiosk.dismiss_receipt()?;
    Ok(())
}
