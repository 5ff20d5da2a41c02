//! An order as the counter sees it (rows, decisions, settlement), its receipt and the recent issues,
//! deriving each order's status from the kiosk's own records first and the server's cache second.

use crate::codes::qr::{qr_svg_data_uri, receipt_qr_text};
use crate::error::{KioskError, Result};
use crate::store::Db;
use crate::store::{decisions, issues, orders, photos, settings, OrderRow, StoreError};
use crate::view::{ItemView, OrderView, ReceiptView, RecentIssue, SettlementView};
use pvz_domain::{settle, FeeDecision, ItemId, ItemLine, ItemState, OrderId, OrderStatus, Refusal, Settlement};
use pvz_protocol::ItemDecision;
use std::collections::HashMap;

/// An order as the counter sees it: rows, decisions, settlement.
pub struct LoadedOrder {
    pub order: OrderRow,
    pub status: OrderStatus,
    pub issued_at: Option<String>,
    pub items: Vec<ItemView>,
    pub states: Vec<ItemState>,
    pub settlement: Settlement,
}

pub fn effective_status(conn: &Db<'_>, order: &OrderRow) -> Result<(OrderStatus, Option<String>)> {
    if let Some(issue) = issues::get_issue(conn, &order.order_id)? {
        return Ok((OrderStatus::Issued, Some(issue.issued_at)));
    }
    if order.server_status == OrderStatus::Issued {
        return Ok((OrderStatus::Issued, order.issued_at.clone()));
    }
    if decisions::is_opened(conn, &order.order_id)? {
        return Ok((OrderStatus::InProgress, None));
    }
    Ok((OrderStatus::Ready, None))
}

fn state_of(decision: Option<&ItemDecision>) -> Result<ItemState> {
    Ok(match decision {
        None => ItemState::Awaiting,
        Some(ItemDecision::HandOver) => ItemState::HandedOver,
        Some(ItemDecision::NotArrived) => ItemState::NotArrived,
        Some(ItemDecision::Refuse { reason, description }) => ItemState::Refused(
            Refusal::new(*reason, description.as_deref()).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        ),
    })
}

pub fn load_order(conn: &Db<'_>, order: OrderRow) -> Result<LoadedOrder> {
    let (status, issued_at) = effective_status(conn, &order)?;
    let rows = orders::list_items(conn, &order.order_id)?;
    let mut decided: HashMap<String, (ItemDecision, Option<FeeDecision>)> =
        decisions::list_decisions(conn, &order.order_id)?
            .into_iter()
            .map(|d| (d.item_id, (d.decision, d.fee)))
            .collect();
    // Only a refusal without a fixed fee falls back to the policy; buyer-side refusals are not
    // recorded without one, so no policy yet means nothing here depends on it.
    let policy = settings::get_fee_policy(conn)?.unwrap_or_default();
    let states =
        rows.iter().map(|r| state_of(decided.get(r.item_id.as_str()).map(|d| &d.0))).collect::<Result<Vec<_>>>()?;
    let lines: Vec<ItemLine<'_>> = rows
        .iter()
        .zip(&states)
        .map(|(r, state)| ItemLine {
            price: r.price,
            prepaid: r.prepaid,
            category: &r.category,
            state,
            fixed_fee: decided.get(r.item_id.as_str()).and_then(|d| d.1),
        })
        .collect();
    let settlement = settle(&lines, &policy);
    let items = rows
        .into_iter()
        .zip(&settlement.fee_decisions)
        .map(|(r, fee)| -> Result<ItemView> {
            Ok(ItemView {
                photos: photos::count_photos(conn, r.item_id.as_str())?,
                decision: decided.remove(r.item_id.as_str()).map(|d| d.0),
                item_id: r.item_id.to_string(),
                name: r.name,
                variant: r.variant,
                cell: r.cell,
                price: r.price,
                prepaid: r.prepaid,
                category: r.category,
                barcode: r.barcode,
                fee: fee.map(|f| f.fee),
                fee_rule: fee.map(|f| f.rule),
                missing_at_receiving: r.missing_at_receiving,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(LoadedOrder { order, status, issued_at, items, states, settlement })
}

pub fn load_order_by_id(conn: &Db<'_>, order_id: &OrderId) -> Result<Option<LoadedOrder>> {
    orders::get_order(conn, order_id)?.map(|o| load_order(conn, o)).transpose()
}

impl LoadedOrder {
    /// One of this order's items, or `ItemNotInOrder`.
    pub fn item(&self, item_id: &ItemId) -> Result<&ItemView> {
        self.items.iter().find(|i| i.item_id == item_id.as_str()).ok_or(KioskError::ItemNotInOrder)
    }

    pub fn to_view(&self) -> OrderView {
        let s = &self.settlement;
        OrderView {
            order_id: self.order.order_id.to_string(),
            short_code: self.order.short_code.clone(),
            buyer: self.order.buyer.clone(),
            status: self.status,
            issued_at: self.issued_at.clone(),
            items: self.items.clone(),
            settlement: SettlementView {
                to_collect: s.to_collect,
                to_refund: s.to_refund,
                goods_to_collect: s.goods_to_collect,
                fees: s.fees,
                undecided: u32::try_from(s.undecided).unwrap_or(u32::MAX),
            },
        }
    }

    /// The items of a completed issue: handed over, refused, not arrived.
    fn split(&self) -> Outcomes {
        let mut out = Outcomes::default();
        for item in &self.items {
            match item.decision {
                Some(ItemDecision::HandOver) => out.handed_over.push(item.clone()),
                Some(ItemDecision::NotArrived) => out.not_arrived.push(item.clone()),
                Some(ItemDecision::Refuse { .. }) | None => out.refused.push(item.clone()),
            }
        }
        out
    }
}

#[derive(Default)]
struct Outcomes {
    handed_over: Vec<ItemView>,
    refused: Vec<ItemView>,
    not_arrived: Vec<ItemView>,
}

pub fn receipt_view(conn: &Db<'_>, order_id: &OrderId) -> Result<Option<ReceiptView>> {
    let Some(issue) = issues::get_issue(conn, order_id)? else { return Ok(None) };
    let Some(loaded) = load_order_by_id(conn, order_id)? else { return Ok(None) };
    let Outcomes { handed_over, refused, not_arrived } = loaded.split();
    Ok(Some(ReceiptView {
        qr_data_uri: qr_svg_data_uri(&receipt_qr_text(&issue.op_id)),
        op_id: issue.op_id,
        order_id: issue.order_id,
        short_code: loaded.order.short_code,
        issued_at: issue.issued_at,
        handed_over,
        refused,
        not_arrived,
        collected: issue.collected,
        refunded: issue.refunded,
    }))
}

pub fn recent_issues(conn: &Db<'_>, limit: usize) -> Result<Vec<RecentIssue>> {
    let mut out = Vec::new();
    for issue in issues::list_recent_issues(conn, limit)? {
        let order_id = OrderId::parse(&issue.order_id).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let Some(loaded) = load_order_by_id(conn, &order_id)? else { continue };
        let Outcomes { handed_over, refused, not_arrived } = loaded.split();
        out.push(RecentIssue {
            order_id: issue.order_id,
            short_code: loaded.order.short_code,
            buyer: loaded.order.buyer,
            issued_at: issue.issued_at,
            handed_over: u32::try_from(handed_over.len()).unwrap_or(u32::MAX),
            refused: u32::try_from(refused.len()).unwrap_or(u32::MAX),
            not_arrived: u32::try_from(not_arrived.len()).unwrap_or(u32::MAX),
            refusal_reasons: refused
                .iter()
                .filter_map(|i| match &i.decision {
                    Some(ItemDecision::Refuse { reason, .. }) => Some(*reason),
                    _ => None,
                })
                .collect(),
            collected: issue.collected,
        });
    }
    Ok(out)
}
