//! `pvz-server set-storage-policy`, `set-cells`, `add-shipment`, `order-arrived` and `shipments`: a
//! point's storage period, its cells, the shipments it should expect and an order that turned up
//! after its shipment, each a thin call into [`Admin`].

use crate::admin::{parse_cells, Admin};
use crate::db::orders::{NewItem, NewOrder};
use crate::error::{Result, ServerError};
use clap::Args;
use pvz_domain::{ItemId, Kopecks, OrderId, ShortCode, StorageDays, StoragePolicy, UtcOffset};
use serde::Deserialize;
use std::path::PathBuf;

/// Set a point's storage period (срок хранения) and the UTC offset its days are counted in.
#[derive(Debug, Args)]
pub struct SetStoragePolicy {
    #[arg(long)]
    pickup_point: String,
    /// Days an item waits for its buyer (1-365).
    #[arg(long)]
    days: u16,
    /// A category's own period, e.g. `--category food=3` (repeatable).
    #[arg(long = "category", value_parser = parse_category_days)]
    categories: Vec<(String, u16)>,
    /// The point's offset from UTC in hours (Moscow: 3); the current one is kept when omitted.
    #[arg(long, allow_negative_numbers = true)]
    utc_offset_hours: Option<i32>,
}

fn parse_category_days(raw: &str) -> std::result::Result<(String, u16), String> {
    let (category, days) = raw.split_once('=').ok_or("expected category=days")?;
    if category.trim().is_empty() {
        return Err("the category name is empty; expected category=days".into());
    }
    Ok((category.trim().to_owned(), days.trim().parse().map_err(|_| "the days are a whole number")?))
}

pub fn set_storage_policy(admin: &Admin, args: SetStoragePolicy) -> Result<()> {
    let days = |n: u16| StorageDays::new(n).map_err(|e| ServerError::BadRequest(e.to_string()));
    let per_category = args.categories.into_iter().map(|(c, n)| Ok((c, days(n)?))).collect::<Result<_>>()?;
    let policy = StoragePolicy { default_days: days(args.days)?, per_category };
    let offset = args
        .utc_offset_hours
        .map(|h| UtcOffset::from_hours(h).map_err(|e| ServerError::BadRequest(e.to_string())))
        .transpose()?;
    admin.set_storage_policy(&args.pickup_point, &policy, offset)?;
    let (_, offset) = admin.storage_policy(&args.pickup_point)?.unwrap_or((policy, UtcOffset::MOSCOW));
    println!("{}: {} days, UTC{:+}", args.pickup_point, args.days, offset.seconds() / 3600);
    Ok(())
}

/// Replace a point's cells: `A-01:10 A-02:10` or runs `A-01..A-12:6` (label:capacity).
#[derive(Debug, Args)]
pub struct SetCells {
    #[arg(long)]
    pickup_point: String,
    #[arg(required = true)]
    cells: Vec<String>,
}

pub fn set_cells(admin: &Admin, args: SetCells) -> Result<()> {
    let cells = parse_cells(&args.cells)?;
    admin.set_cells(&args.pickup_point, &cells)?;
    println!("{}: {} cells", args.pickup_point, cells.len());
    Ok(())
}

/// Add a shipment the point should expect, creating its orders (ready, not arrived).
#[derive(Debug, Args)]
pub struct AddShipment {
    #[arg(long)]
    pickup_point: String,
    /// The code on the shipment's label, scanned to start receiving.
    #[arg(long)]
    code: String,
    /// A chosen shipment id; a fresh `shp-…` when omitted.
    #[arg(long)]
    id: Option<String>,
    /// When it is due (RFC 3339).
    #[arg(long)]
    expected_at: Option<String>,
    /// A JSON array of orders: `[{"buyer_name": "…", "items": [{"name": "…", "category": "…",
    /// "price": 459000, "barcode": "…"}]}]`; optional: order_id, short_code, buyer_id, and per item
    /// item_id, variant, prepaid, mark, seller_id, seller_name.
    #[arg(long, conflicts_with = "orders")]
    orders_json: Option<PathBuf>,
    /// `BUYER|NAME;CATEGORY;PRICE_KOPECKS[;BARCODE]|…`, one order with its items (repeatable).
    #[arg(long = "order", value_parser = parse_order_spec)]
    orders: Vec<OrderSpec>,
    /// `--order` items are paid online already.
    #[arg(long)]
    prepaid: bool,
    #[arg(long, default_value = "seller-shipment")]
    seller: String,
}

/// One order as the command line or the JSON file describes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderSpec {
    order_id: Option<String>,
    short_code: Option<String>,
    buyer_id: Option<String>,
    buyer_name: String,
    items: Vec<ItemSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemSpec {
    item_id: Option<String>,
    name: String,
    #[serde(default)]
    variant: String,
    category: String,
    price: i64,
    prepaid: Option<bool>,
    barcode: Option<String>,
    mark: Option<String>,
    seller_id: Option<String>,
    seller_name: Option<String>,
}

fn parse_order_spec(raw: &str) -> std::result::Result<OrderSpec, String> {
    let mut parts = raw.split('|').map(str::trim);
    let buyer_name = parts.next().filter(|b| !b.is_empty()).ok_or("an order starts with the buyer's name")?;
    let items = parts
        .map(|item| {
            let fields: Vec<&str> = item.split(';').map(str::trim).collect();
            let (name, category, price, barcode) = match fields.as_slice() {
                [name, category, price] => (*name, *category, *price, None),
                [name, category, price, barcode] => (*name, *category, *price, Some((*barcode).to_owned())),
                _ => return Err("an item is NAME;CATEGORY;PRICE_KOPECKS[;BARCODE]".to_owned()),
            };
            if name.is_empty() || category.is_empty() {
                return Err("an item needs a name and a category".to_owned());
            }
            let price = price.parse().map_err(|_| "the price must be whole kopecks".to_owned())?;
            let (name, category) = (name.to_owned(), category.to_owned());
            Ok(ItemSpec {
                item_id: None,
                name,
                variant: String::new(),
                category,
                price,
                prepaid: None,
                barcode,
                mark: None,
                seller_id: None,
                seller_name: None,
            })
        })
        .collect::<std::result::Result<Vec<_>, String>>()?;
    if items.is_empty() {
        return Err("an order needs at least one item: BUYER|NAME;CATEGORY;PRICE".into());
    }
    Ok(OrderSpec { order_id: None, short_code: None, buyer_id: None, buyer_name: buyer_name.to_owned(), items })
}

fn new_order(admin: &Admin, point: &str, spec: OrderSpec, prepaid: bool, seller: &str) -> Result<NewOrder> {
    let bad = |e: String| ServerError::BadRequest(e);
    let (generated, generated_code, uid) = admin.fresh_order_ids(point)?;
    let id = match &spec.order_id {
        Some(raw) => OrderId::parse(raw).map_err(|e| bad(e.to_string()))?,
        None => generated,
    };
    let short_code = match &spec.short_code {
        Some(raw) => ShortCode::parse(raw).ok_or_else(|| bad(format!("short code {raw:?} is not six digits")))?,
        None => generated_code,
    };
    let items = spec
        .items
        .into_iter()
        .enumerate()
        .map(|(n, item)| {
            let item_id = item.item_id.unwrap_or_else(|| format!("itm-{uid}-{}", n + 1));
            Ok(NewItem {
                id: ItemId::parse(&item_id).map_err(|e| bad(e.to_string()))?,
                seller_id: item.seller_id.unwrap_or_else(|| seller.to_owned()),
                seller_name: item.seller_name.unwrap_or_else(|| seller.to_owned()),
                name: item.name,
                variant: item.variant,
                cell: String::new(),
                price: Kopecks(item.price),
                prepaid: item.prepaid.unwrap_or(prepaid),
                category: item.category,
                barcode: item.barcode,
                mark: item.mark,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let buyer_id = spec.buyer_id.unwrap_or_else(|| format!("buyer-{id}"));
    Ok(NewOrder { id, short_code, buyer_id, buyer_name: spec.buyer_name, items })
}

/// Adds the shipment; prints its id, then each order's id and short code.
pub fn add_shipment(admin: &Admin, args: AddShipment) -> Result<()> {
    let specs = match &args.orders_json {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| ServerError::BadRequest(format!("cannot read {}: {e}", path.display())))?;
            serde_json::from_str::<Vec<OrderSpec>>(&text)
                .map_err(|e| ServerError::BadRequest(format!("{}: {e}", path.display())))?
        }
        None => args.orders,
    };
    if specs.is_empty() {
        return Err(ServerError::BadRequest("name the orders with --order or --orders-json".into()));
    }
    let orders = specs
        .into_iter()
        .map(|spec| new_order(admin, &args.pickup_point, spec, args.prepaid, &args.seller))
        .collect::<Result<Vec<_>>>()?;
    let added =
        admin.add_shipment(&args.pickup_point, args.id.as_deref(), &args.code, args.expected_at.as_deref(), &orders)?;
    println!("{}", added.shipment_id);
    for (order, short_code) in &added.orders {
        println!("  {order} {short_code}");
    }
    Ok(())
}

/// Mark an order arrived at its point (see the command's help in `Command::OrderArrived`).
#[derive(Debug, Args)]
pub struct OrderArrived {
    /// The order id (`ord-…`).
    order: String,
    /// When the goods arrived (RFC 3339); now when omitted.
    #[arg(long)]
    at: Option<String>,
    /// The cell the goods were put in (e.g. A-07), so the counter's card says where they are.
    #[arg(long)]
    cell: Option<String>,
}

pub fn order_arrived(admin: &Admin, args: OrderArrived) -> Result<()> {
    let at = args.at.unwrap_or_else(crate::db::now_text);
    admin.mark_found_order_arrived(&args.order, &at, args.cell.as_deref())?;
    println!("{} arrived at {at}: the point's kiosks issue it after their next sync", args.order);
    Ok(())
}

/// The point's shipments with each item's outcome and the discrepancies, for people.
pub fn shipments_text(admin: &Admin, point: &str) -> Result<String> {
    let mut out = String::new();
    for s in admin.shipments(point)? {
        let state = match (&s.received_at, &s.received_by) {
            (Some(at), by) => format!("received {at} by {}", by.as_deref().unwrap_or("(no operator)")),
            (None, _) => "expected".to_owned(),
        };
        out.push_str(&format!("{} (code {}): {state}\n", s.id, s.code));
        for item in &s.items {
            let outcome = item.outcome.as_deref().unwrap_or("-");
            let cell = item.cell.as_deref().map(|c| format!(" in {c}")).unwrap_or_default();
            let label = match admin.item(item.item_id.as_str())?.and_then(|row| row.item.barcode) {
                Some(barcode) => format!(" [{barcode}]"),
                None => String::new(),
            };
            out.push_str(&format!("  {} / {}{label}: {outcome}{cell}\n", item.order_id, item.item_id));
        }
        for d in admin.shipment_discrepancies(&s.id)? {
            let what = d.item_id.or(d.code).unwrap_or_default();
            let note = d.description.map(|n| format!(" — {n}")).unwrap_or_default();
            out.push_str(&format!("  discrepancy: {} {what}{note}\n", d.kind));
        }
    }
    if out.is_empty() {
        out.push_str(&format!("no shipments at {point}\n"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_order_on_the_command_line_names_its_buyer_then_its_items() {
        let spec = parse_order_spec("Ирина Волкова|Куртка;clothes;459000;4600000000015|Шапка;clothes;99000")
            .expect("a valid order");
        assert_eq!(spec.buyer_name, "Ирина Волкова", "the buyer comes first");
        let items: Vec<_> = spec.items.iter().map(|i| (i.name.as_str(), i.price, i.barcode.as_deref())).collect();
        assert_eq!(items, [("Куртка", 459_000, Some("4600000000015")), ("Шапка", 99_000, None)], "then the items");
        for bad in ["", "Ирина", "Ирина|Куртка;clothes", "Ирина|Куртка;clothes;дорого", "Ирина|;clothes;1"]
        {
            assert!(parse_order_spec(bad).is_err(), "{bad:?} is refused");
        }
    }
}
