//! Срок хранения: the items still on the shelf past the point's storage period (the morning list),
//! and moving them, on the manager's confirmation, to returns as unredeemed: one `ShelfExpired` op,
//! each item a returned unit that then goes into a box, and its order no longer issued. An order goes
//! back whole, as far as it is here: its items on the shelf; an item recorded missing or damaged at
//! receiving never reached a cell, so it makes no unit and the op does not list it (the server
//! accepts an order's items so recorded being left out).
//!
//! An item's arrival is this kiosk's receiving of it, else the server's arrival of its order; an
//! item with neither (a demo or older order) is never listed. Items of cancelled orders are not
//! listed either: the network takes those back on its own.

use crate::error::{KioskError, Result};
use crate::kiosk::{new_return_id, rfc3339, timestamp};
use crate::store::shelf::{self, PlacedItemRow};
use crate::store::Db;
use crate::store::{outbox, settings, shelf_screen, storage_policy};
use crate::view::shelves::{ExpiredItemView, ExpiryView};
use crate::view::CounterView;
use crate::Kiosk;
use chrono::{DateTime, Utc};
use pvz_domain::{overdue_items, ShelfState, StoredItem, UnixSeconds};
use pvz_protocol::bounds::MAX_EXPIRED_ITEMS;
use pvz_protocol::{ExpiredItem, OpBody};
use std::collections::{BTreeSet, HashMap};

/// An item past its period, with what the list shows of it.
struct Overdue {
    item: PlacedItemRow,
    arrived_at: UnixSeconds,
    expires_at: UnixSeconds,
    days_over: u32,
}

/// The items past their period at `now`, longest expired first; `None` without a storage policy.
fn overdue(conn: &Db<'_>, now: DateTime<Utc>) -> Result<Option<Vec<Overdue>>> {
    let Some((policy, offset)) = storage_policy::get_storage_policy(conn)? else { return Ok(None) };
    let mut rows: HashMap<String, PlacedItemRow> = HashMap::new();
    let mut stored = Vec::new();
    for item in shelf::list_placed_items(conn)? {
        let arrived = item.arrived_at.as_deref().and_then(|at| DateTime::parse_from_rfc3339(at).ok());
        let Some(arrived) = arrived.filter(|_| !item.cancelled) else { continue };
        stored.push(StoredItem {
            item_id: item.item.item_id.clone(),
            category: item.item.category.clone(),
            arrived_at: UnixSeconds(arrived.timestamp()),
            state: ShelfState::OnShelf,
        });
        rows.insert(item.item.item_id.to_string(), item);
    }
    let listed = overdue_items(&stored, &policy, offset, UnixSeconds(now.timestamp()))
        .into_iter()
        .filter_map(|o| {
            let item = rows.remove(o.item.item_id.as_str())?;
            Some(Overdue { item, arrived_at: o.item.arrived_at, expires_at: o.expires_at, days_over: o.days_over })
        })
        .collect();
    Ok(Some(listed))
}

pub(crate) fn expiry_view(conn: &Db<'_>, now: DateTime<Utc>) -> Result<ExpiryView> {
    let Some(listed) = overdue(conn, now)? else { return Ok(ExpiryView { policy_loaded: false, items: Vec::new() }) };
    let items = listed
        .into_iter()
        .map(|o| ExpiredItemView {
            item_id: o.item.item.item_id.to_string(),
            order_id: o.item.item.order_id.to_string(),
            short_code: o.item.item.short_code,
            buyer: o.item.item.buyer,
            name: o.item.item.name,
            cell: o.item.cell,
            arrived_at: rfc3339(o.arrived_at),
            expires_at: rfc3339(o.expires_at),
            days_over: o.days_over,
        })
        .collect();
    Ok(ExpiryView { policy_loaded: true, items })
}

impl Kiosk {
    /// The items past their storage period now, longest expired first.
    pub fn expiry_list(&self) -> Result<ExpiryView> {
        let now = self.now();
        self.store.with_conn(|c| expiry_view(c, now))
    }

    /// Shows the expiry list on the counter (`expiry`) until closed.
    pub fn open_expiry(&self) -> Result<CounterView> {
        self.store
            .with_tx::<_, KioskError>(|tx| Ok(shelf_screen::change_shelf_screen(tx, |s| s.expiry_open = true)?))?;
        self.view()
    }

    pub fn close_expiry(&self) -> Result<CounterView> {
        self.store
            .with_tx::<_, KioskError>(|tx| Ok(shelf_screen::change_shelf_screen(tx, |s| s.expiry_open = false)?))?;
        self.view()
    }

    /// Moves the chosen items' orders to returns as unredeemed, in `ShelfExpired` ops of whole orders
    /// and at most [`MAX_EXPIRED_ITEMS`] items each (so none outgrows a push). Each
    /// chosen item must be past its period now; its whole order goes, since an order is issued whole
    /// (and the server takes it back whole): each of its items on the shelf becomes a returned unit
    /// waiting for a box, and the order leaves the counter (an open card of it is closed; scanning it
    /// again is refused).
    pub fn move_expired_to_returns(&self, item_ids: &[String]) -> Result<CounterView> {
        let chosen: BTreeSet<&str> = item_ids.iter().map(String::as_str).collect();
        if chosen.is_empty() {
            return Err(KioskError::InvalidInput("choose the items to move to returns".into()));
        }
        let now = self.now();
        self.counter_tx(|tx| {
            let listed = overdue(tx, now)?.ok_or(KioskError::StoragePolicyMissing)?;
            let mut orders = BTreeSet::new();
            for item_id in chosen {
                let Some(o) = listed.iter().find(|o| o.item.item.item_id.as_str() == item_id) else {
                    return Err(why_not_listed(tx, item_id)?);
                };
                orders.insert(o.item.item.order_id.clone());
            }
            let at = timestamp(now);
            // Ops bounded by construction: whole orders, at most MAX_EXPIRED_ITEMS items an op.
            let mut ops: Vec<Vec<ExpiredItem>> = vec![Vec::new()];
            for order_id in &orders {
                let mut of_order = Vec::new();
                for item in shelf::list_placed_items_of_order(tx, order_id)? {
                    let return_id = new_return_id();
                    shelf::insert_unredeemed_unit(tx, return_id.as_str(), &item.item.item_id, &at)?;
                    of_order.push(ExpiredItem { order_id: order_id.clone(), item_id: item.item.item_id, return_id });
                }
                let last = ops.last_mut().unwrap_or_else(|| unreachable!("starts with one op"));
                if !last.is_empty() && last.len() + of_order.len() > MAX_EXPIRED_ITEMS {
                    ops.push(of_order);
                } else {
                    last.extend(of_order);
                }
            }
            settings::change_counter_state(tx, |s| {
                if s.active_order.as_ref().is_some_and(|o| orders.contains(o)) {
                    s.active_order = None;
                }
            })?;
            for items in ops.into_iter().filter(|items| !items.is_empty()) {
                outbox::append_op(tx, &OpBody::ShelfExpired { items }, &at)?;
            }
            Ok(())
        })?;
        self.view()
    }
}

/// Why an item chosen for returns is not on the list: not past its period yet, or not on a shelf.
fn why_not_listed(conn: &Db<'_>, item_id: &str) -> Result<KioskError> {
    Ok(match shelf::get_item_place(conn, item_id)? {
        None => KioskError::ItemNotFound,
        Some(p) if p.gone => KioskError::NotOnShelf { why: "it was issued or is already in returns".into() },
        Some(p) if !p.arrived => KioskError::NotOnShelf { why: "it has not arrived at the point".into() },
        Some(p) if p.cancelled => KioskError::NotOnShelf { why: "its order was cancelled by the network".into() },
        Some(p) if p.arrived_at.is_none() => KioskError::NotOnShelf { why: "its arrival time is not known".into() },
        Some(_) => KioskError::NotExpired,
    })
}
