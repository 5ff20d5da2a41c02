//! The published contract is as strict as the server (finding 8 of issue 13): a client generated
//! from `/v1/openapi.json` sends nothing the server refuses, and a request the server refuses breaks
//! a rule the document states. The fuzzer (`scripts/fuzz-api.sh`) checks this at large; these tests
//! pin the rules one by one.

use crate::common::*;
use pvz_protocol::sync::{OLDEST_SUPPORTED_PROTOCOL, PROTOCOL_HEADER, PROTOCOL_VERSION};
use serde_json::{json, Value};

/// A request without `X-Pvz-Protocol` is a malformed request (400, naming the header), as a client
/// of any HTTP API expects for a missing required header; 426 stays for a version too old.
#[tokio::test]
async fn a_missing_protocol_header_is_400_naming_it_and_a_too_old_one_426() {
    let t = start().await;
    let kiosk = t.enroll(POINT).await;
    let missing =
        reply(t.client.get(t.url("/v1/sync/pull")).bearer_auth(&kiosk.credential).send().await.expect("sent")).await;
    assert_api_error(&missing, 400, "bad_request", "a pull without the protocol header");
    let message = missing.body["message"].as_str().unwrap_or("").to_lowercase();
    assert!(message.contains("x-pvz-protocol"), "the message names the missing header: {message}");
    let enroll = t.client.post(t.url("/v1/enroll")).json(&json!({"code": "x", "device_name": "y"}));
    assert_api_error(&reply(enroll.send().await.expect("sent")).await, 400, "bad_request", "enroll without the header");
    let garbage = t.client.get(t.url("/v1/sync/pull")).bearer_auth(&kiosk.credential).header(PROTOCOL_HEADER, "abc");
    assert_api_error(
        &reply(garbage.send().await.expect("sent")).await,
        400,
        "bad_request",
        "a header that is no number",
    );
    let old = (OLDEST_SUPPORTED_PROTOCOL - 1).to_string();
    let too_old = t.client.get(t.url("/v1/sync/pull")).bearer_auth(&kiosk.credential).header(PROTOCOL_HEADER, old);
    assert_api_error(&reply(too_old.send().await.expect("sent")).await, 426, "upgrade_required", "a version too old");
    t.server.shutdown().await;
}

fn operation<'a>(doc: &'a Value, method: &str, path: &str) -> &'a Value {
    let op = &doc["paths"][path][method];
    assert!(op.is_object(), "the document has {method} {path}");
    op
}

fn parameter<'a>(op: &'a Value, name: &str) -> &'a Value {
    let params = op["parameters"].as_array().map(Vec::as_slice).unwrap_or_default();
    params.iter().find(|p| p["name"] == name).unwrap_or_else(|| panic!("parameter {name} is declared: {op}"))
}

/// The served document states what the server enforces: `seq` from 1, a device name of 1-100
/// characters, the pull cursor's shape, the protocol header's range, where
/// each parameter goes, and the 429 of the rate limits.
#[tokio::test]
async fn the_served_document_declares_what_the_server_enforces() {
    let t = start().await;
    let doc = reply(t.client.get(t.url("/v1/openapi.json")).send().await.expect("sent")).await.body;
    let schemas = &doc["components"]["schemas"];
    assert_eq!(schemas["PushOp"]["properties"]["seq"]["minimum"], 1, "seq starts at 1: {}", schemas["PushOp"]);
    let name = &schemas["EnrollRequest"]["properties"]["device_name"];
    assert_eq!((name["minLength"].as_u64(), name["maxLength"].as_u64()), (Some(1), Some(100)), "device_name: {name}");

    let pull = operation(&doc, "get", "/v1/sync/pull");
    let cursor = &parameter(pull, "cursor")["schema"];
    assert!(cursor["pattern"].as_str().is_some_and(|p| p.contains("[0-9]")), "the cursor's shape: {cursor}");
    for (method, path) in [("post", "/v1/enroll"), ("post", "/v1/sync/push"), ("get", "/v1/sync/pull")] {
        let op = operation(&doc, method, path);
        let header = parameter(op, PROTOCOL_HEADER);
        assert_eq!(header["required"], true, "{path}: the protocol header is required");
        let range = (header["schema"]["minimum"].as_u64(), header["schema"]["maximum"].as_u64());
        assert_eq!(range, (Some(u64::from(OLDEST_SUPPORTED_PROTOCOL)), Some(u64::from(PROTOCOL_VERSION))), "{path}");
        assert!(op["responses"]["429"].is_object(), "{path} declares the rate limit's 429");
    }
    let buyer = operation(&doc, "get", "/v1/buyer/claims");
    assert_eq!(parameter(buyer, "buyer_id")["in"], "query", "buyer_id is a query parameter");
    let messages = operation(&doc, "get", "/v1/claims/{claim_id}/messages");
    assert_eq!(parameter(messages, "after")["in"], "query", "after is a query parameter");

    // Counter photos: the kiosk's two calls carry the protocol header; the upload states its range
    // header and every refusal it answers; reading the bytes and a claim's list are declared too.
    for (method, path) in [("get", "/v1/evidence/{sha256}/upload"), ("put", "/v1/evidence/{sha256}")] {
        let op = operation(&doc, method, path);
        assert_eq!(
            parameter(op, PROTOCOL_HEADER)["required"],
            true,
            "{method} {path}: the protocol header is required"
        );
        assert!(parameter(op, "sha256")["schema"]["pattern"].is_string(), "{method} {path}: the hash's shape");
    }
    let upload = operation(&doc, "put", "/v1/evidence/{sha256}");
    let range = parameter(upload, "content-range");
    assert_eq!((range["in"].as_str(), range["required"].as_bool()), (Some("header"), Some(false)), "Content-Range");
    for status in ["200", "201", "202", "400", "404", "409", "413", "422"] {
        assert!(upload["responses"][status].is_object(), "the upload declares {status}: {}", upload["responses"]);
    }
    let bytes = operation(&doc, "get", "/v1/evidence/{sha256}");
    assert!(bytes["responses"]["200"]["content"]["image/webp"].is_object(), "the bytes' types: {bytes}");
    assert!(operation(&doc, "get", "/v1/claims/{claim_id}/evidence")["responses"]["404"].is_object(), "claim list");
    t.server.shutdown().await;
}
