//! Admin side of claims (претензии): open one on a paid item, decide it for the network, act on it
//! as the network operator, revoke it, show it; and the credential a seller uses to decide its own claims through the API.

use super::{parse_id, Admin};
use crate::claims::{self, ClaimActor, Decider};
use crate::credentials::{PartyCredential, PartyKind, SellerCredential};
use crate::db::sql::Transaction;
use crate::db::{self, orders, sellers};
use crate::error::{Result, ServerError};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use pvz_domain::{ClaimId, Compensation, ItemId, OrderId};
use pvz_protocol::{ClaimActionRequest, ClaimStatus, SellerDecision};

impl Admin {
    /// A claim is read, checked and written in an IMMEDIATE transaction, as a push is: the write lock
    /// is taken first, so a decision and a push touching the same claim or order run one after the
    /// other (waiting out the busy timeout), instead of a deferred read failing to upgrade with
    /// "database is locked".
    fn claim_transaction(&self) -> Result<Transaction<'_>> {
        Ok(self.conn.transaction()?)
    }

    /// Opens a claim on an item of an issued order that was handed over. Returns its status.
    pub fn open_claim(&self, order: &str, item: &str, description: &str) -> Result<ClaimStatus> {
        self.open_claim_as(claims::new_claim_id()?.as_str(), order, item, description)
    }

    /// [`Admin::open_claim`] under a chosen claim id (the demo's are fixed).
    pub fn open_claim_as(&self, id: &str, order: &str, item: &str, description: &str) -> Result<ClaimStatus> {
        let id = parse_id(ClaimId::parse, id)?;
        let (order, item) = (parse_id(OrderId::parse, order)?, parse_id(ItemId::parse, item)?);
        let tx = self.claim_transaction()?;
        let claim = claims::open_claim(&tx, &id, &order, &item, description, &db::now_text())?;
        tx.commit()?;
        Ok(claim.to_status())
    }

    /// Decides an open claim for the network, as its seller could through the API.
    pub fn decide_claim(&self, id: &str, decision: &SellerDecision) -> Result<ClaimStatus> {
        let id = parse_id(ClaimId::parse, id)?;
        let tx = self.claim_transaction()?;
        let claim = claims::decide_claim(&tx, &self.claim_codes, &id, Decider::Network, decision, &db::now_text())?;
        tx.commit()?;
        Ok(claim.to_status())
    }

    /// Withdraws an open or approved claim.
    pub fn revoke_claim(&self, id: &str, reason: &str) -> Result<ClaimStatus> {
        let id = parse_id(ClaimId::parse, id)?;
        let tx = self.claim_transaction()?;
        let claim = claims::revoke_claim(&tx, &id, reason, &db::now_text())?;
        tx.commit()?;
        Ok(claim.to_status())
    }

    /// Takes one of the claim's actions as the network operator (who may also stand in for the
    /// claim's seller); answers the claim after, with the network's actions then.
    pub fn act_on_claim(&self, id: &str, request: &ClaimActionRequest) -> Result<ClaimStatus> {
        let id = parse_id(ClaimId::parse, id)?;
        let tx = self.claim_transaction()?;
        let claim = claims::act_on_claim(&tx, &self.claim_codes, &id, &ClaimActor::Network, request, &db::now_text())?;
        tx.commit()?;
        Ok(claim.to_status_with(claims::actions_for(&claim, &ClaimActor::Network)))
    }

    /// The claim with the actions the network operator may take on it now.
    pub fn claim_with_actions(&self, id: &str) -> Result<ClaimStatus> {
        let claim = claims::require_claim(&self.conn, &parse_id(ClaimId::parse, id)?)?;
        Ok(claim.to_status_with(claims::actions_for(&claim, &ClaimActor::Network)))
    }

    /// A refund of the whole price the buyer paid for the claim's item.
    pub fn full_refund(&self, id: &str) -> Result<Compensation> {
        let claim = claims::require_claim(&self.conn, &parse_id(ClaimId::parse, id)?)?;
        let item = orders::get_item(&self.conn, &claim.item_id)?
            .ok_or_else(|| ServerError::Internal(format!("claim {id} names a missing item")))?;
        Ok(Compensation::Refund { amount: item.item.price })
    }

    pub fn claim_status(&self, id: &str) -> Result<ClaimStatus> {
        Ok(claims::require_claim(&self.conn, &parse_id(ClaimId::parse, id)?)?.to_status())
    }

    /// A new API credential for the seller; the previous one stops working. Shown once: only its
    /// hash is kept.
    pub fn issue_seller_credential(&self, seller_id: &str) -> Result<String> {
        if !sellers::seller_exists(&self.conn, seller_id)? {
            return Err(ServerError::NotFound(format!("seller {seller_id} does not exist")));
        }
        let secret = URL_SAFE_NO_PAD.encode(crate::keys::random_bytes::<32>()?);
        let tx = self.conn.transaction()?;
        sellers::upsert_seller_credential(&tx, seller_id, &db::sha256_hex(secret.as_bytes()), &db::now_text())?;
        // Whoever signed in to the web page with the old credential is signed out with it.
        db::web_sessions::end_web_sessions_of(&tx, "seller", seller_id, db::now_unix())?;
        tx.commit()?;
        Ok(SellerCredential { seller_id: seller_id.to_owned(), secret }.to_text())
    }

    /// A new API credential for the buyer front or an operator under `name`; an earlier one of the
    /// same kind and name stops working. Shown once: only its hash is kept.
    pub fn issue_party_credential(&self, kind: PartyKind, name: &str) -> Result<String> {
        let valid = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
        if !valid || name.len() > 64 {
            return Err(ServerError::BadRequest(format!(
                "{name:?} is not a credential name: use 1-64 latin letters, digits, '-', '_' or '.'"
            )));
        }
        let secret = URL_SAFE_NO_PAD.encode(crate::keys::random_bytes::<32>()?);
        let tx = self.conn.transaction()?;
        db::api_credentials::upsert_api_credential(
            &tx,
            kind,
            name,
            &db::sha256_hex(secret.as_bytes()),
            &db::now_text(),
        )?;
        if kind == PartyKind::Operator {
            // Whoever signed in to the web page with the old credential is signed out with it.
            db::web_sessions::end_web_sessions_of(&tx, "operator", name, db::now_unix())?;
        }
        tx.commit()?;
        Ok(PartyCredential { kind, principal: name.to_owned(), secret }.to_text())
    }
}
