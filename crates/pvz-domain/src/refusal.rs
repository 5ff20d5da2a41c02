//! Refusal reasons (причины отказа) and the rule that a defect refusal must be described.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Why the buyer (or the courier on the buyer's behalf) did not take an item.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RefusalReason {
    /// Брак: a defect found before payment.
    Defect,
    /// Не подошёл (size, fit).
    DidNotFit,
    /// Передумал.
    ChangedMind,
    /// Не тот товар: the seller sent something else.
    WrongItem,
    /// Некомплект: parts are missing.
    Incomplete,
}

impl RefusalReason {
    pub const ALL: [RefusalReason; 5] = [
        RefusalReason::Defect,
        RefusalReason::DidNotFit,
        RefusalReason::ChangedMind,
        RefusalReason::WrongItem,
        RefusalReason::Incomplete,
    ];

    /// The seller caused it (defect, wrong item, incomplete): the buyer never pays for the return.
    pub fn is_seller_fault(self) -> bool {
        matches!(self, RefusalReason::Defect | RefusalReason::WrongItem | RefusalReason::Incomplete)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RefusalReason::Defect => "defect",
            RefusalReason::DidNotFit => "did_not_fit",
            RefusalReason::ChangedMind => "changed_mind",
            RefusalReason::WrongItem => "wrong_item",
            RefusalReason::Incomplete => "incomplete",
        }
    }

    pub fn parse(raw: &str) -> Option<RefusalReason> {
        RefusalReason::ALL.into_iter().find(|r| r.as_str() == raw)
    }
}

/// A validated refusal: a defect always carries a description of what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    reason: RefusalReason,
    description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefusalError {
    #[error("a defect refusal needs a description of the defect")]
    DefectNeedsDescription,
    #[error("the description is longer than {max} characters")]
    DescriptionTooLong { max: usize },
}

impl Refusal {
    pub const MAX_DESCRIPTION: usize = crate::text::DESCRIPTION.max;

    pub fn new(reason: RefusalReason, description: Option<&str>) -> Result<Refusal, RefusalError> {
        let description = description.map(str::trim).filter(|d| !d.is_empty());
        if let Some(d) = description {
            if d.chars().count() > Self::MAX_DESCRIPTION {
                return Err(RefusalError::DescriptionTooLong { max: Self::MAX_DESCRIPTION });
            }
        }
        if reason == RefusalReason::Defect && description.is_none() {
            return Err(RefusalError::DefectNeedsDescription);
        }
        Ok(Refusal { reason, description: description.map(str::to_owned) })
    }

    pub fn reason(&self) -> RefusalReason {
        self.reason
    }

    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_defect_needs_a_description() {
        assert_eq!(
            Refusal::new(RefusalReason::Defect, None),
            Err(RefusalError::DefectNeedsDescription),
            "no description"
        );
        assert_eq!(
            Refusal::new(RefusalReason::Defect, Some("   ")),
            Err(RefusalError::DefectNeedsDescription),
            "whitespace is not a description"
        );
        let ok = Refusal::new(RefusalReason::Defect, Some(" шов разошёлся ")).expect("a described defect is valid");
        assert_eq!(ok.description(), Some("шов разошёлся"), "the description is trimmed");
    }

    #[test]
    fn other_reasons_need_no_description() {
        for reason in
            [RefusalReason::DidNotFit, RefusalReason::ChangedMind, RefusalReason::WrongItem, RefusalReason::Incomplete]
        {
            assert!(Refusal::new(reason, None).is_ok(), "{reason:?} must not require a description");
        }
    }

    #[test]
    fn reasons_round_trip_through_their_names() {
        for reason in RefusalReason::ALL {
            assert_eq!(RefusalReason::parse(reason.as_str()), Some(reason), "{reason:?} must parse from its own name");
        }
        assert_eq!(RefusalReason::parse("broken"), None, "unknown names are rejected");
    }
}
