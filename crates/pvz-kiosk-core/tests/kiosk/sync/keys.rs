//! The network rotates its signing key without re-enrolling kiosks: the feed brings the next key
//! endorsed by the active one, the kiosk checks the endorsement with the key it pinned, and then
//! accepts codes signed by either key, so codes signed after the switch work at once. A key whose
//! endorsement does not verify is never trusted.

use crate::support::network::*;
use ed25519_dalek::SigningKey;
use pvz_kiosk_core::sync;
use pvz_kiosk_core::ErrorKind;
use pvz_protocol::{Change, PickupClaims, PublicKey, PullPage, ServerKeyWire};
use pvz_server::signing::Rotation;

fn pickup_code(n: u32, key: &SigningKey) -> String {
    PickupClaims {
        order_id: pvz_domain::OrderId::parse(&format!("ord-sync-{n}")).expect("order id"),
        pickup_point_id: pvz_domain::PickupPointId::parse(POINT).expect("point id"),
        short_code: pvz_domain::ShortCode::parse(&format!("{}", 700_000 + n)).expect("short code"),
        expires_at: 4_102_444_800,
    }
    .sign(key)
}

fn assert_bad_signature<T: std::fmt::Debug>(result: Result<T, pvz_kiosk_core::KioskError>, what: &str) {
    match result {
        Err(e) => assert_eq!(e.kind(), ErrorKind::BadSignature, "{what} must be refused as not the network's: {e}"),
        Ok(v) => panic!("{what} must be refused, got {v:?}"),
    }
}

#[tokio::test]
async fn a_kiosk_pulls_the_next_key_and_accepts_codes_signed_by_it_after_activation() {
    let net = Network::start().await;
    net.admin().add_orders(POINT, &[order(1, 100_000), order(2, 100_000)]).expect("orders added");
    let kiosk = net.enrolled_kiosk().await;
    sync::sync_until_idle(&kiosk, &fast()).await.expect("the orders arrive");
    let old_code = pickup_qr(&net.admin(), 2);

    let Rotation::Created { public_key } = net.admin().rotate_key().expect("rotated") else {
        panic!("the first rotation creates the next key")
    };
    let report = sync::sync_until_idle(&kiosk, &fast()).await.expect("the next key arrives");
    assert!(report.changes >= 1, "the feed carried the key chain: {report:?}");
    assert_eq!(net.admin().activate_next_key().expect("activated"), Some(public_key.clone()), "the next key signs now");

    let admin = net.admin();
    assert_eq!(PublicKey::of(admin.signing_key()).to_base64url(), public_key, "codes are signed with the new key");
    let opened = kiosk.scan(&pickup_qr(&admin, 1)).expect("a code signed by the new key is accepted");
    assert!(opened.view.screen.order().is_some(), "its order opens");
    kiosk.set_aside().expect("the card is set aside");
    let opened = kiosk.scan(&old_code).expect("a code signed by the old key still is");
    assert!(opened.view.screen.order().is_some(), "its order opens too");
}

#[tokio::test]
async fn a_next_key_whose_endorsement_does_not_verify_is_refused() {
    let net = Network::start().await;
    net.admin().add_orders(POINT, &[order(1, 100_000)]).expect("an order");
    let kiosk = net.enrolled_kiosk().await;
    sync::sync_until_idle(&kiosk, &fast()).await.expect("the order arrives");
    let admin = net.admin();
    let pinned = admin.signing_key();

    let stranger = SigningKey::from_bytes(&[41; 32]);
    let forged = SigningKey::from_bytes(&[42; 32]);
    let endorsed = SigningKey::from_bytes(&[43; 32]);
    let link = |key: &SigningKey, endorser: Option<&SigningKey>| ServerKeyWire {
        public_key: PublicKey::of(key).to_base64url(),
        endorsement: endorser.map(|by| PublicKey::endorse(by, &PublicKey::of(key))),
    };
    // The forged key claims to follow the pinned one, but a stranger endorsed it.
    let chain = vec![link(pinned, None), link(&forged, Some(&stranger)), link(&endorsed, Some(&forged))];
    let page = PullPage {
        cursor: "keys-1".into(),
        has_more: false,
        reset: false,
        remaining: 0,
        changes: vec![Change::SetServerKeys { keys: chain }],
        max_wait_seconds: 0,
    };
    kiosk.apply_pull(&page).expect("the page applies; the bad link is refused, not the page");
    assert_bad_signature(kiosk.scan(&pickup_code(1, &forged)), "a code signed by the key with a forged endorsement");
    assert_bad_signature(kiosk.scan(&pickup_code(1, &endorsed)), "a code signed by a key the forged one endorsed");

    // The same keys, endorsed link by link from the pinned key, are trusted.
    let chain = vec![link(pinned, None), link(&forged, Some(pinned)), link(&endorsed, Some(&forged))];
    let page = PullPage { cursor: "keys-2".into(), changes: vec![Change::SetServerKeys { keys: chain }], ..page };
    kiosk.apply_pull(&page).expect("the page applies");
    let opened = kiosk.scan(&pickup_code(1, &endorsed)).expect("a code signed two links down is accepted");
    assert!(opened.view.screen.order().is_some(), "its order opens");
}
