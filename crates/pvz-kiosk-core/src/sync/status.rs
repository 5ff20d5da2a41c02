//! What the window's status strip shows about sync: connected or not, ops waiting, the last good
//! sync, the last error, the ops the server rejected ("needs attention") and catch-up progress.

use super::pass::PullProgress;
use crate::error::{ErrorKind, KioskError, Result};
use crate::store::{orders, outbox, sync_settings, RejectedOp};
use crate::Kiosk;
use pvz_domain::OrderId;
use pvz_protocol::OpBody;
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SyncStatusView {
    /// Enrolled with a central server (a demo-seeded kiosk is not).
    pub configured: bool,
    pub server_url: Option<String>,
    /// The last call reached the server.
    pub online: bool,
    /// A pass is running now.
    pub syncing: bool,
    pub ops_waiting: u32,
    /// RFC 3339 time of the last pass that pushed and pulled everything.
    pub last_sync_at: Option<String>,
    /// The last pass's failure, for people; None once a pass succeeds.
    pub last_error: Option<String>,
    /// What kind of failure it was, for the window to translate (None when read from the store).
    pub last_error_kind: Option<ErrorKind>,
    /// Ops the server refused for good, newest first.
    pub attention: Vec<AttentionItem>,
    /// Set while a pull with more pages to come runs.
    pub catch_up: Option<CatchUpView>,
}

/// A rejected op on the "needs attention" list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct AttentionItem {
    #[ts(type = "number")]
    pub seq: i64,
    pub op_id: String,
    /// The op's kind, e.g. `issue_completed`.
    pub kind: String,
    /// The order's short code, when the op is about an order still in the cache.
    pub order_short_code: Option<String>,
    /// The server's stable reason code, e.g. `order_closed`.
    pub code: String,
    /// The server's reason, for people.
    pub message: String,
    /// When the counter did it (RFC 3339).
    pub created_at: String,
    /// When the rejection arrived (RFC 3339).
    pub rejected_at: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CatchUpView {
    pub pages_done: u32,
    #[ts(type = "number")]
    pub changes_done: u64,
    #[ts(type = "number")]
    pub changes_remaining: u64,
}

impl From<PullProgress> for CatchUpView {
    fn from(p: PullProgress) -> Self {
        CatchUpView { pages_done: p.pages_done, changes_done: p.changes_done, changes_remaining: p.remaining }
    }
}

impl Kiosk {
    /// Sync status as the store knows it. `online` is a guess from the last pass (a running engine
    /// knows better and says so in the status it publishes).
    pub fn sync_status(&self) -> Result<SyncStatusView> {
        self.store.with_conn(build_sync_status)
    }
}

fn build_sync_status(conn: &Connection) -> Result<SyncStatusView> {
    let settings = sync_settings::get_sync_settings(conn)?;
    let configured = settings.server_url.is_some() && settings.device_credential.is_some();
    let attention =
        outbox::list_rejected_ops(conn)?.into_iter().map(|op| attention_item(conn, op)).collect::<Result<Vec<_>>>()?;
    Ok(SyncStatusView {
        configured,
        online: configured && settings.last_error.is_none() && settings.last_sync_at.is_some(),
        server_url: settings.server_url,
        syncing: false,
        ops_waiting: outbox::count_pending(conn)?,
        last_sync_at: settings.last_sync_at,
        last_error: settings.last_error,
        last_error_kind: None,
        attention,
        catch_up: None,
    })
}

fn attention_item(conn: &Connection, op: RejectedOp) -> Result<AttentionItem, KioskError> {
    let order_short_code = match order_of(&op.entry.body) {
        Some(order_id) => orders::get_order(conn, order_id)?.map(|o| o.short_code),
        None => None,
    };
    Ok(AttentionItem {
        seq: op.entry.seq,
        op_id: op.entry.op_id.to_string(),
        kind: op.entry.body.kind().to_owned(),
        order_short_code,
        code: op.code,
        message: op.message,
        created_at: op.created_at,
        rejected_at: op.synced_at,
    })
}

fn order_of(body: &OpBody) -> Option<&OrderId> {
    match body {
        OpBody::IssueOpened { order_id }
        | OpBody::ItemDecided { order_id, .. }
        | OpBody::DefectPhotoAttached { order_id, .. }
        | OpBody::ItemDecisionCleared { order_id, .. }
        | OpBody::IssueCompleted { order_id, .. } => Some(order_id),
    }
}
