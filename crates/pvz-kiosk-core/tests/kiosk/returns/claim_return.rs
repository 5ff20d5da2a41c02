//! Приём возврата по претензии through the kiosk core on a real SQLite file: a claim return code is
//! verified offline, the item checked, its condition noted, and accepting writes one op, one
//! returned unit and a label; every refusal says why and writes nothing: the server's state, a
//! route that does not come through a pickup point, a code a route change replaced, a deadline past.

use crate::support::counter::*;
use pvz_domain::{ClaimDecision, ClaimState, CompensationKind, ItemFate, Kopecks, ReturnRoute};
use pvz_kiosk_core::{ClaimRefusal, ClaimReturnView, ErrorKind, Kiosk, ScanNotice};
use pvz_protocol::{demo, ClaimStatus, OpBody, ReturnSource};

#[test]
fn an_approved_claim_is_checked_noted_and_accepted_once_with_its_label() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, clock) = seeded(&dir);
    let code = refund_code("cl-1", &clock);

    let opened = kiosk.scan(&code).expect("a signed claim code opens the claim");
    assert_eq!(opened.notice, Some(ScanNotice::ClaimOpened), "the notice says a claim is on the counter");
    let claim = opened.view.screen.claim_return().expect("the claim is shown");
    assert_eq!(claim.compensation, CompensationKind::Refund, "the compensation comes from the code");
    assert_eq!(claim.amount, JACKET_PRICE, "so does the amount");
    assert_eq!(claim.server_state, None, "no server was asked: the signature is the offline authority");
    assert_eq!(claim.refusal, None, "an approved, unexpired code is not refused");
    assert!(!claim.item_checked && !claim.check_by_eye, "the item has a barcode and is not checked yet");

    let before = ops(&kiosk).len();
    refused(kiosk.accept_claim_return(), ErrorKind::ClaimItemNotChecked, "accept before the item is checked");
    refused(kiosk.scan("4601234567893"), ErrorKind::ClaimOtherItem, "a dress is not the claim's jacket");
    let checked = kiosk.scan(JACKET_BARCODE).expect("the jacket's barcode checks the item");
    assert_eq!(checked.notice, Some(ScanNotice::ClaimItemChecked), "the notice says the item is the claim's");
    refused(kiosk.accept_claim_return(), ErrorKind::ClaimConditionMissing, "accept before the condition is noted");
    kiosk.set_claim_condition("  шов разошёлся на рукаве, следов носки нет ").expect("condition noted");
    let view = kiosk.attach_claim_photo(PNG).expect("a photo of the seam");
    let claim = view.screen.claim_return().expect("claim still on the counter");
    assert_eq!(claim.condition, "шов разошёлся на рукаве, следов носки нет", "the note is kept, trimmed");
    assert_eq!(claim.photos, 1, "the photo is counted");
    assert_eq!(ops(&kiosk).len(), before, "checking, noting and photographing write no op; only accepting does");

    let accepted = kiosk.accept_claim_return().expect("the claim return is accepted");
    assert!(accepted.screen.claim_return().is_none(), "the claim leaves the counter");
    let label = accepted.screen.return_label().expect("the return label is shown");
    assert_eq!(label.qr_text, format!("PVZR1:{}", label.return_id), "the label's QR carries the return id");
    assert_eq!(label.source, ReturnSource::Claim, "the unit came on a claim");
    assert_eq!((label.compensation, label.amount), (Some(CompensationKind::Refund), JACKET_PRICE), "as printed");
    assert!(label.qr_data_uri.starts_with("data:image/svg+xml;base64,"), "the label carries a QR image");

    let all = ops(&kiosk);
    assert_eq!(all.len(), before + 1, "accepting wrote exactly one op");
    match all.last() {
        Some(OpBody::ClaimReturnAccepted { claim_id, return_id, amount, condition, photos, code_issue, .. }) => {
            assert_eq!(*code_issue, 1, "the op names the code's issue, the claim's first");
            assert_eq!(claim_id.as_str(), "cl-1", "the op names the claim");
            assert_eq!(return_id.as_str(), label.return_id, "and the unit on the label");
            assert_eq!(*amount, JACKET_PRICE, "the refund as the code stated it");
            assert!(condition.contains("шов"), "the condition travels with the op");
            assert_eq!(photos.len(), 1, "so does the photo's reference");
        }
        other => panic!("the last op must be the claim return, got {other:?}"),
    }
    let returns = kiosk.open_returns().expect("returns desk").screen.returns_desk().cloned().expect("desk shown");
    let units: Vec<_> = returns.waiting.iter().filter(|u| u.source == ReturnSource::Claim).collect();
    assert_eq!(units.len(), 1, "exactly one returned unit waits to be boxed: {:?}", returns.waiting);
    assert_eq!(units[0].return_id, label.return_id, "it is the labelled unit");

    kiosk.close_returns().expect("back to the counter");
    refused(kiosk.scan(&code), ErrorKind::ClaimAlreadyUsed, "the same code again");
    assert_eq!(ops(&kiosk).len(), before + 1, "the refused second scan wrote nothing");
    let view = kiosk.dismiss_return_label().expect("label dismissed");
    assert!(view.screen.return_label().is_none(), "the label leaves the screen");
}

#[test]
fn the_marking_code_of_the_claims_item_checks_it_by_its_gtin() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, clock) = seeded(&dir);
    kiosk.scan(&refund_code("cl-1", &clock)).expect("a signed claim code opens the claim");
    let dress = "010460123456789321DRESS00000001\u{1d}93Ab+/";
    refused(kiosk.scan(dress), ErrorKind::ClaimOtherItem, "a dress's mark is not the claim's jacket");
    let jacket = format!("010{JACKET_BARCODE}21JACKET0000001\u{e8}93Ab+/");
    let checked = kiosk.scan(&jacket).expect("the jacket's marking code checks the item");
    assert_eq!(checked.notice, Some(ScanNotice::ClaimItemChecked), "its GTIN-14 is the code's EAN-13 with a leading 0");
}

#[test]
fn codes_that_cannot_be_honoured_are_refused_at_the_scan() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, clock) = seeded(&dir);
    let key = demo::signing_key();
    refused(kiosk.scan(&forged_code("cl-2", &clock)), ErrorKind::BadSignature, "a code whose signature is not its own");
    let expired = claims("cl-3", CompensationKind::Refund, clock.now() - chrono::Duration::days(1)).sign(&key);
    let e = refused(kiosk.scan(&expired), ErrorKind::ClaimReturnExpired, "a code past its return deadline");
    let deadline = (clock.now() - chrono::Duration::days(1)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    assert_eq!(e.to_view().detail, Some(deadline), "the refusal names the deadline, for the window to show");
    let part = claims("cl-4", CompensationKind::MissingPart, clock.now() + chrono::Duration::days(14)).sign(&key);
    let e = refused(kiosk.scan(&part), ErrorKind::ClaimNothingToReturn, "a missing-part claim");
    assert!(e.to_string().contains("nothing to accept"), "the counter says there is nothing to take: {e}");
    refused(kiosk.scan("PVZC1.AAAA.BBBB"), ErrorKind::UnknownCode, "a damaged claim code");
    assert!(kiosk.outbox().expect("outbox").is_empty(), "no refused code wrote an op");
    assert!(kiosk.view().expect("view").screen.claim_return().is_none(), "no refused code put a claim on the counter");
}

#[test]
fn the_servers_word_on_the_claim_refuses_it_with_the_reason() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, clock) = seeded(&dir);
    let cases = [
        (ClaimState::Open, None, ClaimRefusal::NotApproved, ErrorKind::ClaimNotApproved),
        (ClaimState::Rejected, Some("следы носки"), ClaimRefusal::Rejected, ErrorKind::ClaimRejected),
        (ClaimState::Revoked, Some("покупатель отозвал"), ClaimRefusal::Revoked, ErrorKind::ClaimRevoked),
        (ClaimState::Fulfilled, None, ClaimRefusal::AlreadyUsed, ErrorKind::ClaimAlreadyUsed),
    ];
    for (n, (state, reason, refusal, kind)) in cases.into_iter().enumerate() {
        let claim = format!("cl-state-{n}");
        kiosk.scan(&refund_code(&claim, &clock)).expect("the code itself is fine");
        kiosk.scan(JACKET_BARCODE).expect("item checked");
        kiosk.set_claim_condition("как новая").expect("condition noted");
        let view = kiosk.apply_claim_status(&status(&claim, state, reason)).expect("the server's answer recorded");
        let shown = view.screen.claim_return().expect("the claim stays on the counter to show why");
        assert_eq!(shown.server_state, Some(state), "{state:?}: the server's state is shown");
        assert_eq!(shown.refusal, Some(refusal), "{state:?}: the banner says why");
        assert_eq!(shown.server_reason.as_deref(), reason, "{state:?}: with the server's reason");
        let e = refused(kiosk.accept_claim_return(), kind, &format!("accepting a {state:?} claim"));
        if let Some(reason) = reason {
            assert_eq!(e.to_view().detail.as_deref(), Some(reason), "{state:?}: the reason reaches the window");
        }
        kiosk.cancel_claim_return().expect("taken off the counter");
    }
    assert!(kiosk.outbox().expect("outbox").is_empty(), "no refused claim wrote an op");
    let approved = "cl-ok";
    kiosk.scan(&refund_code(approved, &clock)).expect("opens");
    let view = kiosk.apply_claim_status(&status(approved, ClaimState::Approved, None)).expect("approved");
    assert_eq!(view.screen.claim_return().and_then(|c| c.refusal), None, "an approved claim is not refused");
    let other = kiosk.apply_claim_status(&status("cl-someone-else", ClaimState::Revoked, None));
    refused(other, ErrorKind::InvalidInput, "a status of another claim than the one on the counter");
}

#[test]
fn a_return_deadline_passing_while_on_the_counter_offline_is_refused_at_accept_with_its_date() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, clock) = seeded(&dir);
    kiosk.scan(&refund_code("cl-late", &clock)).expect("opens");
    kiosk.scan(JACKET_BARCODE).expect("checked");
    kiosk.set_claim_condition("без дефектов упаковки").expect("noted");
    let deadline = kiosk.view().expect("view").screen.claim_return().map(|c| c.return_deadline.clone());
    let signed = (clock.now() + chrono::Duration::days(14)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    assert_eq!(deadline.as_deref(), Some(signed.as_str()), "offline, the deadline is the one the code was signed with");
    clock.advance_days(15);
    let view = kiosk.view().expect("view");
    let shown = view.screen.claim_return().expect("the claim stays on the counter");
    assert_eq!(shown.server_state, None, "no server was asked: the code alone refuses it");
    assert_eq!(shown.refusal, Some(ClaimRefusal::Expired), "the banner says the return deadline passed");
    let e = refused(kiosk.accept_claim_return(), ErrorKind::ClaimReturnExpired, "accepting after the deadline");
    assert_eq!(e.to_view().detail, Some(signed), "with the deadline's date");
    assert!(kiosk.outbox().expect("outbox").is_empty(), "nothing was written");
}

/// Scans `claim`'s code (issue `code_issue`), checks the item, notes its condition and records the
/// server's `status`: the claim ready to accept but for what the server said.
fn ready_with(kiosk: &Kiosk, clock: &Clock, claim: &str, code_issue: u32, status: &ClaimStatus) -> ClaimReturnView {
    let mut code = claims(claim, CompensationKind::Refund, clock.now() + chrono::Duration::days(14));
    code.code_issue = code_issue;
    kiosk.scan(&code.sign(&demo::signing_key())).expect("the signed code opens the claim");
    kiosk.scan(JACKET_BARCODE).expect("item checked");
    kiosk.set_claim_condition("как новая").expect("condition noted");
    let view = kiosk.apply_claim_status(status).expect("the server's answer recorded");
    view.screen.claim_return().cloned().expect("the claim stays on the counter")
}

#[test]
fn an_item_the_route_sends_to_the_seller_or_leaves_with_the_buyer_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, clock) = seeded(&dir);
    let cases = [
        (ReturnRoute::Seller, ItemFate::ToSeller, ClaimRefusal::ToSeller, ErrorKind::ClaimToSeller, "to the seller"),
        (
            ReturnRoute::NoReturn,
            ItemFate::WithBuyer,
            ClaimRefusal::NoReturn,
            ErrorKind::ClaimNoReturn,
            "with the buyer",
        ),
    ];
    for (route, fate, refusal, kind, what) in cases {
        let claim = format!("cl-route-{}", route.as_str().replace('_', "-"));
        let answer = ClaimStatus { route: Some(route), item_fate: fate, ..status(&claim, ClaimState::Approved, None) };
        let shown = ready_with(&kiosk, &clock, &claim, 1, &answer);
        assert_eq!(shown.decision, Some(ClaimDecision::Approved), "{what}: the decision is shown");
        assert_eq!(shown.item_fate, Some(fate), "{what}: so is the item's fate");
        assert_eq!(shown.route, Some(route), "{what}: and the route");
        assert_eq!(shown.refusal, Some(refusal), "{what}: the banner says why the item is not taken");
        let e = refused(kiosk.accept_claim_return(), kind, &format!("accepting an item going {what}"));
        assert!(e.to_view().detail.is_none(), "{what}: the kind alone says it: {e}");
        kiosk.cancel_claim_return().expect("taken off the counter");
    }
    assert!(kiosk.outbox().expect("outbox").is_empty(), "no refused claim wrote an op");
}

#[test]
fn a_code_replaced_by_a_route_change_is_refused_and_the_new_code_accepted_with_its_issue() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, clock) = seeded(&dir);
    let now_second = ClaimStatus { code_issue: 2, ..status("cl-moved", ClaimState::Approved, None) };
    let shown = ready_with(&kiosk, &clock, "cl-moved", 1, &now_second);
    assert_eq!(shown.refusal, Some(ClaimRefusal::CodeReplaced), "the first code was replaced by the second");
    refused(kiosk.accept_claim_return(), ErrorKind::ClaimCodeReplaced, "accepting with the replaced code");
    kiosk.cancel_claim_return().expect("taken off the counter");
    assert!(kiosk.outbox().expect("outbox").is_empty(), "the replaced code wrote nothing");

    let shown = ready_with(&kiosk, &clock, "cl-moved", 2, &now_second);
    assert_eq!(shown.refusal, None, "the buyer's new code is the valid one");
    kiosk.accept_claim_return().expect("accepted with the new code");
    match ops(&kiosk).last() {
        Some(OpBody::ClaimReturnAccepted { code_issue, .. }) => {
            assert_eq!(*code_issue, 2, "the op carries the scanned code's issue, for the server to check")
        }
        other => panic!("the last op must be the claim return, got {other:?}"),
    }
}

#[test]
fn a_newer_code_scanned_over_the_refused_draft_of_an_older_one_takes_its_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, clock) = seeded(&dir);
    let now_second = ClaimStatus { code_issue: 2, ..status("cl-again", ClaimState::Approved, None) };
    let shown = ready_with(&kiosk, &clock, "cl-again", 1, &now_second);
    assert_eq!(shown.refusal, Some(ClaimRefusal::CodeReplaced), "the old code is refused and its draft stays");
    let shown = ready_with(&kiosk, &clock, "cl-again", 2, &now_second);
    assert_eq!(shown.refusal, None, "the buyer's new code replaces the old draft instead of resuming it");
    kiosk.accept_claim_return().expect("accepted with the new code");
    match ops(&kiosk).last() {
        Some(OpBody::ClaimReturnAccepted { code_issue, .. }) => {
            assert_eq!(*code_issue, 2, "the op carries the new code's issue, which the server accepts")
        }
        other => panic!("the last op must be the claim return, got {other:?}"),
    }
}

#[test]
fn the_servers_return_deadline_stands_over_the_codes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, clock) = seeded(&dir);
    let yesterday = (clock.now() - chrono::Duration::days(1)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let answer =
        ClaimStatus { return_deadline: Some(yesterday.clone()), ..status("cl-short", ClaimState::Approved, None) };
    let shown = ready_with(&kiosk, &clock, "cl-short", 1, &answer);
    assert_eq!(shown.return_deadline, yesterday, "the deadline shown is the server's");
    assert_eq!(shown.refusal, Some(ClaimRefusal::Expired), "and it has passed");
    let e =
        refused(kiosk.accept_claim_return(), ErrorKind::ClaimReturnExpired, "accepting after the server's deadline");
    assert_eq!(e.to_view().detail, Some(yesterday), "the refusal names the server's deadline");
}

#[test]
fn a_cancelled_claim_starts_afresh_and_a_replacement_takes_nothing_from_the_seller() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, clock) = seeded(&dir);
    let code = refund_code("cl-again", &clock);
    kiosk.scan(&code).expect("opens");
    kiosk.scan(JACKET_BARCODE).expect("checked");
    kiosk.cancel_claim_return().expect("cancelled");
    let reopened = kiosk.scan(&code).expect("the code opens again").view.screen.claim_return().cloned().expect("claim");
    assert!(!reopened.item_checked, "a cancelled claim return starts over");
    refused(
        kiosk.cancel_claim_return().and_then(|_| kiosk.accept_claim_return()),
        ErrorKind::NoActiveClaim,
        "accept with no claim",
    );

    let replacement = claims("cl-repl", CompensationKind::Replacement, clock.now() + chrono::Duration::days(3))
        .sign(&demo::signing_key());
    kiosk.scan(&replacement).expect("opens");
    kiosk.scan(JACKET_BARCODE).expect("checked");
    kiosk.set_claim_condition("целая").expect("noted");
    let label = kiosk.accept_claim_return().expect("accepted").screen.return_label().cloned().expect("label");
    assert_eq!((label.compensation, label.amount), (Some(CompensationKind::Replacement), Kopecks::ZERO), "no money");
}

#[test]
fn a_compact_code_names_no_item_so_the_store_or_the_server_does() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, clock) = seeded(&dir);
    let opened = kiosk.scan(&refund_code("cl-1", &clock)).expect("the code opens the claim offline");
    let claim = opened.view.screen.claim_return().cloned().expect("the claim is shown");
    assert_eq!(claim.item_name, "", "an order this point never had: no name yet, the window shows its fallback");
    assert_eq!(
        (claim.item_id.as_str(), claim.barcode.as_deref(), claim.amount),
        ("itm-elsewhere-1", Some(JACKET_BARCODE), JACKET_PRICE),
        "the item, its barcode and the refund come from the code"
    );
    let view = kiosk.apply_claim_status(&status("cl-1", ClaimState::Approved, None)).expect("the server's word");
    let claim = view.screen.claim_return().expect("still on the counter");
    assert_eq!(claim.item_name, "Куртка зимняя", "the server's answer names the item");
    kiosk.cancel_claim_return().expect("cancelled");

    let expires = clock.now() + chrono::Duration::days(14);
    let dress = pvz_protocol::ClaimReturnClaims {
        order_id: pvz_domain::OrderId::parse("ord-1001").expect("id"),
        item_id: pvz_domain::ItemId::parse("itm-1001-1").expect("id"),
        barcode: Some("4601234567893".into()),
        ..claims("cl-2", CompensationKind::Refund, expires)
    }
    .sign(&demo::signing_key());
    assert!(dress.starts_with("PVZC2."), "the server issues compact codes: {dress:.12}");
    let claim = kiosk.scan(&dress).expect("opens").view.screen.claim_return().cloned().expect("the claim is shown");
    assert_eq!(claim.item_name, "Платье летнее", "an order in this point's store names its item offline");
    let checked = kiosk.scan("4601234567893").expect("the dress's barcode");
    assert_eq!(checked.notice, Some(ScanNotice::ClaimItemChecked), "checks the item as before");
}

#[test]
fn a_claim_code_issued_before_compact_codes_is_still_taken_back_with_its_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (kiosk, _clock) = seeded(&dir);
    let opened = kiosk.scan(EARLIER_CLAIM_CODE).expect("a code already on a buyer's phone opens the claim");
    let claim = opened.view.screen.claim_return().cloned().expect("the claim is shown");
    assert_eq!(claim.item_name, "Куртка зимняя", "named by the code itself");
    assert_eq!((claim.compensation, claim.amount), (CompensationKind::Refund, JACKET_PRICE), "as the code says");
    kiosk.scan(JACKET_BARCODE).expect("the jacket checks the item");
    kiosk.set_claim_condition("шов").expect("noted");
    let label = kiosk.accept_claim_return().expect("accepted").screen.return_label().cloned().expect("label");
    assert_eq!(label.item_name, "Куртка зимняя", "the label names the item");
    match ops(&kiosk).last() {
        Some(OpBody::ClaimReturnAccepted { return_code, claim_id, .. }) => {
            assert_eq!(claim_id.as_str(), "cl-earlier", "the op names the code's claim");
            assert_eq!(return_code.as_deref(), Some(EARLIER_CLAIM_CODE), "and carries the code as scanned, as proof");
        }
        other => panic!("the last op must be the claim return, got {other:?}"),
    }
}
