//! Claims' conversations for the operator at the command line: read a thread, and purge finished
//! claims' personal data once the retention period is over.

use super::{parse_id, Admin};
use crate::conversation::{self, ThreadMessage};
use crate::error::Result;
use crate::retention::{self, Purged};
use pvz_domain::ClaimId;

impl Admin {
    /// The claim's whole conversation, oldest first, with who wrote each message.
    pub fn claim_thread(&self, claim: &str) -> Result<Vec<ThreadMessage>> {
        conversation::read_thread(&self.conn, &parse_id(ClaimId::parse, claim)?)
    }

    /// Deletes the messages, attachments and description of claims finished more than
    /// `older_than_days` days ago (see [`retention::purge_personal_data`]).
    pub fn purge_personal_data(&self, older_than_days: u32) -> Result<Purged> {
        retention::purge_personal_data(&self.conn, &self.blobs, older_than_days, chrono::Utc::now())
    }
}
