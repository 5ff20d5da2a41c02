//! Where each counter photo stands on its way to the central server (see the migration
//! `20261212_0018_photo_uploads.sql`): waiting, uploaded (and when its file was pruned), or failed
//! for good. Every change is a guarded `UPDATE ... WHERE state = 'waiting'`: a confirmed or failed
//! photo is never moved back by a late answer.

use super::StoreError;
use pvz_protocol::OpBody;
use rusqlite::{params, Connection, OptionalExtension};

/// The photos (their SHA-256) an op names: a defect photo's own, a receiving's damaged items', a
/// claim return's condition photos.
pub fn photos_named(body: &OpBody) -> Vec<&str> {
    match body {
        OpBody::DefectPhotoAttached { sha256, .. } => vec![sha256.as_str()],
        OpBody::ShipmentReceived { damaged, .. } => {
            damaged.iter().flat_map(|d| d.photos.iter().map(|p| p.sha256.as_str())).collect()
        }
        OpBody::ClaimReturnAccepted { photos, .. } => photos.iter().map(|p| p.sha256.as_str()).collect(),
        _ => Vec::new(),
    }
}

/// Queues the upload of every photo the op `seq` names; a photo already known (another op named the
/// same bytes) keeps its row. Call it in the transaction that queues the op.
pub fn add_photos_of_op(conn: &Connection, seq: i64, body: &OpBody) -> Result<(), StoreError> {
    let mut insert = conn.prepare_cached(
        "INSERT INTO photo_uploads (sha256, first_seq) VALUES (?1, ?2) ON CONFLICT (sha256) DO NOTHING",
    )?;
    for sha256 in photos_named(body) {
        insert.execute(params![sha256.to_ascii_lowercase(), seq])?;
    }
    Ok(())
}

/// A photo to upload now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingPhoto {
    pub sha256: String,
    /// What the server last said it holds (a hint: the server's status is read before sending).
    pub acknowledged_bytes: u64,
}

/// Waiting photos whose first op has the server's answer (applied or rejected), oldest op first.
pub fn list_ready_photos(conn: &Connection, limit: usize) -> Result<Vec<WaitingPhoto>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT u.sha256, u.acknowledged_bytes FROM photo_uploads AS u JOIN outbox AS o ON o.seq = u.first_seq
         WHERE u.state = 'waiting' AND o.state IN ('applied', 'rejected')
         ORDER BY u.first_seq, u.sha256 LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit as i64], |r| {
        Ok(WaitingPhoto { sha256: r.get(0)?, acknowledged_bytes: r.get::<_, i64>(1)?.try_into().unwrap_or_default() })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The server holds `bytes` of the photo; a failed or uploaded one is left as it is.
pub fn set_acknowledged_bytes(conn: &Connection, sha256: &str, bytes: u64) -> Result<(), StoreError> {
    conn.prepare_cached("UPDATE photo_uploads SET acknowledged_bytes = ?2 WHERE sha256 = ?1 AND state = 'waiting'")?
        .execute(params![sha256, bytes as i64])?;
    Ok(())
}

/// The server confirmed the photo whole at `at`: never sent again; its file is kept for the retention
/// period from `at`.
pub fn mark_photo_uploaded(conn: &Connection, sha256: &str, size: u64, at: &str) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE photo_uploads SET state = 'uploaded', acknowledged_bytes = ?2, confirmed_at = ?3, last_error = NULL
         WHERE sha256 = ?1 AND state = 'waiting'",
    )?
    .execute(params![sha256, size as i64, at])?;
    Ok(())
}

/// The server refused the photo for good (`error` says why, for people): not sent again.
pub fn mark_photo_failed(conn: &Connection, sha256: &str, error: &str) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE photo_uploads SET state = 'failed', last_error = ?2 WHERE sha256 = ?1 AND state = 'waiting'",
    )?
    .execute(params![sha256, error])?;
    Ok(())
}

/// The photo is still waiting, and why the last try did not finish it; with `from_zero` (the server
/// dropped its parts) it starts again from byte 0.
pub fn note_photo_error(conn: &Connection, sha256: &str, error: &str, from_zero: bool) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE photo_uploads SET last_error = ?2,
             acknowledged_bytes = CASE WHEN ?3 THEN 0 ELSE acknowledged_bytes END
         WHERE sha256 = ?1 AND state = 'waiting'",
    )?
    .execute(params![sha256, error, from_zero])?;
    Ok(())
}

/// Photos not confirmed by the server yet (failed ones not counted: they will not be).
pub fn count_waiting_photos(conn: &Connection) -> Result<u32, StoreError> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM photo_uploads WHERE state = 'waiting'")?
        .query_row([], |r| r.get(0))?)
}

/// How many photos the server refused for good, and the newest reason.
pub fn failed_photos(conn: &Connection) -> Result<(u32, Option<String>), StoreError> {
    let count = conn
        .prepare_cached("SELECT count(*) FROM photo_uploads WHERE state = 'failed'")?
        .query_row([], |r| r.get(0))?;
    let reason = conn
        .prepare_cached("SELECT last_error FROM photo_uploads WHERE state = 'failed' ORDER BY first_seq DESC LIMIT 1")?
        .query_row([], |r| r.get(0))
        .optional()?
        .flatten();
    Ok((count, reason))
}

/// Uploaded photos confirmed at or before `cutoff` whose files are still kept.
pub fn list_photos_to_prune(conn: &Connection, cutoff: &str, limit: usize) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT sha256 FROM photo_uploads WHERE state = 'uploaded' AND pruned_at IS NULL AND confirmed_at <= ?1
         ORDER BY confirmed_at LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![cutoff, limit as i64], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The photo's file was deleted at `at` (the server keeps the bytes).
pub fn mark_photo_pruned(conn: &Connection, sha256: &str, at: &str) -> Result<(), StoreError> {
    conn.prepare_cached("UPDATE photo_uploads SET pruned_at = ?2 WHERE sha256 = ?1 AND state = 'uploaded'")?
        .execute(params![sha256, at])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{outbox, Store};
    use pvz_domain::{ItemId, OrderId};

    /// Where one photo stands; `None` for a photo no queued op names.
    pub fn get_photo_upload(conn: &Connection, sha256: &str) -> Result<Option<PhotoUploadRow>, StoreError> {
        Ok(conn
            .prepare_cached(
                "SELECT state, acknowledged_bytes, last_error, confirmed_at, pruned_at FROM photo_uploads WHERE sha256 = ?1",
            )?
            .query_row([sha256.to_ascii_lowercase()], |r| {
                Ok(PhotoUploadRow {
                    state: r.get(0)?,
                    acknowledged_bytes: r.get::<_, i64>(1)?.try_into().unwrap_or_default(),
                    last_error: r.get(2)?,
                    confirmed_at: r.get(3)?,
                    pruned_at: r.get(4)?,
                })
            })
            .optional()?)
    }

    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct PhotoUploadRow {
        /// `waiting`, `uploaded` or `failed`.
        pub state: String,
        pub acknowledged_bytes: u64,
        pub last_error: Option<String>,
        pub confirmed_at: Option<String>,
        pub pruned_at: Option<String>,
    }

    const SHA: &str = "ab01ab01ab01ab01ab01ab01ab01ab01ab01ab01ab01ab01ab01ab01ab01ab01";

    fn photo_op() -> OpBody {
        OpBody::DefectPhotoAttached {
            order_id: OrderId::parse("ord-1").expect("id"),
            item_id: ItemId::parse("itm-1").expect("id"),
            photo_id: "p1".into(),
            sha256: SHA.to_ascii_uppercase(),
            media_type: "image/png".into(),
            size_bytes: 10,
        }
    }

    fn store_with_photo_op() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("kiosk.sqlite3")).expect("store");
        store
            .with_tx::<_, StoreError>(|tx| outbox::append_op(tx, &photo_op(), "2026-12-07T10:00:00.000Z").map(drop))
            .expect("op queued");
        (dir, store)
    }

    fn row(store: &Store) -> PhotoUploadRow {
        store.with_conn(|c| get_photo_upload(c, SHA)).expect("read").expect("the photo has an upload row")
    }

    #[test]
    fn a_photo_waits_for_its_ops_answer_then_for_the_server_to_confirm_it() {
        let (_dir, store) = store_with_photo_op();
        assert_eq!(row(&store).state, "waiting", "queuing the op queued its photo, by its lowercase hash");
        assert_eq!(store.with_conn(|c| count_waiting_photos(c)).ok(), Some(1), "one photo waits");
        let ready = || store.with_conn(|c| list_ready_photos(c, 10)).expect("ready");
        assert!(ready().is_empty(), "a photo is not sent before the server has its op");
        store
            .with_tx::<_, StoreError>(|tx| outbox::mark_op_rejected(tx, 1, "order_closed", "issued", "t"))
            .expect("rejected");
        assert_eq!(ready().len(), 1, "a rejected op's photo is sent too");

        store.with_tx(|tx| set_acknowledged_bytes(tx, SHA, 4)).expect("partial");
        assert_eq!(ready()[0].acknowledged_bytes, 4, "the server's offset is kept");
        store.with_tx(|tx| note_photo_error(tx, SHA, "hash mismatch", true)).expect("dropped");
        assert_eq!(
            (row(&store).acknowledged_bytes, row(&store).last_error.as_deref()),
            (0, Some("hash mismatch")),
            "starts again from 0, the reason kept"
        );
        store.with_tx(|tx| mark_photo_uploaded(tx, SHA, 10, "2026-12-07T10:01:00.000Z")).expect("stored");
        let uploaded = row(&store);
        assert_eq!(
            (uploaded.state.as_str(), uploaded.acknowledged_bytes, uploaded.last_error.as_deref()),
            ("uploaded", 10, None),
            "confirmed whole"
        );
        assert!(ready().is_empty(), "a confirmed photo is never sent again");
        assert_eq!(store.with_conn(|c| count_waiting_photos(c)).ok(), Some(0), "nothing waits");

        store.with_tx(|tx| mark_photo_failed(tx, SHA, "late refusal")).expect("guarded");
        store.with_tx(|tx| set_acknowledged_bytes(tx, SHA, 3)).expect("guarded");
        assert_eq!(row(&store), uploaded, "a late answer does not move a confirmed photo back");
    }

    #[test]
    fn photos_of_ops_queued_before_the_upload_release_wait_after_the_upgrade() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("kiosk.sqlite3");
        let damaged = "cd02".repeat(16);
        {
            let mut conn = Connection::open(&path).expect("open");
            crate::store::migrations().to_version(&mut conn, 17).expect("the schema before photo uploads");
            let defect = serde_json::to_string(&photo_op()).expect("json");
            let receiving = format!(
                r#"{{"type":"shipment_received","shipment_id":"shp-1","placed":[],"missing":[],"unexpected":[],
                   "damaged":[{{"order_id":"ord-1","item_id":"itm-2","description":"мятая коробка",
                   "photos":[{{"photo_id":"p2","sha256":"{damaged}","media_type":"image/jpeg","size_bytes":5}}]}}]}}"#
            );
            let mut insert = conn
                .prepare("INSERT INTO outbox (seq, op_id, kind, payload, created_at, state) VALUES (?1, ?2, ?3, ?4, 't', ?5)")
                .expect("insert");
            for (seq, kind, payload, state) in [
                (1, "defect_photo_attached", defect.as_str(), "applied"),
                (2, "issue_opened", r#"{"type":"issue_opened","order_id":"ord-1"}"#, "applied"),
                (3, "shipment_received", receiving.as_str(), "pending"),
                (4, "defect_photo_attached", defect.as_str(), "pending"),
            ] {
                insert.execute(params![seq, format!("op-{seq}"), kind, payload, state]).expect("an old op");
            }
        }
        let store = Store::open(&path).expect("opening upgrades to the latest schema");
        let ready = store.with_conn(|c| list_ready_photos(c, 10)).expect("ready");
        assert_eq!(
            ready.iter().map(|p| p.sha256.as_str()).collect::<Vec<_>>(),
            [SHA],
            "the synced op's photo goes first, once"
        );
        assert_eq!(
            store.with_conn(|c| count_waiting_photos(c)).ok(),
            Some(2),
            "the queued receiving's photo waits too"
        );
    }

    #[test]
    fn a_refused_photo_is_counted_with_its_reason_and_not_sent_again() {
        let (_dir, store) = store_with_photo_op();
        store.with_tx::<_, StoreError>(|tx| outbox::mark_op_applied(tx, 1, "t")).expect("applied");
        store.with_tx(|tx| mark_photo_failed(tx, SHA, "413: too large")).expect("failed");
        assert_eq!(
            store.with_conn(|c| failed_photos(c)).ok(),
            Some((1, Some("413: too large".into()))),
            "counted, with why"
        );
        assert_eq!(store.with_conn(|c| count_waiting_photos(c)).ok(), Some(0), "not waiting: it will not be sent");
        assert!(store.with_conn(|c| list_ready_photos(c, 10)).expect("ready").is_empty(), "never sent again");
        store.with_tx(|tx| mark_photo_uploaded(tx, SHA, 10, "t")).expect("guarded");
        assert_eq!(row(&store).state, "failed", "a failed photo stays failed");
    }

    #[test]
    fn only_photos_confirmed_before_the_cutoff_are_pruned_and_once() {
        let (_dir, store) = store_with_photo_op();
        let to_prune = |cutoff: &str| store.with_conn(|c| list_photos_to_prune(c, cutoff, 10)).expect("list");
        assert!(to_prune("2099-01-01T00:00:00.000Z").is_empty(), "a waiting photo's file is kept");
        store.with_tx(|tx| mark_photo_uploaded(tx, SHA, 10, "2026-12-07T10:00:00.000Z")).expect("stored");
        assert!(to_prune("2026-12-07T09:59:59.999Z").is_empty(), "kept within the period");
        assert_eq!(to_prune("2026-12-07T10:00:00.000Z"), [SHA], "pruned once the period is over");
        store.with_tx(|tx| mark_photo_pruned(tx, SHA, "2027-03-07T10:00:00.000Z")).expect("pruned");
        assert!(to_prune("2099-01-01T00:00:00.000Z").is_empty(), "a pruned photo is not pruned again");
    }
}
