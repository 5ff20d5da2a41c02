//! The kiosk itself and what every flow shares: the store, where photos and documents go, the clock
//! and how its moments are written, new ids, and the ids a caller passes in parsed once. The leaf
//! every capability may use; it uses none of them.

use crate::error::{KioskError, Result};
use crate::store::{settings, Db, Store};
use crate::store_lock::StoreLock;
use chrono::{DateTime, SecondsFormat, Utc};
use pvz_domain::ids::IdError;
use pvz_domain::{ItemId, OrderId, ReturnId, UnixSeconds};
use pvz_protocol::Enrollment;
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// Where "now" comes from; tests pin it.
pub type Clock = Box<dyn Fn() -> DateTime<Utc> + Send + Sync>;

pub struct Kiosk {
    pub(crate) store: Store,
    /// Defect photos, beside the store file.
    evidence_dir: PathBuf,
    /// Exported documents (PDF, PNG, HTML), beside the store file.
    documents_dir: PathBuf,
    clock: Clock,
    /// Last, so the store is closed before the next process may open it.
    _lock: StoreLock,
}

impl Kiosk {
    /// Opens the store at `path` (created and migrated as needed). Refused with
    /// [`KioskError::StoreInUse`] while another process has a store in the same directory open.
    pub fn open(path: &Path) -> Result<Kiosk> {
        let dir = path.parent().unwrap_or(Path::new("."));
        let lock = StoreLock::acquire(dir)?;
        Ok(Kiosk {
            _lock: lock,
            store: Store::open(path)?,
            evidence_dir: dir.join("evidence"),
            documents_dir: dir.join("documents"),
            clock: Box::new(Utc::now),
        })
    }

    pub fn with_clock(mut self, clock: Clock) -> Kiosk {
        self.clock = clock;
        self
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// Where photos (defect, claim return condition) are kept.
    pub(crate) fn evidence_dir(&self) -> &Path {
        &self.evidence_dir
    }

    /// Where exported documents are written.
    pub fn documents_dir(&self) -> &Path {
        &self.documents_dir
    }
}

/// A moment as the store and the ops write it: RFC 3339 in UTC, milliseconds.
pub(crate) fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub(crate) fn unix(at: DateTime<Utc>) -> UnixSeconds {
    UnixSeconds(at.timestamp())
}

/// RFC 3339 of a moment the rules computed (a moment out of chrono's range shows its seconds).
pub(crate) fn rfc3339(at: UnixSeconds) -> String {
    DateTime::from_timestamp(at.0, 0).map(timestamp).unwrap_or_else(|| at.to_string())
}

/// An id a caller passed in, parsed once with its type's own rule; a malformed one is bad input.
pub(crate) fn parse_id<T>(parse: fn(&str) -> std::result::Result<T, IdError>, raw: &str) -> Result<T> {
    parse(raw).map_err(|e| KioskError::InvalidInput(e.to_string()))
}

pub(crate) fn parse_order_id(raw: &str) -> Result<OrderId> {
    parse_id(OrderId::parse, raw)
}

pub(crate) fn parse_item_id(raw: &str) -> Result<ItemId> {
    parse_id(ItemId::parse, raw)
}

pub(crate) fn parse_return_id(raw: &str) -> Result<ReturnId> {
    parse_id(ReturnId::parse, raw)
}

/// A new returned unit's id (its return label's QR carries it).
pub(crate) fn new_return_id() -> ReturnId {
    ReturnId::parse(&Uuid::now_v7().to_string()).unwrap_or_else(|_| unreachable!("a UUID is a valid id"))
}

pub(crate) fn require_enrollment(db: &Db<'_>) -> Result<Enrollment> {
    settings::get_enrollment(db)?.ok_or(KioskError::NotEnrolled)
}
