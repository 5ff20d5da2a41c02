//! What the window's status strip shows about sync: connected or not, ops waiting, photos waiting
//! to upload (and any the server refused for good), the last good sync, the last error, the ops the server rejected and nobody has marked resolved yet ("needs
//! attention") and catch-up progress.

use super::pass::PullProgress;
use crate::error::{ErrorKind, KioskError, Result};
use crate::kiosk::timestamp;
use crate::store::Db;
use crate::store::{outbox, photo_uploads, sync_settings, Acknowledgement, RejectedOp};
use crate::Kiosk;
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
    /// Counter photos the server has not confirmed yet (uploaded after their op syncs).
    pub photos_waiting: u32,
    /// Photos the server refused for good (not sent again), and the newest reason.
    pub photos_failed: u32,
    pub photo_failure: Option<String>,
    /// RFC 3339 time of the last pass that pushed and pulled everything.
    pub last_sync_at: Option<String>,
    /// The last pass's failure, for people; None once a pass succeeds.
    pub last_error: Option<String>,
    /// What kind of failure it was, for the window to translate (None when read from the store).
    pub last_error_kind: Option<ErrorKind>,
    /// Ops the server refused for good and not yet marked resolved, newest first; at most 50
    /// (`ATTENTION_SHOWN`) of them.
    pub attention: Vec<AttentionItem>,
    /// How many such ops there are in all: more than `attention` holds when the list is capped.
    pub attention_total: u32,
    /// Set while a pull with more pages to come runs.
    pub catch_up: Option<CatchUpView>,
}

/// How many rejected ops the status carries; the window says "и ещё N" for the rest.
pub const ATTENTION_SHOWN: usize = 50;

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
    /// For a claim return: the item taken back (it is at the point; a person settles it). Left out
    /// for other ops.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub claim_item_name: Option<String>,
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

    /// "Разобрано": the manager has dealt with the rejected op `seq`, which leaves the attention list
    /// (the op stays in the outbox). Counter work behind the staff guard: the manager on duty is
    /// recorded as who resolved it. Acknowledging it again changes nothing. A running engine shows it
    /// after `SyncHandle::refresh_status`.
    pub fn acknowledge_attention(&self, seq: i64) -> Result<()> {
        let at = timestamp(self.now());
        self.counter_tx(|tx| match outbox::acknowledge_rejected_op(tx, seq, &at)? {
            Acknowledgement::Recorded => Ok(()),
            Acknowledgement::NotRejected => Err(KioskError::InvalidInput(format!(
                "op {seq} was not rejected by the server; only a rejected op can be marked resolved"
            ))),
            Acknowledgement::NoSuchOp => Err(KioskError::InvalidInput(format!("there is no op {seq} in the outbox"))),
        })
    }
}

fn build_sync_status(conn: &Db<'_>) -> Result<SyncStatusView> {
    let settings = sync_settings::get_sync_settings(conn)?;
    let configured = settings.server_url.is_some() && settings.device_credential.is_some();
    let attention = outbox::list_attention(conn, ATTENTION_SHOWN)?;
    let (photos_failed, photo_failure) = photo_uploads::failed_photos(conn)?;
    Ok(SyncStatusView {
        configured,
        online: configured && settings.last_error.is_none() && settings.last_sync_at.is_some(),
        server_url: settings.server_url,
        syncing: false,
        ops_waiting: outbox::count_pending(conn)?,
        photos_waiting: photo_uploads::count_waiting_photos(conn)?,
        photos_failed,
        photo_failure,
        last_sync_at: settings.last_sync_at,
        last_error: settings.last_error,
        last_error_kind: None,
        attention: attention.newest.into_iter().map(AttentionItem::from).collect(),
        attention_total: attention.total,
        catch_up: None,
    })
}

impl From<RejectedOp> for AttentionItem {
    fn from(op: RejectedOp) -> Self {
        AttentionItem {
            seq: op.seq,
            op_id: op.op_id,
            kind: op.kind,
            order_short_code: op.order_short_code,
            claim_item_name: op.claim_item_name,
            code: op.code,
            message: op.message,
            created_at: op.created_at,
            rejected_at: op.synced_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kiosk::unix;
    use crate::store::staff_session::{self, SessionRow};
    use crate::store::StoreError;
    use pvz_domain::{EmployeeId, OrderId};
    use pvz_protocol::{EmployeeRole, EmployeeWire, OpBody};
    use std::path::Path;

    /// Writes an op opening `order` and, when `rejected`, stores the server's refusal of it.
    fn op_on(kiosk: &Kiosk, order: &str, rejected: bool) -> i64 {
        let body = OpBody::IssueOpened { order_id: OrderId::parse(order).expect("order id") };
        kiosk
            .store
            .with_tx::<_, KioskError>(|tx| {
                let entry = outbox::append_op(tx, &body, "2026-11-29T09:00:00.000Z")?;
                if rejected {
                    outbox::mark_op_rejected(
                        tx,
                        entry.seq,
                        "order_closed",
                        "issued elsewhere",
                        "2026-11-29T09:05:00.000Z",
                    )?;
                }
                Ok(entry.seq)
            })
            .expect("op written")
    }

    fn cache_order(kiosk: &Kiosk, order: &str, short_code: &str) {
        kiosk
            .store
            .with_tx::<_, KioskError>(|tx| {
                tx.execute(
                    "INSERT INTO orders (order_id, pickup_point_id, short_code, buyer, server_status)
                     VALUES (?1, 'pp-1', ?2, 'Анна К.', 'ready')",
                    [order, short_code],
                )
                .map_err(StoreError::from)?;
                Ok(())
            })
            .expect("order cached");
    }

    fn open(path: &Path) -> Kiosk {
        Kiosk::open(path).expect("kiosk opens")
    }

    fn seqs(status: &SyncStatusView) -> Vec<i64> {
        status.attention.iter().map(|item| item.seq).collect()
    }

    #[test]
    fn an_acknowledged_rejection_leaves_the_list_for_good_and_the_outbox_keeps_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("kiosk.sqlite3");
        let kiosk = open(&path);
        cache_order(&kiosk, "ord-1", "482137");
        let first = op_on(&kiosk, "ord-1", true);
        let second = op_on(&kiosk, "ord-2", true);
        op_on(&kiosk, "ord-1", false);

        let before = kiosk.sync_status().expect("status");
        assert_eq!(seqs(&before), vec![second, first], "both rejections are listed, newest first");
        assert_eq!(before.attention_total, 2, "the total counts both");
        assert_eq!(before.attention[1].order_short_code.as_deref(), Some("482137"), "a cached order is named");
        assert_eq!(before.attention[0].order_short_code, None, "an order not in the cache has no short code");
        assert_eq!(before.attention[1].kind, "issue_opened", "the op's kind is listed");
        assert_eq!(before.attention[1].rejected_at.as_deref(), Some("2026-11-29T09:05:00.000Z"), "and when");

        kiosk.acknowledge_attention(first).expect("a rejected op can be acknowledged");
        let after = kiosk.sync_status().expect("status");
        assert_eq!(seqs(&after), vec![second], "the acknowledged op leaves the list");
        assert_eq!(after.attention_total, 1, "and the count drops");
        kiosk.acknowledge_attention(first).expect("acknowledging twice is harmless");
        assert_eq!(kiosk.sync_status().expect("status"), after, "a second acknowledgement changes nothing");
        assert_eq!(kiosk.outbox().expect("outbox").len(), 3, "the outbox still holds every op");
        assert_eq!(after.ops_waiting, 1, "the pending op is not touched");

        drop(kiosk);
        let reopened = open(&path);
        let restarted = reopened.sync_status().expect("status");
        assert_eq!(seqs(&restarted), vec![second], "the acknowledgement survives a restart");
        assert_eq!(restarted.attention_total, 1, "so does the count");
    }

    #[test]
    fn an_acknowledgement_records_the_manager_on_duty() {
        let dir = tempfile::tempdir().expect("temp dir");
        let now = chrono::DateTime::from_timestamp(1_795_000_000, 0).expect("time");
        let kiosk = open(&dir.path().join("kiosk.sqlite3")).with_clock(Box::new(move || now));
        assert!(kiosk.import_seed(&pvz_protocol::demo::seed().0).expect("seed"), "a demo kiosk");
        let anna = EmployeeId::parse("emp-anna").expect("id");
        kiosk
            .store
            .with_tx::<_, KioskError>(|tx| {
                // A network with staff: Anna (her PIN is not checked here) logged in.
                let wire = EmployeeWire {
                    employee_id: anna.clone(),
                    name: "Анна".into(),
                    role: EmployeeRole::Manager,
                    retired: false,
                    pin_hash: Some("$argon2id$not-checked".into()),
                    badge_serial: 0,
                };
                crate::staff::cache_employee(tx, &wire)?;
                let row = SessionRow { manager_id: anna.clone(), logged_in_at: "t".into(), last_activity: unix(now) };
                Ok(staff_session::start_session(tx, &row)?)
            })
            .expect("Anna on duty");
        kiosk.open_shift().expect("a shift");
        let seq = op_on(&kiosk, "ord-1", true);
        kiosk.acknowledge_attention(seq).expect("Anna resolves the rejection");
        let by: Option<String> = kiosk
            .store
            .with_conn(|c| {
                c.query_row("SELECT acknowledged_by FROM outbox WHERE seq = ?1", [seq], |r| r.get(0))
                    .map_err(StoreError::from)
            })
            .expect("read");
        assert_eq!(by.as_deref(), Some("emp-anna"), "the outbox records who marked it resolved");
    }

    #[test]
    fn only_a_rejected_op_can_be_acknowledged() {
        let dir = tempfile::tempdir().expect("temp dir");
        let kiosk = open(&dir.path().join("kiosk.sqlite3"));
        let pending = op_on(&kiosk, "ord-1", false);

        let unknown = kiosk.acknowledge_attention(pending + 100).expect_err("an unknown seq");
        assert_eq!(unknown.kind(), ErrorKind::InvalidInput, "an unknown seq is bad input: {unknown}");
        assert!(unknown.to_string().contains(&(pending + 100).to_string()), "the error names the seq: {unknown}");
        let not_rejected = kiosk.acknowledge_attention(pending).expect_err("a pending op");
        assert_eq!(not_rejected.kind(), ErrorKind::InvalidInput, "a pending op is bad input: {not_rejected}");
        assert!(not_rejected.to_string().contains("not rejected"), "the error says why: {not_rejected}");
        let status = kiosk.sync_status().expect("status");
        assert_eq!(status.ops_waiting, 1, "the pending op still waits to be pushed");
        assert_eq!(status.attention_total, 0, "nothing needs attention");
    }

    #[test]
    fn a_long_list_is_capped_newest_first_and_the_total_counts_the_rest() {
        let dir = tempfile::tempdir().expect("temp dir");
        let kiosk = open(&dir.path().join("kiosk.sqlite3"));
        let all: Vec<i64> = (0..ATTENTION_SHOWN + 10).map(|_| op_on(&kiosk, "ord-1", true)).collect();
        let newest = *all.last().expect("ops written");

        let status = kiosk.sync_status().expect("status");
        assert_eq!(status.attention.len(), ATTENTION_SHOWN, "the list is capped");
        assert_eq!(status.attention_total as usize, all.len(), "the total counts every rejection");
        assert_eq!(status.attention.first().map(|item| item.seq), Some(newest), "the newest comes first");
        assert_eq!(
            status.attention.last().map(|item| item.seq),
            Some(all[all.len() - ATTENTION_SHOWN]),
            "the oldest ones are the ones left out"
        );

        kiosk.acknowledge_attention(newest).expect("acknowledged");
        let status = kiosk.sync_status().expect("status");
        assert_eq!(status.attention.len(), ATTENTION_SHOWN, "an older one moves up into the list");
        assert_eq!(status.attention_total as usize, all.len() - 1, "the total drops by one");
        assert_eq!(status.attention.first().map(|item| item.seq), Some(newest - 1), "the next newest leads");
    }

    #[test]
    fn a_resend_after_a_server_restore_needs_a_new_look() {
        let dir = tempfile::tempdir().expect("temp dir");
        let kiosk = open(&dir.path().join("kiosk.sqlite3"));
        let seq = op_on(&kiosk, "ord-1", true);
        kiosk.acknowledge_attention(seq).expect("acknowledged");
        kiosk
            .store
            .with_tx::<_, KioskError>(|tx| {
                outbox::reset_ops_to_pending_from(tx, seq)?;
                Ok(outbox::mark_op_rejected(tx, seq, "order_closed", "issued elsewhere", "later")?)
            })
            .expect("resent and rejected again");
        let status = kiosk.sync_status().expect("status");
        assert_eq!(seqs(&status), vec![seq], "the new rejection is on the list again");
    }
}
