//! Приём отказов от курьера: the courier's badge starts a hand-back, the manifest of refused items
//! comes from the server when online (offline the items are recorded ad hoc and the server matches
//! them by code), each scanned item gets a reason (a defect costs nothing, not even the return
//! shipping; other reasons the policy fee, as refusals at the counter), and completing writes the
//! `CourierHandBackCompleted` op with the missing and extra items, and a returned unit per item.

use crate::codes::{item_lookup_key, ItemCode};
use crate::error::{KioskError, Result};
use crate::issue::refusal_fee;
use crate::kiosk::{new_return_id, parse_return_id, timestamp};
use crate::store::hand_back_items::{self, HandBackItemRow};
use crate::store::hand_backs::{self, HandBackRow};
use crate::store::return_items::{self, ReturnItemRow};
use crate::store::Db;
use crate::store::{hand_back_lines, orders, outbox, settings, CounterState};
use crate::sync::client::ServerClient;
use crate::sync::server_access;
use crate::sync::ClientConfig;
use crate::view::{CounterView, ScanNotice};
use crate::Kiosk;
use chrono::{DateTime, Utc};
use pvz_domain::{Refusal, RefusalError, RefusalReason, Scan};
use pvz_protocol::{CourierManifest, EmployeeWire, HandBackItem, ManifestLine, OpBody, ReturnSource};
use uuid::Uuid;

/// A courier's badge: a new hand-back, or back to this courier's open one.
pub(crate) fn start(
    conn: &Db<'_>,
    state: &CounterState,
    courier: &EmployeeWire,
    now: DateTime<Utc>,
) -> Result<ScanNotice> {
    if let Some(open) = &state.hand_back {
        let same_courier = hand_backs::get_hand_back(conn, open)?.is_some_and(|h| h.courier_id == courier.employee_id);
        return if same_courier { Ok(ScanNotice::HandBackStarted) } else { Err(KioskError::HandBackInProgress) };
    }
    let hand_back_id = Uuid::now_v7().to_string();
    hand_backs::insert_hand_back(
        conn,
        &HandBackRow {
            hand_back_id: hand_back_id.clone(),
            courier_id: courier.employee_id.clone(),
            courier_name: courier.name.clone(),
            manifest_loaded: false,
            started_at: timestamp(now),
            completed_at: None,
            accepted_by: None,
            op_id: None,
        },
    )?;
    settings::set_counter_state(conn, &CounterState { hand_back: Some(hand_back_id), ..CounterState::default() })?;
    Ok(ScanNotice::HandBackStarted)
}

/// The first manifest line carrying this code that no scan has matched yet.
fn unmatched_line<'a>(
    lines: &'a [ManifestLine],
    items: &[HandBackItemRow],
    code: &ItemCode,
) -> Option<&'a ManifestLine> {
    lines.iter().find(|line| {
        code.matches(line.barcode.as_deref(), line.mark.as_deref())
            && !items.iter().any(|i| i.item_id.as_ref() == Some(&line.item_id))
    })
}

/// An item scanned into the open hand-back: matched to a manifest line, or an extra.
pub(crate) fn scan_item(conn: &Db<'_>, hand_back_id: &str, scan: &Scan, now: DateTime<Utc>) -> Result<ScanNotice> {
    let scanned = item_lookup_key(scan).ok_or(KioskError::NoActiveHandBack)?;
    let lines = hand_back_lines::list_hand_back_lines(conn, hand_back_id)?;
    let items = hand_back_items::list_hand_back_items(conn, hand_back_id)?;
    let (item_id, order_id, name, category) = match unmatched_line(&lines, &items, &scanned) {
        Some(line) => {
            (Some(line.item_id.clone()), Some(line.order_id.clone()), line.name.clone(), line.category.clone())
        }
        // An extra: named after any cached item with this code, so the act says more than a code.
        None => {
            let known = orders::find_items_by_code(conn, scanned.lookup(), scanned.exact_mark())?.into_iter().next();
            let row = match known {
                Some(found) => {
                    let order_id =
                        pvz_domain::OrderId::parse(&found.order_id).map_err(|e| KioskError::Internal(e.to_string()))?;
                    orders::list_items(conn, &order_id)?.into_iter().find(|i| i.item_id.as_str() == found.item_id)
                }
                None => None,
            };
            match row {
                Some(item) => (None, None, item.name, item.category),
                None => (None, None, scanned.code.clone(), String::new()),
            }
        }
    };
    let return_id = new_return_id();
    hand_back_items::insert_hand_back_item(
        conn,
        &HandBackItemRow {
            return_id: return_id.clone(),
            hand_back_id: hand_back_id.to_owned(),
            code: scanned.code,
            is_mark: scanned.is_mark,
            item_id,
            order_id,
            name,
            category,
            reason: None,
            description: None,
            fee: None,
            scanned_at: timestamp(now),
        },
    )?;
    Ok(ScanNotice::HandBackItemScanned { return_id: return_id.to_string() })
}

fn open_hand_back(conn: &Db<'_>) -> Result<HandBackRow> {
    let id = settings::get_counter_state(conn)?.hand_back.ok_or(KioskError::NoActiveHandBack)?;
    hand_backs::get_hand_back(conn, &id)?.filter(|h| h.completed_at.is_none()).ok_or(KioskError::NoActiveHandBack)
}

impl Kiosk {
    /// Loads the courier's manifest of refused items into the open hand-back and matches the items
    /// scanned so far. Offline (or not connected) the hand-back stays ad hoc and the view comes back
    /// unchanged. Call it after a `HandBackStarted` notice.
    pub async fn load_courier_manifest(&self) -> Result<CounterView> {
        self.load_courier_manifest_with(&ClientConfig::default()).await
    }

    /// [`Kiosk::load_courier_manifest`] with explicit timeouts.
    pub async fn load_courier_manifest_with(&self, config: &ClientConfig) -> Result<CounterView> {
        let hand_back = self.store.with_conn(open_hand_back)?;
        let server = match server_access(self) {
            Ok(server) => server,
            Err(KioskError::NotConnected) => return self.view(),
            Err(e) => return Err(e),
        };
        let client = ServerClient::new(&server.server_url, config)?;
        let manifest = match client.courier_manifest(&server.credential, &hand_back.courier_id).await {
            Ok(manifest) => manifest,
            Err(e) if e.is_transient() => {
                tracing::info!(courier = %hand_back.courier_id, error = %e, "no manifest; the hand-back is ad hoc");
                return self.view();
            }
            Err(e) => return Err(e),
        };
        self.apply_courier_manifest_to(&hand_back.hand_back_id, &manifest)
    }

    /// Loads a courier's manifest (what `load_courier_manifest` fetched) into the open hand-back of
    /// that courier and matches the items scanned so far to its lines.
    pub fn apply_courier_manifest(&self, manifest: &CourierManifest) -> Result<CounterView> {
        let hand_back = self.store.with_conn(open_hand_back)?;
        if hand_back.courier_id != manifest.courier.employee_id {
            return Err(KioskError::InvalidInput(format!(
                "the manifest is courier {}'s, the hand-back courier {}'s",
                manifest.courier.employee_id, hand_back.courier_id
            )));
        }
        self.apply_courier_manifest_to(&hand_back.hand_back_id, manifest)
    }

    fn apply_courier_manifest_to(&self, hand_back_id: &str, manifest: &CourierManifest) -> Result<CounterView> {
        self.store.with_tx::<_, KioskError>(|tx| {
            // The hand-back may have been completed or cancelled while the manifest was on its way.
            let Ok(current) = open_hand_back(tx) else { return Ok(()) };
            if current.hand_back_id != hand_back_id {
                return Ok(());
            }
            hand_back_lines::replace_hand_back_lines(tx, hand_back_id, &manifest.lines)?;
            hand_backs::set_hand_back_manifest_loaded(tx, hand_back_id, &manifest.courier.name)?;
            let mut items = hand_back_items::list_hand_back_items(tx, hand_back_id)?;
            for index in 0..items.len() {
                if items[index].item_id.is_some() {
                    continue;
                }
                let code = ItemCode::stored(&items[index].code, items[index].is_mark);
                if let Some(line) = unmatched_line(&manifest.lines, &items, &code) {
                    let item = &mut items[index];
                    // A reason chosen before the match fixed the fee for the category the counter
                    // guessed; the op now names the line, and the server checks the line's category.
                    let fee = item.reason.map(|reason| refusal_fee(tx, &line.category, reason)).transpose()?;
                    hand_back_items::set_hand_back_item_line(tx, &item.return_id, line, fee)?;
                    item.item_id = Some(line.item_id.clone());
                }
            }
            Ok(())
        })?;
        self.view()
    }

    /// Records why the courier brought this item back, and fixes its fee: none for a defect (no charge,
    /// no return shipping), the policy fee for a buyer-side reason. Choosing again replaces it.
    pub fn set_hand_back_reason(
        &self,
        return_id: &str,
        reason: RefusalReason,
        description: Option<&str>,
    ) -> Result<CounterView> {
        let return_id = parse_return_id(return_id)?;
        let refusal = Refusal::new(reason, description).map_err(|e| match e {
            RefusalError::DefectNeedsDescription => KioskError::DefectNeedsDescription,
            other => KioskError::InvalidInput(other.to_string()),
        })?;
        self.counter_tx(|tx| {
            let hand_back = open_hand_back(tx)?;
            let item = hand_back_items::list_hand_back_items(tx, &hand_back.hand_back_id)?
                .into_iter()
                .find(|i| i.return_id == return_id)
                .ok_or_else(|| KioskError::InvalidInput(format!("item {return_id} is not in this hand-back")))?;
            let fee = refusal_fee(tx, &item.category, reason)?;
            Ok(hand_back_items::set_hand_back_item_reason(tx, &return_id, reason, refusal.description(), fee)?)
        })?;
        self.view()
    }

    /// Takes a scanned item out of the hand-back (scanned by mistake).
    pub fn remove_hand_back_item(&self, return_id: &str) -> Result<CounterView> {
        let return_id = parse_return_id(return_id)?;
        self.counter_tx(|tx| {
            let hand_back = open_hand_back(tx)?;
            if !hand_back_items::delete_hand_back_item(tx, &hand_back.hand_back_id, &return_id)? {
                return Err(KioskError::InvalidInput(format!("item {return_id} is not in this hand-back")));
            }
            Ok(())
        })?;
        self.view()
    }

    /// Completes the hand-back: every scanned item has a reason; `accepted_by` (the manager, printed
    /// on the act) is named. Writes the op; each item becomes a returned unit; the act is shown.
    pub fn complete_hand_back(&self, accepted_by: &str) -> Result<CounterView> {
        let accepted_by = accepted_by.trim();
        if accepted_by.is_empty() {
            return Err(KioskError::InvalidInput("name who accepts the items: it goes on the act".into()));
        }
        let at = timestamp(self.now());
        self.counter_tx(|tx| {
            let hand_back = open_hand_back(tx)?;
            let lines = hand_back_lines::list_hand_back_lines(tx, &hand_back.hand_back_id)?;
            let scanned = hand_back_items::list_hand_back_items(tx, &hand_back.hand_back_id)?;
            if scanned.is_empty() {
                return Err(KioskError::HandBackEmpty);
            }
            let without_reason = scanned.iter().filter(|i| i.reason.is_none()).count();
            if without_reason > 0 {
                return Err(KioskError::ReasonsMissing(without_reason));
            }
            let mut items = Vec::with_capacity(scanned.len());
            for item in &scanned {
                let (Some(reason), Some(fee)) = (item.reason, item.fee) else { continue };
                items.push(HandBackItem {
                    return_id: item.return_id.clone(),
                    code: item.code.clone(),
                    item_id: item.item_id.clone(),
                    order_id: item.order_id.clone(),
                    reason,
                    description: item.description.clone(),
                    fee: fee.fee,
                });
                return_items::insert_return_item(
                    tx,
                    &ReturnItemRow {
                        return_id: item.return_id.clone(),
                        source: ReturnSource::Courier,
                        item_id: item.item_id.clone(),
                        order_id: item.order_id.clone(),
                        item_name: item.name.clone(),
                        barcode: (!item.is_mark).then(|| item.code.clone()),
                        mark: item.is_mark.then(|| item.code.clone()),
                        reason: Some(reason),
                        claim_id: None,
                        hand_back_id: Some(hand_back.hand_back_id.clone()),
                        received_at: at.clone(),
                        box_id: None,
                    },
                )?;
            }
            let missing = lines
                .iter()
                .filter(|l| !scanned.iter().any(|i| i.item_id.as_ref() == Some(&l.item_id)))
                .map(|l| l.item_id.clone())
                .collect();
            let body = OpBody::CourierHandBackCompleted {
                hand_back_id: hand_back.hand_back_id.clone(),
                courier_id: hand_back.courier_id.clone(),
                accepted_by: accepted_by.to_owned(),
                items,
                missing,
            };
            let op = outbox::append_op(tx, &body, &at)?;
            hand_backs::mark_hand_back_completed(tx, &hand_back.hand_back_id, accepted_by, &op.op_id.to_string(), &at)?;
            Ok(settings::change_counter_state(tx, |s| {
                s.hand_back = None;
                s.hand_back_act = Some(hand_back.hand_back_id);
            })?)
        })?;
        self.view()
    }

    /// Drops the open hand-back and everything scanned into it; nothing was recorded.
    pub fn cancel_hand_back(&self) -> Result<CounterView> {
        self.counter_tx(|tx| {
            if let Some(hand_back_id) = settings::change_counter_state(tx, |s| s.hand_back.take())? {
                hand_backs::delete_open_hand_back(tx, &hand_back_id)?;
            }
            Ok(())
        })?;
        self.view()
    }

    pub fn dismiss_hand_back_act(&self) -> Result<CounterView> {
        self.update_counter_state(|s| s.hand_back_act = None)
    }
}
