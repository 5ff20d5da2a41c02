//! `pvz-server claim ...` and `seller-credential`: claims decided for the network from the command
//! line, each a thin call into [`Admin`], printing the claim as it stands after with the network
//! operator's actions on it.

use crate::admin::Admin;
use crate::error::{Result, ServerError};
use clap::{Args, Subcommand};
use pvz_domain::{Compensation, Kopecks};
use pvz_protocol::{ClaimActionRequest, ClaimStatus, SellerDecision};

#[derive(Debug, Subcommand)]
pub enum ClaimCommand {
    /// Open a claim on a paid item of an issued order; prints the claim id.
    Open {
        #[arg(long)]
        order: String,
        #[arg(long)]
        item: String,
        /// The buyer's description of the defect.
        #[arg(long)]
        description: String,
    },
    /// Approve an open claim with one compensation.
    Approve {
        id: String,
        #[command(flatten)]
        compensation: CompensationArgs,
    },
    /// Reject an open claim.
    Reject {
        id: String,
        #[arg(long)]
        reason: String,
    },
    /// Revoke an open or approved claim: its return code is refused from then on.
    Revoke {
        id: String,
        #[arg(long)]
        reason: String,
    },
    /// Take one of the claim's actions as the network operator, e.g.
    /// `'{"action":"change_route","route":"seller","seller_address":{"address":"...","hours":"..."}}'`.
    Act {
        id: String,
        /// The action as JSON (`ClaimActionRequest`, tagged by "action").
        request: String,
    },
    /// Print a claim's state, decision, item fate, route, compensation, codes and the network's actions.
    Show { id: String },
    /// Print a claim's conversation: each message's seq, author, time, text and attachments.
    Thread { id: String },
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct CompensationArgs {
    /// Refund this many kopecks (more than 0, at most the item's price).
    #[arg(long)]
    refund: Option<i64>,
    /// Refund the item's whole price.
    #[arg(long)]
    full_refund: bool,
    /// Send the same item again.
    #[arg(long)]
    replacement: bool,
    /// Deliver this missing part to the buyer's pickup point.
    #[arg(long)]
    missing_part: Option<String>,
}

pub fn run(admin: &Admin, command: ClaimCommand) -> Result<()> {
    let status = match command {
        ClaimCommand::Open { order, item, description } => {
            println!("{}", admin.open_claim(&order, &item, &description)?.claim_id);
            return Ok(());
        }
        ClaimCommand::Approve { id, compensation } => {
            let compensation = match compensation {
                CompensationArgs { refund: Some(amount), .. } => Compensation::Refund { amount: Kopecks(amount) },
                CompensationArgs { full_refund: true, .. } => admin.full_refund(&id)?,
                CompensationArgs { missing_part: Some(part), .. } => Compensation::MissingPart { part },
                CompensationArgs { .. } => Compensation::Replacement,
            };
            admin.decide_claim(&id, &SellerDecision::Approve { compensation })?
        }
        ClaimCommand::Reject { id, reason } => admin.decide_claim(&id, &SellerDecision::Reject { reason })?,
        ClaimCommand::Revoke { id, reason } => admin.revoke_claim(&id, &reason)?,
        ClaimCommand::Act { id, request } => {
            let request: ClaimActionRequest = serde_json::from_str(&request)
                .map_err(|e| ServerError::BadRequest(format!("not a claim action request: {e}")))?;
            admin.act_on_claim(&id, &request)?
        }
        ClaimCommand::Show { id } => admin.claim_with_actions(&id)?,
        ClaimCommand::Thread { id } => {
            print!("{}", super::conversation::thread_text(&id, &admin.claim_thread(&id)?));
            return Ok(());
        }
    };
    // Whatever the command did, the claim is printed as it is now, with what the network may do next.
    let status = admin.claim_with_actions(status.claim_id.as_str())?;
    print!("{}", claim_text(&status));
    Ok(())
}

/// A claim for people: state first, then what was agreed and the codes to use.
pub fn claim_text(claim: &ClaimStatus) -> String {
    let mut out = format!(
        "claim {}: {}\n  order {}, item {} ({})\n  description: {}\n",
        claim.claim_id,
        claim.state.as_str(),
        claim.order_id,
        claim.item_id,
        claim.item_name,
        claim.description
    );
    match &claim.compensation {
        Some(Compensation::Refund { amount }) => out.push_str(&format!("  compensation: refund {amount}\n")),
        Some(Compensation::Replacement) => out.push_str("  compensation: replacement\n"),
        Some(Compensation::MissingPart { part }) => out.push_str(&format!("  compensation: missing part: {part}\n")),
        None => {}
    }
    let name = |value: serde_json::Result<serde_json::Value>| {
        value.ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
    };
    out.push_str(&format!(
        "  decision: {} (decided by {}), item: {}\n",
        name(serde_json::to_value(claim.decision)),
        name(serde_json::to_value(claim.decided_by)),
        name(serde_json::to_value(claim.item_fate)),
    ));
    let route = claim.route.map(|r| r.as_str());
    let address = claim.seller_address.as_ref().map(|a| format!("{} ({})", a.address, a.hours));
    let template = claim.rejection_template.map(|t| name(serde_json::to_value(t)));
    let lines = [
        ("route", route),
        ("seller address", address.as_deref()),
        ("return deadline", claim.return_deadline.as_deref()),
        ("rejection template", template.as_deref()),
        ("reason", claim.reason.as_deref()),
        ("return code", claim.return_code.as_deref()),
        ("part order", claim.part_order_id.as_ref().map(|o| o.as_str())),
        ("fulfilled at", claim.fulfilled_at.as_deref()),
    ];
    for (what, value) in lines {
        if let Some(value) = value {
            out.push_str(&format!("  {what}: {value}\n"));
        }
    }
    if claim.code_issue > 1 {
        out.push_str(&format!("  code issue: {}\n", claim.code_issue));
    }
    let actions: Vec<String> = claim.actions.iter().map(|a| name(serde_json::to_value(a))).collect();
    let actions = if actions.is_empty() { "none".to_owned() } else { actions.join(", ") };
    out.push_str(&format!("  actions: {actions}\n"));
    out
}
