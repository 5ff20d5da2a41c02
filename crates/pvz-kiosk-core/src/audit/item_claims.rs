//! Претензии по товару: the claims on an item as the server holds them now, asked when the manager
//! opens the item's history. A claim decided without return (a refund the buyer keeps the item for, a
//! missing part) has no code to scan, so this is where the counter sees its decision. Nothing is kept:
//! offline the answer is an error saying so, never an old list taken for the current one.

use crate::error::{KioskError, Result};
use crate::sync::client::ServerClient;
use crate::sync::server_access;
use crate::sync::ClientConfig;
use crate::Kiosk;
use pvz_domain::ItemId;
use pvz_protocol::ClaimStatus;

impl Kiosk {
    /// The claims on the item `item_id`, newest first, without their return codes. Not connected to
    /// a server: `NotConnected`; the server out of reach: `ServerUnreachable`; an item the server
    /// does not hold at this point: `SyncRefused` with `not_found`.
    pub async fn item_claims(&self, item_id: &str) -> Result<Vec<ClaimStatus>> {
        self.item_claims_with(item_id, &ClientConfig::default()).await
    }

    /// [`Kiosk::item_claims`] with explicit timeouts.
    pub async fn item_claims_with(&self, item_id: &str, config: &ClientConfig) -> Result<Vec<ClaimStatus>> {
        let item = ItemId::parse(item_id.trim())
            .map_err(|_| KioskError::InvalidInput(format!("{item_id:.64} is not an item id")))?;
        let server = server_access(self)?;
        let client = ServerClient::new(&server.server_url, config)?;
        client.item_claims(&server.credential, &item).await
    }
}
