//! The text forms of the secrets people type or send, parsed the same way by the admin that issues
//! them and the API that checks them: a seller's API credential and a kiosk's enrollment code.
//! (A device's credential is the protocol's, `pvz_protocol::sync::DeviceCredential`.)

/// `Authorization: Bearer pvzs1.<seller id>.<secret>`: a seller's API credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SellerCredential {
    pub seller_id: String,
    pub secret: String,
}

impl SellerCredential {
    const PREFIX: &'static str = "pvzs1.";

    pub fn parse(raw: &str) -> Option<SellerCredential> {
        let (seller_id, secret) = raw.strip_prefix(Self::PREFIX)?.rsplit_once('.')?;
        (!seller_id.is_empty() && !secret.is_empty())
            .then(|| SellerCredential { seller_id: seller_id.to_owned(), secret: secret.to_owned() })
    }

    pub fn to_text(&self) -> String {
        format!("{}{}.{}", Self::PREFIX, self.seller_id, self.secret)
    }
}

/// The parties other than sellers and devices that call the claim API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PartyKind {
    /// The marketplace's buyer side (site, app): opens claims and writes for buyers.
    BuyerFront,
    /// The network operator's staff: decides marketplace returns and disputes.
    Operator,
}

impl PartyKind {
    /// The `api_credentials.kind` column.
    pub fn as_str(self) -> &'static str {
        match self {
            PartyKind::BuyerFront => "buyer_front",
            PartyKind::Operator => "operator",
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            PartyKind::BuyerFront => "pvzb1.",
            PartyKind::Operator => "pvzo1.",
        }
    }
}

/// `Authorization: Bearer pvzb1.<name>.<secret>` (buyer front) or `pvzo1.<name>.<secret>` (operator).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyCredential {
    pub kind: PartyKind,
    pub principal: String,
    pub secret: String,
}

impl PartyCredential {
    pub fn parse(raw: &str) -> Option<PartyCredential> {
        [PartyKind::BuyerFront, PartyKind::Operator].into_iter().find_map(|kind| {
            let (principal, secret) = raw.strip_prefix(kind.prefix())?.rsplit_once('.')?;
            (!principal.is_empty() && !secret.is_empty()).then(|| PartyCredential {
                kind,
                principal: principal.to_owned(),
                secret: secret.to_owned(),
            })
        })
    }

    pub fn to_text(&self) -> String {
        format!("{}{}.{}", self.kind.prefix(), self.principal, self.secret)
    }
}

/// Who calls the claim API (beside kiosks), as their credential names them: a seller, the buyer
/// front or an operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Party {
    /// A seller, by its id: only its own claims exist for it.
    Seller(String),
    /// The buyer front, by its credential's name; it acts for any buyer it names.
    BuyerFront(String),
    /// An operator, by its credential's name; every claim.
    Operator(String),
}

/// Enrollment codes are typed by people: case, spaces and dashes do not matter.
pub fn normalize_enrollment_code(raw: &str) -> String {
    raw.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seller_credential_round_trips_and_junk_is_refused() {
        let credential = SellerCredential { seller_id: "seller-a.b".into(), secret: "s3cr3t".into() };
        assert_eq!(SellerCredential::parse(&credential.to_text()), Some(credential), "the text form round-trips");
        for junk in ["", "pvzs1.", "pvzs1.seller", "pvzs1..secret", "pvzs1.seller.", "pvzd1.dev.secret"] {
            assert_eq!(SellerCredential::parse(junk), None, "{junk:?} is not a seller credential");
        }
    }

    #[test]
    fn party_credentials_round_trip_by_kind_and_junk_is_refused() {
        for kind in [PartyKind::BuyerFront, PartyKind::Operator] {
            let credential = PartyCredential { kind, principal: "front.main".into(), secret: "s3cr3t".into() };
            assert_eq!(PartyCredential::parse(&credential.to_text()), Some(credential), "{kind:?} round-trips");
        }
        for junk in ["", "pvzb1.", "pvzo1.front", "pvzb1..secret", "pvzo1.op.", "pvzs1.seller.secret"] {
            assert_eq!(PartyCredential::parse(junk), None, "{junk:?} is not a buyer-front or operator credential");
        }
    }
}
