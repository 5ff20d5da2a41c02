//! Приём возврата по претензии: a claim return code opens the claim (signature and expiry checked
//! offline with the pinned key), the server's current state is asked when online, the manager checks
//! the item and notes its condition, and accepting writes the `ClaimReturnAccepted` op (carrying the
//! code as scanned: the server pays only against it), the returned unit and its label in one
//! transaction. The signature is the offline authority: a claim revoked
//! meanwhile is rejected at sync and lands on the attention list, and nothing is paid. Online, the
//! server's word also refuses an item the route sends to the seller or leaves with the buyer, and a
//! code a route change replaced; the return deadline the code carries refuses it offline too.
//! A compact code carries no item name: the counter takes it from its store's order, else from the
//! server's answer, and until then the window shows the item without one.

use crate::codes::qr::qr_svg_data_uri;
use crate::codes::{item_lookup_key, verify_signed};
use crate::error::{KioskError, Result};
use crate::evidence;
use crate::kiosk::{new_return_id, timestamp};
use crate::returns::claim_refusal::{refusal_error, refusal_of, return_deadline};
use crate::store::claim_returns::{self, ClaimReturnRow, ServerWord};
use crate::store::Db;
use crate::store::{claim_photos, orders, outbox, return_items, settings, CounterState};
use crate::sync::client::ServerClient;
use crate::sync::server_access;
use crate::sync::ClientConfig;
use crate::view::returns::{ClaimReturnView, ReturnLabelView};
use crate::view::{CounterView, ScanNotice};
use crate::Kiosk;
use chrono::{DateTime, Utc};
use pvz_domain::scan::RETURN_LABEL_PREFIX;
use pvz_domain::{ClaimDecision, ClaimId, ClaimState, ItemFate, ItemId, OrderId, Refusal, ReturnId, Scan};
use pvz_protocol::sync::error_code::NOT_FOUND;
use pvz_protocol::{ClaimReturnClaims, ClaimStatus, Enrollment, OpBody, ReturnSource};
use return_items::ReturnItemRow;

/// A scanned claim return code: verified, then the claim goes on the counter as a draft (a draft of
/// the same claim is resumed as it was).
pub(crate) fn open_claim(
    conn: &Db<'_>,
    enrollment: &Enrollment,
    token: &str,
    now: DateTime<Utc>,
) -> Result<ScanNotice> {
    let claims = verify_signed(conn, enrollment, "claim return code", |key| {
        ClaimReturnClaims::verify(token, key, now.timestamp())
    })
    // A claim code's expiry is the claim's return deadline: the counter says so, with the date.
    .map_err(|e| match e {
        KioskError::TokenExpired { expired_at } => KioskError::ClaimReturnExpired { deadline: expired_at },
        other => other,
    })?;
    // The server issues no return code for a missing part; a signed one still takes nothing back.
    if !claims.compensation.needs_item_back() {
        return Err(KioskError::ClaimNothingToReturn);
    }
    if let Some(existing) = claim_returns::get_claim_return(conn, &claims.claim_id)? {
        if existing.accepted_at.is_some() {
            return Err(KioskError::ClaimAlreadyUsed);
        }
    }
    let at = timestamp(now);
    let item_name = match claims.item_name {
        Some(name) => name,
        None => stored_item_name(conn, &claims.order_id, &claims.item_id)?.unwrap_or_default(),
    };
    claim_returns::insert_claim_return(
        conn,
        &ClaimReturnRow {
            claim_id: claims.claim_id.clone(),
            order_id: claims.order_id,
            item_id: claims.item_id,
            item_name,
            barcode: claims.barcode,
            compensation: claims.compensation,
            amount: claims.amount,
            expires_at: DateTime::from_timestamp(claims.expires_at, 0).map(timestamp).unwrap_or_default(),
            code_issue: claims.code_issue,
            return_code: Some(token.to_owned()),
            opened_at: at,
            server: None,
            status_checked_at: None,
            item_checked: false,
            condition: String::new(),
            accepted_at: None,
            return_id: None,
            op_id: None,
        },
    )?;
    settings::set_counter_state(conn, &CounterState { claim: Some(claims.claim_id), ..CounterState::default() })?;
    Ok(ScanNotice::ClaimOpened)
}

/// An item scanned while a claim is on the counter: is it the claim's item?
pub(crate) fn check_item(conn: &Db<'_>, claim_id: &ClaimId, scan: &Scan) -> Result<ScanNotice> {
    let claim = draft(conn, claim_id)?;
    let code = item_lookup_key(scan).ok_or(KioskError::ClaimOtherItem)?;
    if !code.matches(claim.barcode.as_deref(), None) {
        return Err(KioskError::ClaimOtherItem);
    }
    claim_returns::set_claim_item_checked(conn, claim_id)?;
    Ok(ScanNotice::ClaimItemChecked)
}

/// The item's name as this point's store has it, if the claim's order is in the store.
fn stored_item_name(conn: &Db<'_>, order_id: &OrderId, item_id: &ItemId) -> Result<Option<String>> {
    let items = orders::list_items(conn, order_id)?;
    Ok(items.into_iter().find(|item| item.item_id == *item_id).map(|item| item.name))
}

fn draft(conn: &Db<'_>, claim_id: &ClaimId) -> Result<ClaimReturnRow> {
    claim_returns::get_claim_return(conn, claim_id)?
        .filter(|c| c.accepted_at.is_none())
        .ok_or(KioskError::NoActiveClaim)
}

fn active_draft(conn: &Db<'_>) -> Result<ClaimReturnRow> {
    let claim_id = settings::get_counter_state(conn)?.claim.ok_or(KioskError::NoActiveClaim)?;
    draft(conn, &claim_id)
}

/// The server's answer about a claim, as the counter keeps it.
fn server_word(status: &ClaimStatus) -> ServerWord {
    ServerWord {
        state: status.state,
        reason: status.reason.clone(),
        decision: status.decision,
        item_fate: status.item_fate,
        route: status.route,
        return_deadline: status.return_deadline.clone(),
        code_issue: status.code_issue,
    }
}

impl Kiosk {
    /// Asks the server for the claim on the counter's current state. Offline (or not connected to a
    /// server) the state stays unknown and the view comes back unchanged: the code's signature is
    /// the offline authority and accepting stays allowed. Call it after a `ClaimOpened` notice.
    pub async fn refresh_claim_status(&self) -> Result<CounterView> {
        self.refresh_claim_status_with(&ClientConfig::default()).await
    }

    /// [`Kiosk::refresh_claim_status`] with explicit timeouts.
    pub async fn refresh_claim_status_with(&self, config: &ClientConfig) -> Result<CounterView> {
        let claim_id = self.store.with_conn(|c| Ok::<_, KioskError>(active_draft(c)?.claim_id))?;
        let server = match server_access(self) {
            Ok(server) => server,
            Err(KioskError::NotConnected) => return self.view(),
            Err(e) => return Err(e),
        };
        let client = ServerClient::new(&server.server_url, config)?;
        let (word, item_name) = match client.claim_status(&server.credential, &claim_id).await {
            Ok(status) if status.claim_id == claim_id => (server_word(&status), Some(status.item_name)),
            Ok(other) => {
                return Err(KioskError::SyncRefused {
                    code: "bad_response".into(),
                    message: format!("asked about claim {claim_id}, the server answered about {}", other.claim_id),
                })
            }
            // A claim the server does not know was never approved there: the op would be rejected.
            Err(KioskError::SyncRefused { code, .. }) if code == NOT_FOUND => (
                ServerWord {
                    state: ClaimState::Open,
                    reason: Some("the server does not know this claim".to_owned()),
                    decision: ClaimDecision::UnderReview,
                    item_fate: ItemFate::WithBuyer,
                    route: None,
                    return_deadline: None,
                    code_issue: pvz_protocol::token::first_code_issue(),
                },
                None,
            ),
            Err(e) if e.is_transient() => {
                tracing::info!(%claim_id, error = %e, "claim status unavailable; the signed code stands");
                return self.view();
            }
            Err(e) => return Err(e),
        };
        // The manager may have cancelled or accepted the claim while the answer was on its way.
        self.record_server_word(&claim_id, &word, item_name.as_deref())?;
        self.view()
    }

    /// Records the server's answer about the claim on the counter (what `refresh_claim_status`
    /// fetched): a state other than approved, a route other than through a pickup point, or a newer
    /// code set the view's `refusal`, and accepting is refused. It names an item the counter did not know.
    pub fn apply_claim_status(&self, status: &ClaimStatus) -> Result<CounterView> {
        if !self.record_server_word(&status.claim_id, &server_word(status), Some(&status.item_name))? {
            return Err(KioskError::InvalidInput(format!(
                "the status is of claim {}, which is not on the counter",
                status.claim_id
            )));
        }
        self.view()
    }

    /// Stores the server's word on `claim_id` if that claim is still on the counter, and the item's
    /// name if the counter had none; returns whether.
    fn record_server_word(&self, claim_id: &ClaimId, word: &ServerWord, item_name: Option<&str>) -> Result<bool> {
        let at = timestamp(self.now());
        self.store.with_tx::<_, KioskError>(|tx| {
            if settings::get_counter_state(tx)?.claim.as_ref() != Some(claim_id) || draft(tx, claim_id).is_err() {
                return Ok(false);
            }
            claim_returns::set_claim_server_word(tx, claim_id, word, &at)?;
            if let Some(name) = item_name.filter(|name| !name.trim().is_empty()) {
                claim_returns::fill_claim_item_name(tx, claim_id, name)?;
            }
            Ok(true)
        })
    }

    /// The claim's code carries no barcode: the manager confirms by eye that this is the claim's item.
    pub fn check_claim_item(&self) -> Result<CounterView> {
        self.counter_tx(|tx| {
            let claim = active_draft(tx)?;
            if claim.barcode.is_some() {
                return Err(KioskError::InvalidInput("this claim's item has a barcode: scan it to check it".into()));
            }
            Ok(claim_returns::set_claim_item_checked(tx, &claim.claim_id)?)
        })?;
        self.view()
    }

    /// Notes the item's condition (what the manager sees), replacing an earlier note.
    pub fn set_claim_condition(&self, text: &str) -> Result<CounterView> {
        let text = text.trim();
        if text.chars().count() > Refusal::MAX_DESCRIPTION {
            return Err(KioskError::InvalidInput(format!(
                "the condition note is longer than {} characters",
                Refusal::MAX_DESCRIPTION
            )));
        }
        self.counter_tx(|tx| {
            let claim = active_draft(tx)?;
            Ok(claim_returns::set_claim_condition(tx, &claim.claim_id, text)?)
        })?;
        self.view()
    }

    /// Attaches a photo of the item's condition; it travels with the accept op.
    pub fn attach_claim_photo(&self, bytes: &[u8]) -> Result<CounterView> {
        let at = timestamp(self.now());
        self.counter_tx(|tx| {
            let claim = active_draft(tx)?;
            let photo = evidence::store_photo_ref(self.evidence_dir(), bytes)?;
            Ok(claim_photos::insert_claim_photo(tx, &claim.claim_id, &photo, &at)?)
        })?;
        self.view()
    }

    /// Accepts the item back: the claim must not be refused (the server's word, the deadline), the
    /// item checked and its condition noted. Writes the op (with the code's issue, for the server to
    /// refuse a code replaced since, and the code itself as proof), the returned unit and shows its label.
    pub fn accept_claim_return(&self) -> Result<CounterView> {
        let now = self.now();
        let at = timestamp(now);
        self.counter_tx(|tx| {
            let claim = active_draft(tx)?;
            if let Some(refusal) = refusal_of(&claim, now) {
                return Err(refusal_error(refusal, &claim));
            }
            if !claim.item_checked {
                return Err(KioskError::ClaimItemNotChecked);
            }
            if claim.condition.trim().is_empty() {
                return Err(KioskError::ClaimConditionMissing);
            }
            // A draft opened before the store kept codes: the server pays nothing without one.
            let Some(return_code) = claim.return_code.clone() else {
                return Err(KioskError::InvalidInput(
                    "scan the claim return code again: the server needs it as proof of the return".into(),
                ));
            };
            let return_id = new_return_id();
            let body = OpBody::ClaimReturnAccepted {
                claim_id: claim.claim_id.clone(),
                order_id: claim.order_id.clone(),
                item_id: claim.item_id.clone(),
                return_id: return_id.clone(),
                compensation: claim.compensation,
                amount: claim.amount,
                condition: claim.condition.clone(),
                photos: claim_photos::list_claim_photos(tx, &claim.claim_id)?,
                code_issue: claim.code_issue,
                return_code: Some(return_code),
            };
            let op = outbox::append_op(tx, &body, &at)?;
            claim_returns::mark_claim_accepted(tx, &claim.claim_id, &return_id, &op.op_id.to_string(), &at)?;
            return_items::insert_return_item(
                tx,
                &ReturnItemRow {
                    return_id: return_id.clone(),
                    source: ReturnSource::Claim,
                    item_id: Some(claim.item_id),
                    order_id: Some(claim.order_id),
                    item_name: claim.item_name,
                    barcode: claim.barcode,
                    mark: None,
                    reason: None,
                    claim_id: Some(claim.claim_id),
                    hand_back_id: None,
                    received_at: at.clone(),
                    box_id: None,
                },
            )?;
            Ok(settings::change_counter_state(tx, |s| {
                s.claim = None;
                s.return_label = Some(return_id);
            })?)
        })?;
        self.view()
    }

    /// Takes the claim off the counter without accepting; its draft, note and photos are dropped.
    pub fn cancel_claim_return(&self) -> Result<CounterView> {
        self.counter_tx(|tx| {
            if let Some(claim_id) = settings::change_counter_state(tx, |s| s.claim.take())? {
                claim_returns::delete_claim_draft(tx, &claim_id)?;
            }
            Ok(())
        })?;
        self.view()
    }

    pub fn dismiss_return_label(&self) -> Result<CounterView> {
        self.update_counter_state(|s| s.return_label = None)
    }
}

/// The claim on the counter, as the window shows it.
pub(crate) fn claim_return_view(
    conn: &Db<'_>,
    claim_id: &ClaimId,
    now: DateTime<Utc>,
) -> Result<Option<ClaimReturnView>> {
    let Some(claim) = claim_returns::get_claim_return(conn, claim_id)?.filter(|c| c.accepted_at.is_none()) else {
        return Ok(None);
    };
    let photos = claim_photos::list_claim_photos(conn, claim_id)?.len();
    let word = claim.server.as_ref();
    Ok(Some(ClaimReturnView {
        refusal: refusal_of(&claim, now),
        return_deadline: return_deadline(&claim).to_owned(),
        decision: word.map(|w| w.decision),
        item_fate: word.map(|w| w.item_fate),
        route: word.and_then(|w| w.route),
        claim_id: claim.claim_id.to_string(),
        order_id: claim.order_id.to_string(),
        item_id: claim.item_id.to_string(),
        item_name: claim.item_name,
        check_by_eye: claim.barcode.is_none(),
        barcode: claim.barcode,
        compensation: claim.compensation,
        amount: claim.amount,
        expires_at: claim.expires_at,
        server_state: word.map(|w| w.state),
        server_reason: word.and_then(|w| w.reason.clone()),
        status_checked_at: claim.status_checked_at,
        item_checked: claim.item_checked,
        condition: claim.condition,
        photos: u32::try_from(photos).unwrap_or(u32::MAX),
    }))
}

/// `PVZR1:<return id>`: what a returned unit's label encodes.
pub fn return_label_qr_text(return_id: &ReturnId) -> String {
    format!("{RETURN_LABEL_PREFIX}{return_id}")
}

/// The label of a returned unit (any source); a claim's compensation and amount when it came on one.
pub(crate) fn return_label_view(conn: &Db<'_>, return_id: &ReturnId) -> Result<Option<ReturnLabelView>> {
    let Some(unit) = return_items::get_return_item(conn, return_id)? else { return Ok(None) };
    let claim = claim_returns::find_claim_return_by_return_id(conn, return_id)?;
    let qr_text = return_label_qr_text(return_id);
    Ok(Some(ReturnLabelView {
        return_id: return_id.to_string(),
        item_name: unit.item_name,
        source: unit.source,
        compensation: claim.as_ref().map(|c| c.compensation),
        amount: claim.map(|c| c.amount).unwrap_or_default(),
        accepted_at: unit.received_at,
        qr_data_uri: qr_svg_data_uri(&qr_text),
        qr_text,
    }))
}
