//! Аудит: what happened to an item and who did it. The item's history from the outbox and the scan
//! log, the evidence bundle a point attaches to a dispute, and the scan log every scan goes into.

pub(crate) mod bundle;
pub(crate) mod history;
pub(crate) mod item_claims;
pub(crate) mod scan_log;
