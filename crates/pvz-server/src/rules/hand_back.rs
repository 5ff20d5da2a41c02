//! Приём отказов от курьера with no IO: matching the items a courier handed back to the open lines
//! of the courier's manifest (by item id, or by the scanned code for a hand-back recorded offline),
//! the discrepancies (extras, missing lines), each accepted item's refusal fee, and the postings.

use super::{buyer_account, check_refusal_fee, seller_account, transfer, Posting, Rejection, NETWORK_FEES};
use pvz_domain::{FeePolicy, Kopecks, Refusal};
use pvz_protocol::sync::reject;
use pvz_protocol::{HandBackItem, ManifestLine};
use std::collections::BTreeSet;

/// An open line of a courier's manifest, with whose money it touches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestRow {
    pub line: ManifestLine,
    pub seller_id: String,
    pub buyer_id: String,
}

/// How the handed-back items fell on the manifest; indexes into the items and the lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Matching {
    /// (item, line) pairs.
    pub accepted: Vec<(usize, usize)>,
    /// Items that matched no open line.
    pub extras: Vec<usize>,
    /// Lines no item matched: they stay open on the manifest.
    pub missing: Vec<usize>,
}

/// Each item takes the open line it names, or, without an item id (recorded offline, or an extra
/// at the counter), the first untaken line whose barcode or marking is the scanned code. A line is
/// taken once; an item naming a taken or unknown line is an extra.
pub fn match_items(lines: &[ManifestRow], items: &[HandBackItem]) -> Matching {
    let mut taken = vec![false; lines.len()];
    let mut matching = Matching::default();
    for (i, item) in items.iter().enumerate() {
        let found = lines.iter().enumerate().position(|(l, line)| {
            !taken[l]
                && match &item.item_id {
                    Some(id) => &line.line.item_id == id,
                    None => [&line.line.barcode, &line.line.mark].into_iter().flatten().any(|c| c == &item.code),
                }
        });
        match found {
            Some(l) => {
                taken[l] = true;
                matching.accepted.push((i, l));
            }
            None => matching.extras.push(i),
        }
    }
    matching.missing = (0..lines.len()).filter(|l| !taken[*l]).collect();
    matching
}

/// The money of an accepted hand-back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HandBackMoney {
    pub postings: Vec<Posting>,
    /// The fee charged for each item, by the item's index: what the postings move, so the recorded
    /// hand-back matches the ledger. 0 for an extra.
    pub fees: Vec<Kopecks>,
}

/// Checks every item (one return unit each, a valid refusal) and each accepted item's fee against
/// the point's policies (current first), and returns the postings with the fee each item is charged:
/// a buyer-side fee from the buyer to the network, and a prepaid item's price back from the seller to
/// the buyer. Extras move no money: the server cannot tell whose they are. An item matched by its code
/// (a hand-back recorded offline) is charged the current policy's fee for its category, whatever the
/// counter guessed.
pub fn check_hand_back(
    lines: &[ManifestRow],
    items: &[HandBackItem],
    matching: &Matching,
    policies: &[FeePolicy],
) -> Result<HandBackMoney, Rejection> {
    let mut units = BTreeSet::new();
    for item in items {
        if !units.insert(item.return_id.as_str()) {
            return Err(Rejection::new(
                reject::INVALID_OP,
                format!("return unit {} is listed twice in the hand-back", item.return_id),
            ));
        }
        Refusal::new(item.reason, item.description.as_deref())
            .map_err(|e| Rejection::new(reject::INVALID_OP, format!("item {}: {e}", item.code)))?;
    }
    let mut money = HandBackMoney { postings: Vec::new(), fees: vec![Kopecks::ZERO; items.len()] };
    for &(i, l) in &matching.accepted {
        let (item, row) = (&items[i], &lines[l]);
        let fee = match &item.item_id {
            Some(_) => {
                check_refusal_fee(row.line.item_id.as_str(), &row.line.category, item.reason, item.fee, policies)?;
                item.fee
            }
            // Matched by code: recorded offline without the manifest, the counter could not know the
            // item's category and its fee is a guess. The buyer is not at the counter and nothing was
            // collected there, so the server charges its own current fee for the category.
            None => policies.first().map(|p| p.fee_for(&row.line.category, item.reason).fee).unwrap_or(Kopecks::ZERO),
        };
        money.fees[i] = fee;
        let buyer = buyer_account(&row.buyer_id);
        money.postings.extend(transfer(buyer.clone(), NETWORK_FEES.to_owned(), fee)?);
        if row.line.prepaid {
            money.postings.extend(transfer(seller_account(&row.seller_id), buyer, row.line.price)?);
        }
    }
    Ok(money)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pvz_domain::{ItemId, Kopecks, OrderId, RefusalReason, ReturnId};

    fn line(id: &str, barcode: &str, prepaid: bool) -> ManifestRow {
        ManifestRow {
            line: ManifestLine {
                item_id: ItemId::parse(id).expect("id"),
                order_id: OrderId::parse("o-1").expect("id"),
                name: "Джинсы".into(),
                variant: "32".into(),
                barcode: Some(barcode.into()),
                mark: None,
                category: "clothes".into(),
                price: Kopecks(100_000),
                prepaid,
            },
            seller_id: "s-1".into(),
            buyer_id: "b-1".into(),
        }
    }

    fn item(unit: &str, item_id: Option<&str>, code: &str, reason: RefusalReason, fee: i64) -> HandBackItem {
        HandBackItem {
            return_id: ReturnId::parse(unit).expect("id"),
            code: code.into(),
            item_id: item_id.map(|i| ItemId::parse(i).expect("id")),
            order_id: None,
            reason,
            description: (reason == RefusalReason::Defect).then(|| "порвано".into()),
            fee: Kopecks(fee),
        }
    }

    fn policies() -> Vec<FeePolicy> {
        vec![FeePolicy {
            default_fee: Kopecks(9_900),
            per_category: [("clothes".to_owned(), Kopecks(14_900))].into_iter().collect(),
        }]
    }

    #[test]
    fn items_match_by_id_or_by_code_and_the_rest_are_discrepancies() {
        let lines = [line("a", "111", false), line("b", "222", false), line("c", "333", false)];
        let items = [
            item("r1", Some("b"), "222", RefusalReason::Defect, 0),
            item("r2", None, "111", RefusalReason::Defect, 0),
            item("r3", None, "999", RefusalReason::Defect, 0),
            item("r4", Some("b"), "222", RefusalReason::Defect, 0),
        ];
        let m = match_items(&lines, &items);
        assert_eq!(m.accepted, vec![(0, 1), (1, 0)], "by id, then by code");
        assert_eq!(m.extras, vec![2, 3], "an unknown code and a line taken twice are extras");
        assert_eq!(m.missing, vec![2], "the line nobody brought is missing");
    }

    #[test]
    fn fees_follow_the_policy_and_a_prepaid_item_is_refunded() {
        let lines = [line("a", "111", true), line("b", "222", false)];
        let items = [
            item("r1", Some("a"), "111", RefusalReason::DidNotFit, 14_900),
            item("r2", Some("b"), "222", RefusalReason::Defect, 0),
        ];
        let m = match_items(&lines, &items);
        let money = check_hand_back(&lines, &items, &m, &policies()).expect("the fees are the policy's");
        let p = |account: &str, amount: i64| Posting { account: account.into(), amount: Kopecks(amount) };
        assert_eq!(money.fees, [Kopecks(14_900), Kopecks::ZERO], "each item is charged the fee it carried");
        assert_eq!(
            money.postings,
            vec![p("buyer:b-1", -14_900), p(NETWORK_FEES, 14_900), p("seller:s-1", -100_000), p("buyer:b-1", 100_000)],
            "the fee goes to the network and the prepaid price back to the buyer; a defect costs nothing"
        );
        let wrong = [item("r1", Some("a"), "111", RefusalReason::DidNotFit, 9_900)];
        let m = match_items(&lines, &wrong);
        let err = check_hand_back(&lines, &wrong, &m, &policies()).expect_err("not the clothes fee");
        assert_eq!(err.code, reject::AMOUNT_MISMATCH, "a fee no policy charged is refused: {}", err.message);
        let charged = [item("r1", Some("a"), "111", RefusalReason::Defect, 100)];
        let m = match_items(&lines, &charged);
        let err = check_hand_back(&lines, &charged, &m, &policies()).expect_err("a defect is free");
        assert_eq!(err.code, reject::INVALID_OP, "a charged defect is refused: {}", err.message);
    }

    #[test]
    fn an_item_recorded_offline_is_charged_the_servers_fee_for_its_category() {
        let lines = [line("a", "111", false), line("b", "222", false)];
        // Offline the counter knew no category and fixed the default fee (99 ₽), not the clothes fee;
        // the third item is on no line, and its guessed fee is not charged either.
        let items = [
            item("r1", None, "111", RefusalReason::DidNotFit, 9_900),
            item("r2", None, "222", RefusalReason::Defect, 0),
            item("r3", None, "999", RefusalReason::DidNotFit, 9_900),
        ];
        let m = match_items(&lines, &items);
        let money = check_hand_back(&lines, &items, &m, &policies()).expect("an offline guess is not refused");
        let p = |account: &str, amount: i64| Posting { account: account.into(), amount: Kopecks(amount) };
        assert_eq!(
            money.postings,
            vec![p("buyer:b-1", -14_900), p(NETWORK_FEES, 14_900)],
            "the buyer pays the category's current fee, and the defect stays free"
        );
        assert_eq!(
            money.fees,
            [Kopecks(14_900), Kopecks::ZERO, Kopecks::ZERO],
            "the fees charged are the server's, not the counter's guesses, and an extra is charged nothing"
        );
    }
}
