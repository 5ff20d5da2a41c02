//! The seller's balance as the web page shows it: its ledger account's sum and its latest lines,
//! each naming the claim and the order it was for when the ledger knows them (a claim's own event
//! names its claim; a counter op names its order, and a claim return its claim too).

use crate::db::claims::get_claim;
use crate::db::ledger::{account_balance, list_account_lines, AccountLine};
use crate::db::ops::get_applied_op;
use crate::db::sql::Connection;
use crate::error::Result;
use crate::rules::seller_account;
use pvz_domain::{ClaimId, OrderId};
use pvz_protocol::web::{LedgerLine, SellerBalance};
use pvz_protocol::OpBody;

/// The most lines one answer lists (the balance is over all of them).
pub const MAX_LINES: u32 = 500;

pub fn seller_balance(conn: &Connection, seller_id: &str) -> Result<SellerBalance> {
    let account = seller_account(seller_id);
    let lines = list_account_lines(conn, &account, MAX_LINES)?
        .into_iter()
        .map(|line| ledger_line(conn, line))
        .collect::<Result<Vec<_>>>()?;
    Ok(SellerBalance { balance: account_balance(conn, &account)?, lines })
}

fn ledger_line(conn: &Connection, line: AccountLine) -> Result<LedgerLine> {
    let (claim_id, order_id) = named(conn, &line)?;
    Ok(LedgerLine {
        at: line.created_at,
        amount: line.amount,
        claim_id,
        order_id,
        description: line.kind.replace('_', " "),
    })
}

/// The claim and order a ledger line was for, as far as its event key or op says.
fn named(conn: &Connection, line: &AccountLine) -> Result<(Option<ClaimId>, Option<OrderId>)> {
    if let Some(claim) = line.event_key.strip_prefix("claim:").and_then(|rest| rest.split(':').next()) {
        let Ok(claim) = ClaimId::parse(claim) else { return Ok((None, None)) };
        let order = get_claim(conn, &claim)?.map(|c| c.order_id);
        return Ok((Some(claim), order));
    }
    let Some(op) = line.op_id.as_deref().map(|id| get_applied_op(conn, id)).transpose()?.flatten() else {
        return Ok((None, None));
    };
    Ok(match serde_json::from_str::<OpBody>(&op.body)? {
        OpBody::ClaimReturnAccepted { claim_id, order_id, .. } => (Some(claim_id), Some(order_id)),
        body => (None, body.point_order().cloned()),
    })
}
