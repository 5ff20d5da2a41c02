//! Sync with the central server, by the contract in `pvz_protocol::sync`: enrollment, a pass that
//! pushes the outbox, pulls the feed and uploads the counter's photos, and an engine that runs passes in the background. Usable
//! without any window: `sync_until_idle` is one pass, `SyncEngine` the long-running form.

mod apply_pull;

pub(crate) mod client;
mod engine;
mod enroll;
pub(crate) mod pass;
mod status;
mod upload;

pub(crate) use client::server_access;
pub use client::{ClientConfig, PHOTO_RETENTION_DAYS};
pub use engine::{EngineConfig, StatusListener, SyncEngine, SyncHandle, SyncTask};
pub use enroll::{enroll, enroll_when_reachable, enroll_with, resume_enrollment};
pub use pass::{sync_until_idle, sync_until_idle_with, PullProgress, SyncReport};
pub use status::{AttentionItem, CatchUpView, SyncStatusView, ATTENTION_SHOWN};
pub(crate) use upload::fetch_evidence;

use crate::error::Result;
use crate::store::{outbox, OutboxEntry};
use crate::Kiosk;

impl Kiosk {
    /// The outbox in `seq` order (what a sync push will send).
    pub fn outbox(&self) -> Result<Vec<OutboxEntry>> {
        self.store.with_conn(|c| Ok(outbox::list_ops(c)?))
    }
}
