//! What the window shows of a courier's hand-back: the one in progress (manifest lines with their
//! scans, then the extras) and the acceptance act of a completed one.

use crate::error::Result;
use crate::store::hand_back_items::{self, HandBackItemRow};
use crate::store::Db;
use crate::store::{hand_back_lines, hand_backs};
use crate::view::returns::{HandBackActView, HandBackLineView, HandBackScanView, HandBackView};
use pvz_domain::{Kopecks, RefusalReason};
use pvz_protocol::ManifestLine;

/// Manifest lines first (in manifest order), each with its scan if any, then the extras in scan order.
fn lines_view(lines: &[ManifestLine], items: &[HandBackItemRow]) -> Vec<HandBackLineView> {
    let scan_view = |i: &HandBackItemRow, on_manifest: bool| HandBackScanView {
        return_id: i.return_id.to_string(),
        code: i.code.clone(),
        reason: i.reason,
        description: i.description.clone(),
        fee: i.fee.map(|f| f.fee).unwrap_or_default(),
        fee_rule: i.fee.map(|f| f.rule),
        // A defect or the seller's fault is free by the server's rule too; a buyer-side fee needs
        // the line's category, which only the server knows for an item off the manifest.
        fee_set_by_server: !on_manifest && i.reason.is_some_and(|r| r != RefusalReason::Defect && !r.is_seller_fault()),
    };
    let manifest = lines.iter().map(|line| HandBackLineView {
        item_id: Some(line.item_id.to_string()),
        name: line.name.clone(),
        variant: line.variant.clone(),
        code: line.barcode.clone().or_else(|| line.mark.clone()),
        scanned: items.iter().find(|i| i.item_id.as_ref() == Some(&line.item_id)).map(|i| scan_view(i, true)),
    });
    let matched = |i: &&HandBackItemRow| i.item_id.as_ref().is_some_and(|id| lines.iter().any(|l| &l.item_id == id));
    let extras = items.iter().filter(|i| !matched(i)).map(|i| HandBackLineView {
        item_id: None,
        name: i.name.clone(),
        variant: String::new(),
        code: Some(i.code.clone()),
        scanned: Some(scan_view(i, false)),
    });
    manifest.chain(extras).collect()
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The hand-back in progress, as the window shows it.
pub(crate) fn hand_back_view(conn: &Db<'_>, hand_back_id: &str) -> Result<Option<HandBackView>> {
    let Some(hand_back) = hand_backs::get_hand_back(conn, hand_back_id)?.filter(|h| h.completed_at.is_none()) else {
        return Ok(None);
    };
    let lines = hand_back_lines::list_hand_back_lines(conn, hand_back_id)?;
    let items = hand_back_items::list_hand_back_items(conn, hand_back_id)?;
    let lines = lines_view(&lines, &items);
    Ok(Some(HandBackView {
        hand_back_id: hand_back.hand_back_id,
        courier_id: hand_back.courier_id.to_string(),
        courier_name: hand_back.courier_name,
        manifest_loaded: hand_back.manifest_loaded,
        missing: count(lines.iter().filter(|l| l.scanned.is_none()).count()),
        extra: count(lines.iter().filter(|l| l.item_id.is_none()).count()),
        lines,
    }))
}

/// The acceptance act of a completed hand-back (акт приёма).
pub(crate) fn hand_back_act_view(conn: &Db<'_>, hand_back_id: &str) -> Result<Option<HandBackActView>> {
    let Some(hand_back) = hand_backs::get_hand_back(conn, hand_back_id)? else { return Ok(None) };
    let (Some(completed_at), Some(accepted_by)) = (hand_back.completed_at, hand_back.accepted_by) else {
        return Ok(None);
    };
    let lines = hand_back_lines::list_hand_back_lines(conn, hand_back_id)?;
    let items = hand_back_items::list_hand_back_items(conn, hand_back_id)?;
    let (accepted, missing): (Vec<_>, Vec<_>) =
        lines_view(&lines, &items).into_iter().partition(|l| l.scanned.is_some());
    Ok(Some(HandBackActView {
        hand_back_id: hand_back.hand_back_id,
        courier_id: hand_back.courier_id.to_string(),
        courier_name: hand_back.courier_name,
        accepted_by,
        completed_at,
        extra: count(accepted.iter().filter(|l| l.item_id.is_none()).count()),
        // What the ledger will charge: the fees of manifest lines. An extra costs nothing and an
        // item off the manifest gets the server's fee, so neither counts here.
        fees: accepted
            .iter()
            .filter(|l| l.item_id.is_some())
            .filter_map(|l| l.scanned.as_ref())
            .fold(Kopecks::ZERO, |sum, s| sum + s.fee),
        missing: missing.into_iter().map(|l| l.name).collect(),
        accepted,
    }))
}
