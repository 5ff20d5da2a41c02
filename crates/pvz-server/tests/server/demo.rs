//! The demo network: the protocol demo's orders at the first point, tokens and claim return codes
//! signed by this server's key, claims in every state, fresh enrollment codes each run; and the
//! router usable without a socket.

use crate::common;
use pvz_protocol::sync::PROTOCOL_VERSION;
use pvz_protocol::{ClaimReturnClaims, PickupClaims, PublicKey};
use tower::ServiceExt;

#[tokio::test]
async fn the_demo_seeds_once_and_its_codes_work_against_a_running_server() {
    let dir = tempfile::tempdir().expect("temp dir");
    let admin = crate::common::admin(dir.path());
    let first = admin.seed_demo().expect("seed");
    assert!(first.created, "the first run creates the network");
    let second = admin.seed_demo().expect("second run");
    assert!(!second.created, "a second run only issues codes");
    assert_ne!(first.points[0].enrollment_code, second.points[0].enrollment_code, "with fresh enrollment codes");
    let key = PublicKey::parse(&first.server_public_key).expect("public key");
    for code in &first.codes {
        let claims = PickupClaims::verify(&code.qr_token, &key, 0).expect("the token verifies with the server's key");
        assert_eq!(claims.short_code.as_str(), code.short_code, "{}: token and short code agree", code.case);
    }
    assert!(first.codes.iter().any(|c| c.short_code == "482137"), "the README's short code 482137 is there");

    let claim = |id: &str| first.claims.iter().find(|c| c.claim_id == id).expect("the demo claim is reported");
    let now = chrono::Utc::now().timestamp();
    for (id, state, kind, amount) in [
        ("clm-demo-refund", "approved", "refund", 459_000),
        ("clm-demo-replacement", "approved", "replacement", 0),
        ("clm-demo-revoked", "revoked", "refund", 100_000),
    ] {
        let c = claim(id);
        assert_eq!((c.state.as_str(), c.compensation.as_deref(), c.amount), (state, Some(kind), amount), "{id}");
        let code = c.return_code.as_deref().expect("a refund or a replacement has a return code");
        let signed =
            ClaimReturnClaims::verify(code, &key, now).expect("the return code verifies with the server's key");
        assert_eq!(signed.claim_id.as_str(), id, "{id}: the code names its claim");
        assert_eq!(signed.amount.0, amount, "{id}: and its refund");
    }
    assert_eq!(
        (claim("clm-demo-rejected").state.as_str(), claim("clm-demo-rejected").return_code.as_deref()),
        ("rejected", None),
        "a rejected claim has no code"
    );
    let routes: Vec<_> = ["clm-demo-refund", "clm-demo-to-seller", "clm-demo-no-return"]
        .iter()
        .map(|id| {
            let c = claim(id);
            (c.decided_by.as_str(), c.route.as_deref(), c.item_fate.as_str(), c.return_code.is_some())
        })
        .collect();
    assert_eq!(
        routes,
        [
            ("operator", Some("pickup_point"), "to_pickup_point", true),
            ("seller", Some("seller"), "to_seller", false),
            ("seller", Some("no_return"), "with_buyer", false),
        ],
        "one claim per route: through a pickup point with a code (paid days ago: the operator's), to the seller \
         and staying with the buyer without one (paid 20 days ago: the seller's)"
    );
    assert!(claim("clm-demo-to-seller").seller_address.is_some(), "the route to the seller names its address");
    assert_eq!(claim("clm-demo-no-return").state, "fulfilled", "a refund without return is paid at once");
    let part = claim("clm-demo-part");
    assert_eq!(
        (part.state.as_str(), part.return_code.as_deref()),
        ("approved", None),
        "a missing part needs no item back"
    );
    let part_order = part.part_order_id.clone().expect("the missing part is an order");
    assert!(
        part.part_shipment_code.as_deref().is_some_and(|code| code.starts_with("DLV-")),
        "the part comes in a shipment of its own, whose label code the demo gives: {part:?}"
    );
    assert_eq!(
        part.part_barcode,
        part.part_shipment_code.as_ref().map(|code| format!("{code}-1")),
        "the part's own label is its shipment's code and its number: {part:?}"
    );

    let courier = first.staff.iter().find(|s| s.role == "courier").expect("a demo courier");
    let badge = pvz_protocol::BadgeClaims::verify(&courier.badge, &key).expect("Иван's badge is signed by the server");
    assert_eq!(
        (courier.employee_id.as_str(), badge.employee_id.as_str(), badge.serial),
        ("courier-ivan", "courier-ivan", 1),
        "Иван's badge is his first"
    );
    assert_eq!(courier.manifest.len(), 3, "carrying three refused items");
    for line in &courier.manifest {
        let barcode = line.barcode.as_deref().unwrap_or("");
        assert!(
            matches!(pvz_domain::classify(barcode), pvz_domain::Scan::Ean13 { .. }),
            "{}: {barcode} is an EAN-13 with a valid check digit",
            line.name
        );
    }
    assert!(first.staff.iter().any(|s| s.role == "driver" && s.employee_id == "driver-oleg"), "and driver Олег");
    assert_eq!(
        second.claims.iter().map(|c| (&c.claim_id, &c.state, &c.return_code)).collect::<Vec<_>>(),
        first.claims.iter().map(|c| (&c.claim_id, &c.state, &c.return_code)).collect::<Vec<_>>(),
        "a second run reports the same claims and codes"
    );

    let server = pvz_server::spawn(crate::common::config(dir.path())).await.expect("server");
    let client = reqwest::Client::new();
    let body = serde_json::json!({"code": second.points[0].enrollment_code, "device_name": "Демо"});
    let enrolled = client
        .post(format!("{}/v1/enroll", server.url()))
        .header("x-pvz-protocol", PROTOCOL_VERSION.to_string())
        .json(&body)
        .send()
        .await
        .expect("sent");
    let enrolled = common::reply(enrolled).await;
    assert_eq!(enrolled.status, 200, "the printed code enrolls: {}", enrolled.body);
    assert_eq!(enrolled.body["enrollment"]["pickup_point_id"], "pp-msk-0042", "into the first demo point");
    let credential = enrolled.body["credential"].as_str().unwrap_or("").to_owned();
    let page = client
        .get(format!("{}/v1/sync/pull", server.url()))
        .header("x-pvz-protocol", PROTOCOL_VERSION.to_string())
        .bearer_auth(&credential)
        .send()
        .await
        .expect("sent");
    let page = common::reply(page).await;
    let staff: Vec<&str> = page.body["changes"]
        .as_array()
        .map(|c| c.iter().filter_map(|c| c["employee_id"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        staff,
        ["courier-ivan", "driver-oleg", "mgr-anna"],
        "the demo's courier, driver and manager reach the point's kiosks (not the other point's manager)"
    );
    let ids: Vec<&str> = page.body["changes"]
        .as_array()
        .map(|c| c.iter().filter_map(|c| c["order_id"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        ids,
        [
            "ord-1001",
            "ord-1002",
            "ord-1003",
            "ord-1005",
            "ord-1006",
            "ord-1007",
            "ord-1008",
            "ord-1004",
            part_order.as_str(),
            "ord-1201",
            "ord-1202",
            "ord-1301"
        ],
        "the protocol demo's orders, the issued ones claims are about, the cancelled one, the missing part, the \
         shipment's expected orders and the one past its storage period; never the courier's doorstep delivery"
    );
    let cancelled =
        page.body["changes"].as_array().and_then(|c| c.iter().find(|c| c["type"] == "cancel_order")).cloned();
    assert_eq!(
        cancelled.unwrap_or_default(),
        serde_json::json!({"type": "cancel_order", "order_id": "ord-1004"}),
        "the cancelled demo order reaches kiosks as a cancellation"
    );
    let (seed, _) = pvz_protocol::demo::seed();
    let expected: Vec<_> = seed.pull.changes.iter().map(|c| serde_json::to_value(c).expect("json")).collect();
    let got = page.body["changes"].as_array().cloned().unwrap_or_default();
    assert_eq!(got[0], expected[0], "the same fee policy as the protocol demo");
    let kinds: Vec<&str> = got[1..3].iter().filter_map(|c| c["type"].as_str()).collect();
    assert_eq!(kinds, ["set_storage_policy", "set_cells"], "then the storage policy and the cells");
    let mut ord_1001 = got[3].clone();
    assert!(ord_1001["arrived_at"].is_string(), "the server stamps when ord-1001 arrived: {ord_1001}");
    ord_1001.as_object_mut().map(|o| o.remove("arrived_at"));
    assert_eq!(ord_1001, expected[1], "otherwise ord-1001 is exactly as in the protocol demo");
    server.shutdown().await;
}

/// The demo's returns as a counter would work them: both approved claims taken back, the revoked one
/// refused, the courier's hand-back with one line missing, everything boxed and handed to the
/// driver; the ledger balances and each unit's chain ends with the driver.
#[tokio::test]
async fn the_demo_returns_work_end_to_end_and_the_ledger_balances() {
    use crate::common::*;
    use pvz_domain::{CompensationKind, RefusalReason};
    use pvz_protocol::ReturnSource;
    let dir = tempfile::tempdir().expect("temp dir");
    let admin = crate::common::admin(dir.path());
    let report = admin.seed_demo().expect("seed");
    let server = pvz_server::spawn(crate::common::config(dir.path())).await.expect("server");
    let t = TestServer { server, admin, client: reqwest::Client::new(), dir };
    let code = t.admin.issue_enrollment_code("pp-msk-0042", std::time::Duration::from_secs(60)).expect("code");
    let reply = t.post_json("/v1/enroll", None, &serde_json::json!({"code": code, "device_name": "Демо"})).await;
    let kiosk = Kiosk {
        credential: reply.body["credential"].as_str().expect("enrolled").to_owned(),
        device_id: reply.body["enrollment"]["device_id"].as_str().unwrap_or("").to_owned(),
    };
    let courier = report.staff.iter().find(|s| s.role == "courier").expect("courier");
    let line =
        |n: usize| (courier.manifest[n].item_id.clone(), courier.manifest[n].barcode.clone().unwrap_or_default());
    let ((jeans, jeans_code), (shoes, shoes_code)) = (line(0), line(1));
    let ops = [
        op(
            1,
            t.proven(claim_return(
                "clm-demo-refund",
                "ord-1006",
                "itm-1006-1",
                "ret-1",
                CompensationKind::Refund,
                459_000,
            )),
        ),
        op(
            2,
            t.proven(claim_return(
                "clm-demo-replacement",
                "ord-1006",
                "itm-1006-2",
                "ret-2",
                CompensationKind::Replacement,
                0,
            )),
        ),
        op(
            3,
            t.proven(claim_return(
                "clm-demo-revoked",
                "ord-1007",
                "itm-1007-2",
                "ret-3",
                CompensationKind::Refund,
                100_000,
            )),
        ),
        op(
            4,
            hand_back(
                "hb-demo",
                "courier-ivan",
                vec![
                    handed_back("ret-4", Some(&jeans), &jeans_code, RefusalReason::DidNotFit, 14_900),
                    handed_back("ret-5", None, &shoes_code, RefusalReason::Defect, 0),
                ],
            ),
        ),
        op(
            5,
            box_closed(
                "box-demo",
                vec![
                    boxed("ret-1", Some("itm-1006-1"), ReturnSource::Claim),
                    boxed("ret-2", Some("itm-1006-2"), ReturnSource::Claim),
                    boxed("ret-3", Some("itm-1007-2"), ReturnSource::Claim),
                    boxed("ret-4", Some(&jeans), ReturnSource::Courier),
                    boxed("ret-5", Some(&shoes), ReturnSource::Courier),
                ],
            ),
        ),
        op(6, boxes_handed_over("act-demo", "driver-oleg", &["box-demo"])),
    ];
    let reply = t.push(&kiosk, &ops).await;
    let outcomes: Vec<_> = (0..ops.len()).map(|i| (outcome(&reply, i), reject_code(&reply, i))).collect();
    let applied = ("applied".to_owned(), "none".to_owned());
    assert_eq!(
        outcomes,
        [
            applied.clone(),
            applied.clone(),
            ("rejected".to_owned(), "claim_revoked".to_owned()),
            applied.clone(),
            applied.clone(),
            applied
        ],
        "the demo's returns go through as a counter works them: {}",
        reply.body
    );
    assert_eq!(
        t.admin.account_balance("buyer:buyer-ord-1006").expect("balance").0,
        459_000,
        "the refund reached the buyer"
    );
    let ledger = t.admin.ledger_check().expect("ledger check");
    assert!(ledger.is_ok() && ledger.total == 0, "the ledger balances after all of it: {ledger:?}");
    for unit in ["ret-1", "ret-3", "ret-5"] {
        let chain = t.admin.custody(unit).expect("custody").remove(0);
        assert_eq!(chain.log.len(), 3, "{unit}: point, box, driver: {chain:?}");
        assert_eq!(chain.log[2].op_kind, "boxes_handed_over", "{unit} left with the driver");
    }
    let manifest = t.admin.courier_manifest("pp-msk-0042", "courier-ivan").expect("manifest");
    assert_eq!(manifest.lines.len(), 1, "the headphones nobody brought stay on Иван's manifest");
    t.server.shutdown().await;
}

#[tokio::test]
async fn the_router_answers_without_a_socket() {
    let dir = tempfile::tempdir().expect("temp dir");
    let state = pvz_server::startup::build_state(&crate::common::config(dir.path())).await.expect("state");
    let request = axum::http::Request::get("/v1/openapi.json").body(axum::body::Body::empty()).expect("request");
    let response = pvz_server::router(state).oneshot(request).await.expect("response");
    assert_eq!(response.status(), 200, "the OpenAPI document is served");
}
