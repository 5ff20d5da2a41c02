//! Server-owned data arriving at the kiosk: a page of the pull feed applied to the cache tables in
//! one transaction (a reset page rebuilds the cache first), and the demo seed (an enrollment plus
//! one pull page) for a kiosk without a server.

use crate::error::{KioskError, Result};
use crate::store::Db;
use crate::store::{cell_placements, cells, employees, orders, settings, shipments, storage_policy, sync_settings};
use crate::Kiosk;
use pvz_domain::UtcOffset;
use pvz_protocol::{Change, DemoSeed, PublicKey, PullPage};
use std::path::Path;

impl Kiosk {
    pub fn is_enrolled(&self) -> Result<bool> {
        self.store.with_conn(|c| Ok(settings::get_enrollment(c)?.is_some()))
    }

    /// Enrolls from a demo seed and loads its data, unless already enrolled (a restart keeps
    /// everything the counter did). Returns whether the seed was imported.
    pub fn import_seed(&self, seed: &DemoSeed) -> Result<bool> {
        PublicKey::parse(&seed.enrollment.server_public_key)
            .map_err(|_| KioskError::InvalidInput("the seed's server key is not an ed25519 key".into()))?;
        self.store.with_tx::<_, KioskError>(|tx| {
            if settings::get_enrollment(tx)?.is_some() {
                return Ok(false);
            }
            settings::save_enrollment(tx, &seed.enrollment)?;
            apply_page(tx, &seed.pull)?;
            Ok(true)
        })
    }

    /// Reads a demo seed file (an enrollment and one pull page) and imports it; see `import_seed`.
    pub fn import_seed_file(&self, path: &Path) -> Result<bool> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| KioskError::InvalidInput(format!("cannot read the seed file {}: {e}", path.display())))?;
        let seed: DemoSeed = serde_json::from_str(&text).map_err(|e| {
            KioskError::InvalidInput(format!("the seed file {} is not a demo seed: {e}", path.display()))
        })?;
        self.import_seed(&seed)
    }

    /// Applies one page of the server's pull feed to the cache tables, in one transaction.
    pub fn apply_pull(&self, page: &PullPage) -> Result<()> {
        self.store.with_tx(|tx| apply_page(tx, page))
    }
}

/// Where a pull starts: the stored cursor and the enrollment generation it belongs to. A page is
/// applied only if the generation is still the one it was fetched under (see [`apply_page_from`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PullPosition {
    pub cursor: Option<String>,
    pub generation: i64,
}

pub(crate) fn pull_position(conn: &Db<'_>) -> Result<PullPosition> {
    Ok(PullPosition {
        cursor: settings::get_pull_cursor(conn)?,
        generation: sync_settings::get_enrollment_generation(conn)?,
    })
}

/// Whether a page was applied or dropped as fetched before an enrollment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PageFate {
    Applied,
    /// The kiosk enrolled (cache and cursor cleared) after the page was asked for: applying it
    /// would move the cursor past everything the cache lost. Nothing was written.
    Stale,
}

/// Applies a page fetched from `fetched_at`, unless the kiosk enrolled since (checked inside the
/// caller's transaction, so an enrollment cannot slip in between).
pub(crate) fn apply_page_from(conn: &Db<'_>, page: &PullPage, fetched_at: &PullPosition) -> Result<PageFate> {
    if sync_settings::get_enrollment_generation(conn)? != fetched_at.generation {
        tracing::info!("dropping a pull page fetched before the kiosk enrolled again");
        return Ok(PageFate::Stale);
    }
    apply_page(conn, page)?;
    Ok(PageFate::Applied)
}

/// Applies one page inside the caller's transaction. A reset page first drops the cache tables (see
/// `clear_cache`); the kiosk's own records stay.
pub(crate) fn apply_page(conn: &Db<'_>, page: &PullPage) -> Result<()> {
    if page.reset {
        clear_cache(conn)?;
    }
    for change in &page.changes {
        match change {
            Change::UpsertOrder(order) => {
                orders::upsert_order(conn, order)?;
                // The server has answered this kiosk's placements of the order: the feed now says where it is.
                cell_placements::settle_answered(conn, &order.order_id)?;
            }
            Change::SetFeePolicy(policy) => settings::replace_fee_policy(conn, policy)?,
            // Decisions, issues and outbox ops on the order stay: they are the kiosk's own records,
            // and an issue that crossed the cancellation must still reach the server to be rejected.
            Change::CancelOrder { order_id } => {
                orders::mark_order_cancelled(conn, order_id)?;
            }
            Change::UpsertEmployee(employee) => crate::staff::cache_employee(conn, employee)?,
            // An offset beyond any real zone is a server bug: the old policy stays rather than the feed stopping.
            Change::SetStoragePolicy { policy, utc_offset_seconds } => {
                match UtcOffset::from_seconds(*utc_offset_seconds) {
                    Ok(offset) => storage_policy::set_storage_policy(conn, policy, offset)?,
                    Err(e) => tracing::warn!(error = %e, "skipping a storage policy the server sent"),
                }
            }
            Change::SetCells { cells: list } => cells::replace_cells(conn, list)?,
            Change::UpsertShipment(shipment) => shipments::upsert_shipment(conn, shipment)?,
            Change::SetServerKeys { keys } => {
                crate::codes::trust_server_keys(conn, keys)?;
            }
            // A change type from a newer server is skipped.
            Change::Unknown => {}
        }
    }
    settings::set_pull_cursor(conn, &page.cursor)?;
    Ok(())
}

/// Drops what the server owns (orders, their items, the fee policy, employees, the storage policy,
/// cells, shipments) so the next pull rebuilds it: on a reset page, and at enrollment (whatever was
/// cached came from a demo seed or another enrollment, and a pull from no cursor is not a reset).
/// The kiosk's own records stay: outbox, decisions, issues, receivings and placements, the screen,
/// and whether staff login is switched on (so login stays required while employees are re-sent).
pub(crate) fn clear_cache(conn: &Db<'_>) -> Result<()> {
    orders::delete_all_orders(conn)?;
    settings::clear_fee_policy(conn)?;
    employees::delete_all_employees(conn)?;
    storage_policy::clear_storage_policy(conn)?;
    cells::delete_all_cells(conn)?;
    shipments::delete_all_shipments(conn)?;
    Ok(())
}
