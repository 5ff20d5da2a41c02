//! The claim return code a pushed claim return carries (protocol 4), for tests that push one as a
//! kiosk would after scanning the buyer's code.

use crate::common::TestServer;
use pvz_protocol::OpBody;

impl TestServer {
    /// `body` (a claim return) with the claim return code a buyer would show: signed by the network's
    /// key and stating exactly what the op says, valid until 2100. Other bodies pass unchanged.
    pub fn proven(&self, mut body: OpBody) -> OpBody {
        if let OpBody::ClaimReturnAccepted {
            claim_id,
            order_id,
            item_id,
            compensation,
            amount,
            code_issue,
            return_code,
            ..
        } = &mut body
        {
            let claims = pvz_protocol::ClaimReturnClaims {
                claim_id: claim_id.clone(),
                order_id: order_id.clone(),
                item_id: item_id.clone(),
                item_name: None,
                barcode: None,
                compensation: *compensation,
                amount: *amount,
                expires_at: 4_102_444_800,
                code_issue: *code_issue,
            };
            *return_code = Some(claims.sign(self.admin.signing_key()));
        }
        body
    }
}
