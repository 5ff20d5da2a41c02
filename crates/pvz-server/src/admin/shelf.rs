//! Admin side of a point's shelves: its storage policy (срок хранения) and UTC offset, its cells
//! (ячейки), and the inbound shipments (приёмка) it should expect. Each change reaches the point's
//! kiosks in the pull feed (and again on a reset).

use super::{check_prices, parse_id, Admin};
use crate::db::orders::{self, NewOrder};
use crate::db::shipments::{self, Discrepancy, NewShipment, ShipmentRow};
use crate::db::{self, cells, points, shelf};
use crate::error::{Result, ServerError};
use pvz_domain::{Cell, CellLabel, OrderId, PickupPointId, ShortCode, StoragePolicy, UtcOffset};
use pvz_protocol::ShipmentItemWire;
use std::collections::BTreeSet;

/// A shipment just added: its id and its orders' ids and short codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShipmentAdded {
    pub shipment_id: String,
    pub orders: Vec<(OrderId, ShortCode)>,
}

/// Cells as people type them: `LABEL:CAPACITY` (`A-01:10`), or a run of racks in one zone
/// `A-01..A-12:6`. Labels are read by `CellLabel` (so `a-1` is `A-01`); a label twice is refused.
pub fn parse_cells(specs: &[String]) -> Result<Vec<Cell>> {
    let bad = |spec: &str, why: String| ServerError::BadRequest(format!("cell {spec:?}: {why}"));
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for spec in specs {
        let (labels, capacity) =
            spec.rsplit_once(':').ok_or_else(|| bad(spec, "expected LABEL:CAPACITY, e.g. A-01:10".into()))?;
        let capacity: u32 = capacity.trim().parse().map_err(|_| bad(spec, "the capacity is a whole number".into()))?;
        let run = match labels.split_once("..") {
            None => vec![CellLabel::parse(labels).map_err(|e| bad(spec, e.to_string()))?],
            Some((first, last)) => {
                let (first, last) = (
                    CellLabel::parse(first).map_err(|e| bad(spec, e.to_string()))?,
                    CellLabel::parse(last).map_err(|e| bad(spec, e.to_string()))?,
                );
                let same_row = first.zone() == last.zone() && first.shelf() == last.shelf();
                if !same_row || first.rack() > last.rack() {
                    return Err(bad(spec, "a run goes up the racks of one zone, e.g. A-01..A-12".into()));
                }
                (first.rack()..=last.rack())
                    .map(|rack| CellLabel::new(first.zone(), rack, first.shelf()).map_err(|e| bad(spec, e.to_string())))
                    .collect::<Result<Vec<_>>>()?
            }
        };
        for label in run {
            if !seen.insert(label.clone()) {
                return Err(bad(spec, format!("{label} is listed twice")));
            }
            out.push(Cell { label, capacity });
        }
    }
    Ok(out)
}

impl Admin {
    /// Sets the point's storage policy. `offset` is the UTC offset its local days are counted in;
    /// `None` keeps the point's current one (UTC+3, Moscow, for a point that had none).
    pub fn set_storage_policy(&self, point: &str, policy: &StoragePolicy, offset: Option<UtcOffset>) -> Result<()> {
        let point = parse_id(PickupPointId::parse, point)?;
        if policy.per_category.keys().any(|c| c.trim().is_empty()) {
            return Err(ServerError::BadRequest("a category's period needs a category name, e.g. food=3".into()));
        }
        let tx = self.conn.transaction()?;
        points::require_point(&tx, &point)?;
        let current = points::get_storage_policy(&tx, &point)?.map(|(_, offset)| offset);
        let offset = offset.or(current).unwrap_or(UtcOffset::MOSCOW);
        points::set_storage_policy(&tx, &point, policy, offset)?;
        Ok(tx.commit()?)
    }

    /// The point's storage policy and offset; `None` until one is set.
    pub fn storage_policy(&self, point: &str) -> Result<Option<(StoragePolicy, UtcOffset)>> {
        points::get_storage_policy(&self.conn, &parse_id(PickupPointId::parse, point)?)
    }

    /// Replaces the point's cells (see [`parse_cells`]); at least one, no label twice.
    pub fn set_cells(&self, point: &str, new: &[Cell]) -> Result<()> {
        let point = parse_id(PickupPointId::parse, point)?;
        if new.is_empty() {
            return Err(ServerError::BadRequest("a pickup point needs at least one cell".into()));
        }
        let mut seen = BTreeSet::new();
        if let Some(twice) = new.iter().find(|c| !seen.insert(&c.label)) {
            return Err(ServerError::BadRequest(format!("cell {} is listed twice", twice.label)));
        }
        let tx = self.conn.transaction()?;
        points::require_point(&tx, &point)?;
        cells::set_cells(&tx, &point, new)?;
        Ok(tx.commit()?)
    }

    pub fn cells(&self, point: &str) -> Result<Vec<Cell>> {
        cells::list_cells(&self.conn, &parse_id(PickupPointId::parse, point)?)
    }

    /// Adds a shipment the point should expect, with its orders: each order is created ready but not
    /// arrived (no arrival time, its items in no cell) and every item of it is on the shipment.
    /// `code` is what the shipment's label carries (unique at the point); `id` defaults to a fresh
    /// `shp-<uuid>`; `expected_at` is RFC 3339.
    pub fn add_shipment(
        &self,
        point: &str,
        id: Option<&str>,
        code: &str,
        expected_at: Option<&str>,
        new: &[NewOrder],
    ) -> Result<ShipmentAdded> {
        let point = parse_id(PickupPointId::parse, point)?;
        let code = code.trim();
        if code.is_empty() || code.chars().any(char::is_whitespace) {
            return Err(ServerError::BadRequest("a shipment code is one word, as its label carries it".into()));
        }
        let id = match id.map(str::trim) {
            Some(id) if !id.is_empty() => id.to_owned(),
            Some(_) => return Err(ServerError::BadRequest("a shipment id must not be empty".into())),
            None => format!("shp-{}", uuid::Uuid::now_v7().simple()),
        };
        if let Some(at) = expected_at {
            chrono::DateTime::parse_from_rfc3339(at)
                .map_err(|e| ServerError::BadRequest(format!("expected_at {at:?} is not RFC 3339: {e}")))?;
        }
        if new.is_empty() || new.iter().any(|o| o.items.is_empty()) {
            return Err(ServerError::BadRequest("a shipment brings at least one order, each with items".into()));
        }
        check_prices(new)?;
        let tx = self.conn.transaction()?;
        points::require_point(&tx, &point)?;
        if shipments::shipment_taken(&tx, &id, &point, code)? {
            return Err(ServerError::BadRequest(format!("shipment {id} or code {code} at {point} exists already")));
        }
        let now = db::now_text();
        // The shipment's feed version comes before its orders': a kiosk whose pull stops between the
        // two then knows the shipment first, and never takes its orders for ones with no shipment to
        // wait for (which it would let the counter issue).
        let shipment_version = points::bump_version(&tx, &point, 1)?;
        let mut items = Vec::new();
        for (i, order) in new.iter().enumerate() {
            if orders::order_point(&tx, &order.id)?.is_some() {
                return Err(ServerError::BadRequest(format!("order {} exists already", order.id)));
            }
            let twice = new[..i].iter().any(|o| o.short_code == order.short_code);
            if twice || shelf::short_code_waiting(&tx, &point, &order.short_code)? {
                return Err(ServerError::BadRequest(format!(
                    "short code {} of order {} is held by another order waiting at {point}",
                    order.short_code, order.id
                )));
            }
            let mut order = order.clone();
            for item in &mut order.items {
                item.cell = String::new();
                items.push(ShipmentItemWire { order_id: order.id.clone(), item_id: item.id.clone(), missing: false });
            }
            let version = points::bump_version(&tx, &point, 1)?;
            orders::insert_expected_order(&tx, &point, &order, version, &now)?;
        }
        let shipment = NewShipment { id: &id, pickup_point_id: &point, code, expected_at, items: &items };
        shipments::insert_shipment(&tx, &shipment, shipment_version, &now)?;
        tx.commit()?;
        let orders = new.iter().map(|o| (o.id.clone(), o.short_code.clone())).collect();
        Ok(ShipmentAdded { shipment_id: id, orders })
    }

    /// Fresh ids for an order to wait at `point`: its short code is held by no order waiting there.
    pub fn fresh_order_ids(&self, point: &str) -> Result<(OrderId, ShortCode, String)> {
        orders::new_order_ids_at(&self.conn, &parse_id(PickupPointId::parse, point)?)
    }

    /// Sets when an order arrived (RFC 3339), e.g. one that has waited on the shelf since before it
    /// was entered here; its kiosks pull the new time and count its storage period from it.
    pub fn set_order_arrived(&self, order: &str, arrived_at: &str) -> Result<()> {
        let order = parse_id(OrderId::parse, order)?;
        chrono::DateTime::parse_from_rfc3339(arrived_at)
            .map_err(|e| ServerError::BadRequest(format!("{arrived_at:?} is not RFC 3339: {e}")))?;
        let tx = self.conn.transaction()?;
        let point = orders::order_point(&tx, &order)?
            .ok_or_else(|| ServerError::NotFound(format!("order {order} does not exist")))?;
        let point = parse_id(PickupPointId::parse, &point)?;
        shelf::reset_arrived(&tx, &order, arrived_at)?;
        shelf::touch_order(&tx, &point, &order)?;
        Ok(tx.commit()?)
    }

    /// Marks an order arrived whose goods were all recorded missing at receiving and turned up later
    /// (`pvz-server order-arrived`), its items in `cell` when given (one of the point's cells, if it
    /// has a list), so the counter's card says where they are. Only for an order still waiting that
    /// has not arrived: on one already on the shelf a new time would move the start of its storage
    /// period, and an issued or cancelled order has left the point.
    pub fn mark_found_order_arrived(&self, order: &str, arrived_at: &str, cell: Option<&str>) -> Result<()> {
        let id = parse_id(OrderId::parse, order)?;
        let cell = match cell {
            Some(raw) => {
                Some(CellLabel::parse(raw).map_err(|e| ServerError::BadRequest(format!("cell {raw:?}: {e}")))?)
            }
            None => None,
        };
        let facts = orders::get_order_facts(&self.conn, &id)?
            .ok_or_else(|| ServerError::NotFound(format!("order {id} does not exist")))?;
        if facts.state != orders::OrderState::Ready {
            return Err(ServerError::BadRequest(format!(
                "order {id} is {}: it is no longer waiting at the point",
                facts.state.as_str()
            )));
        }
        if let Some(at) = shelf::get_arrived(&self.conn, &id)? {
            return Err(ServerError::BadRequest(format!(
                "order {id} arrived already at {at}; its storage period counts from then"
            )));
        }
        chrono::DateTime::parse_from_rfc3339(arrived_at)
            .map_err(|e| ServerError::BadRequest(format!("{arrived_at:?} is not RFC 3339: {e}")))?;
        let point = parse_id(PickupPointId::parse, &facts.pickup_point_id)?;
        let tx = self.conn.transaction()?;
        if let Some(cell) = &cell {
            let cells = cells::list_cells(&tx, &point)?;
            if !cells.is_empty() && !cells.iter().any(|c| &c.label == cell) {
                return Err(ServerError::BadRequest(format!("{point} has no cell {cell}")));
            }
            for item in &facts.items {
                shelf::set_item_cell(&tx, &parse_id(pvz_domain::ItemId::parse, &item.id)?, cell)?;
            }
        }
        shelf::set_found_arrived(&tx, &id, arrived_at)?;
        shelf::touch_order(&tx, &point, &id)?;
        Ok(tx.commit()?)
    }

    /// An item with its order's context (its cell, its order's state); `None` when unknown.
    pub fn item(&self, id: &str) -> Result<Option<orders::ItemRow>> {
        orders::get_item(&self.conn, &parse_id(pvz_domain::ItemId::parse, id.trim())?)
    }

    /// When the order was issued at the counter (RFC 3339); `None` while it is not.
    pub fn order_issued_at(&self, id: &str) -> Result<Option<String>> {
        orders::issued_at(&self.conn, &parse_id(pvz_domain::OrderId::parse, id.trim())?)
    }

    pub fn shipment(&self, id: &str) -> Result<Option<ShipmentRow>> {
        shipments::get_shipment(&self.conn, id.trim())
    }

    /// The point's shipments, newest first.
    pub fn shipments(&self, point: &str) -> Result<Vec<ShipmentRow>> {
        shipments::list_shipments(&self.conn, &parse_id(PickupPointId::parse, point)?)
    }

    /// What receiving recorded beside the placed items: missing, unexpected and damaged.
    pub fn shipment_discrepancies(&self, id: &str) -> Result<Vec<Discrepancy>> {
        shipments::list_discrepancies(&self.conn, id.trim())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn specs(raw: &[&str]) -> Vec<String> {
        raw.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn cells_parse_to_canonical_labels_and_runs_expand() {
        let cells = parse_cells(&specs(&["a-1:10", "B-02..B-04:6", "C-01-02:0"])).expect("valid cells");
        let read: Vec<(String, u32)> = cells.iter().map(|c| (c.label.to_string(), c.capacity)).collect();
        let expected = [("A-01", 10), ("B-02", 6), ("B-03", 6), ("B-04", 6), ("C-01-02", 0)];
        assert_eq!(read, expected.map(|(l, c)| (l.to_owned(), c)), "canonical labels, runs expanded, capacity 0 kept");
        for (bad, why) in [
            (vec!["A-01"], "no capacity"),
            (vec!["A-01:x"], "a capacity that is not a number"),
            (vec!["Я-01:5"], "a zone that is not a Latin letter"),
            (vec!["A-01:5", "a-1:3"], "the same cell twice"),
            (vec!["A-05..A-01:5"], "a run going down"),
            (vec!["A-01..B-03:5"], "a run across zones"),
        ] {
            assert!(matches!(parse_cells(&specs(&bad)), Err(ServerError::BadRequest(_))), "{why} is refused: {bad:?}");
        }
    }
}
