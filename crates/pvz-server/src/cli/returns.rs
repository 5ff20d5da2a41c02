//! `pvz-server add-courier-refusals` and `custody`: a courier's manifest of items refused at the
//! door, and the custody chain of a returned unit, each a thin call into [`Admin`].

use crate::admin::{Admin, CustodyUnit};
use crate::db::custody::Holder;
use crate::db::orders::{self, NewItem, NewOrder};
use crate::error::{Result, ServerError};
use clap::Args;
use pvz_domain::{ItemId, Kopecks};

/// Put a doorstep delivery whose items the buyer refused on a courier's manifest.
#[derive(Debug, Args)]
pub struct AddCourierRefusals {
    /// The courier's employee id (their badge).
    #[arg(long)]
    courier: String,
    /// The courier's pickup point, where the items are handed back.
    #[arg(long)]
    pickup_point: String,
    #[arg(long, default_value = "Покупатель Доставки")]
    buyer_name: String,
    #[arg(long, default_value = "seller-doorstep")]
    seller: String,
    /// Paid online before delivery: the hand-back refunds it to the buyer.
    #[arg(long)]
    prepaid: bool,
    /// `NAME;CATEGORY;PRICE_KOPECKS[;BARCODE]`, once per item.
    #[arg(long = "item", required = true, value_parser = parse_item)]
    items: Vec<(String, String, i64, Option<String>)>,
}

fn parse_item(raw: &str) -> std::result::Result<(String, String, i64, Option<String>), String> {
    let parts: Vec<&str> = raw.split(';').map(str::trim).collect();
    let (name, category, price, barcode) = match parts.as_slice() {
        [name, category, price] => (name, category, price, None),
        [name, category, price, barcode] => (name, category, price, Some(barcode.to_string())),
        _ => return Err("expected NAME;CATEGORY;PRICE_KOPECKS[;BARCODE]".into()),
    };
    if name.is_empty() || category.is_empty() {
        return Err("an item needs a name and a category".into());
    }
    Ok((name.to_string(), category.to_string(), price.parse().map_err(|_| "the price must be whole kopecks")?, barcode))
}

/// Adds the delivery and prints its order id.
pub fn add_courier_refusals(admin: &Admin, args: AddCourierRefusals) -> Result<()> {
    let (id, short_code, uid) = orders::new_order_ids()?;
    let items = args
        .items
        .into_iter()
        .enumerate()
        .map(|(n, (name, category, price, barcode))| {
            Ok(NewItem {
                id: ItemId::parse(&format!("itm-{uid}-{}", n + 1)).map_err(|e| ServerError::Internal(e.to_string()))?,
                seller_id: args.seller.clone(),
                seller_name: args.seller.clone(),
                name,
                variant: String::new(),
                cell: "—".to_owned(),
                price: Kopecks(price),
                prepaid: args.prepaid,
                category,
                barcode,
                mark: None,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let buyer_id = format!("buyer-{id}");
    let order = NewOrder { id, short_code, buyer_id, buyer_name: args.buyer_name, items };
    admin.add_courier_refusals(&args.courier, &args.pickup_point, &order)?;
    println!("{}", order.id);
    Ok(())
}

/// The custody chains of a return id or an item, for people.
pub fn custody_text(units: &[CustodyUnit]) -> String {
    let mut out = String::new();
    for CustodyUnit { unit, log } in units {
        let item = unit.item_id.as_deref().unwrap_or("an item that matched nothing");
        out.push_str(&format!("unit {} ({item}, {}): now {}\n", unit.id, unit.source, holder_text(&unit.holder)));
        for e in log {
            out.push_str(&format!(
                "  {}. {}  {}: {}  ({} {})\n",
                e.event_no,
                e.at,
                e.pickup_point_id,
                holder_text(&e.holder),
                e.op_kind,
                e.op_id
            ));
        }
    }
    out
}

fn holder_text(holder: &Holder) -> String {
    match holder {
        Holder::Point => "at the pickup point".to_owned(),
        Holder::Box(b) => format!("in box {b}"),
        Holder::Driver(d) => format!("with driver {d}"),
    }
}
