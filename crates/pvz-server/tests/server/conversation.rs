//! A claim's conversation: attachments uploaded as raw bytes and read back, messages by the buyer
//! front, the seller and the operator in one numbered thread read a page at a time, the limits on
//! both, who may read which thread (never a kiosk), and retention purging finished claims' threads
//! and the blobs no kept message names.

use crate::common::*;
use pvz_protocol::claims::{MAX_ATTACHMENT_BYTES, MAX_MESSAGE_CHARS};
use pvz_protocol::{AttachmentRef, ClaimMessage, MessagePage, SellerDecision};
use pvz_server::credentials::PartyKind;
use serde_json::json;

/// The first bytes of a PNG file, then `tail`: enough for the server's check, distinct per tail.
fn png(tail: &[u8]) -> Vec<u8> {
    [&[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A][..], tail].concat()
}

fn messages_path(claim: &str) -> String {
    format!("/v1/claims/{claim}/messages")
}

/// The parties of claim `o1-1` (seller `s-1`): a server with the issued order `o1` and the claim,
/// and the credentials of the buyer front, the claim's seller, another seller and an operator.
struct Parties {
    t: TestServer,
    claim: String,
    front: String,
    seller: String,
    other_seller: String,
    operator: String,
}

async fn parties() -> Parties {
    let t = start().await;
    add_order(&t.admin, POINT, "o1", false);
    t.admin.mark_order_issued("o1").expect("issued");
    let claim = t.admin.open_claim("o1", "o1-1", "молния сломалась").expect("open").claim_id.to_string();
    let front = t.admin.issue_party_credential(PartyKind::BuyerFront, "front").expect("buyer front");
    let seller = t.admin.issue_seller_credential("s-1").expect("the claim's seller");
    let other_seller = t.admin.issue_seller_credential("s-2").expect("another seller");
    let operator = t.admin.issue_party_credential(PartyKind::Operator, "olga").expect("operator");
    Parties { t, claim, front, seller, other_seller, operator }
}

/// `POST /v1/attachments` with `bytes` as the body, declared as `content_type`.
async fn upload(t: &TestServer, credential: &str, content_type: &str, bytes: Vec<u8>) -> Reply {
    let req = t
        .client
        .post(t.url("/v1/attachments"))
        .header("content-type", content_type)
        .bearer_auth(credential)
        .body(bytes);
    reply(req.send().await.expect("upload sent")).await
}

async fn uploaded(t: &TestServer, credential: &str, bytes: Vec<u8>) -> AttachmentRef {
    let r = upload(t, credential, "image/png", bytes).await;
    assert_eq!(r.status, 201, "a PNG is stored: {}", r.body);
    serde_json::from_value(r.body).expect("an AttachmentRef")
}

async fn post_message(t: &TestServer, claim: &str, credential: &str, text: &str, attachments: &[&str]) -> Reply {
    t.post_json(&messages_path(claim), Some(credential), &json!({"text": text, "attachments": attachments})).await
}

async fn page(t: &TestServer, claim: &str, credential: &str, query: &str) -> MessagePage {
    let r = t.get(&format!("{}{query}", messages_path(claim)), Some(credential)).await;
    assert_eq!(r.status, 200, "the thread is readable with {query:?}: {}", r.body);
    serde_json::from_value(r.body).expect("a MessagePage")
}

#[tokio::test]
async fn the_buyer_and_the_seller_write_one_thread_read_a_page_at_a_time() {
    let Parties { t, claim, front, seller, operator, .. } = parties().await;
    let photo = png(b"torn zipper");
    let attachment = uploaded(&t, &front, photo.clone()).await;
    assert_eq!(attachment.id, pvz_server::db::sha256_hex(&photo), "the id is the sha256 of the bytes");
    assert_eq!((attachment.content_type.as_str(), attachment.size), ("image/png", photo.len() as u64), "type, size");
    assert_eq!(uploaded(&t, &seller, photo.clone()).await, attachment, "the same bytes again: the same attachment");

    let read = t.client.get(t.url(&format!("/v1/attachments/{}", attachment.id))).bearer_auth(&seller);
    let read = read.send().await.expect("sent");
    assert_eq!(read.status(), 200, "the seller reads the buyer's photo");
    assert_eq!(read.headers()["content-type"], "image/png", "with its type");
    assert_eq!(read.bytes().await.expect("bytes").as_ref(), photo.as_slice(), "the very bytes uploaded");

    let first = post_message(&t, &claim, &front, "  Молния оторвалась, фото приложено  ", &[&attachment.id]).await;
    assert_eq!(first.status, 201, "the buyer front writes for the buyer: {}", first.body);
    let first: ClaimMessage = serde_json::from_value(first.body).expect("a ClaimMessage");
    assert_eq!(first.seq, 1, "the thread's first message");
    assert_eq!(first.author, pvz_protocol::MessageAuthor::Buyer, "written as the buyer");
    assert_eq!(first.text, "Молния оторвалась, фото приложено", "the text is trimmed");
    assert_eq!(first.attachments, vec![attachment.clone()], "with the photo");
    let reply = post_message(&t, &claim, &seller, "Пришлите, пожалуйста, фото бирки", &[]).await;
    assert_eq!(reply.status, 201, "the claim's seller answers: {}", reply.body);
    assert_eq!(reply.body["seq"], 2, "next in the thread");
    assert_eq!(reply.body["author"], "seller", "as the seller");
    let note = post_message(&t, &claim, &operator, "", &[&attachment.id]).await;
    assert_eq!(note.status, 201, "an operator may write, an attachment alone is a message: {}", note.body);
    assert_eq!((note.body["seq"].as_i64(), note.body["author"].as_str()), (Some(3), Some("operator")), "third");

    let one = page(&t, &claim, &seller, "?limit=1").await;
    assert_eq!(one.messages, vec![first.clone()], "the first page is the oldest message, as sent");
    assert_eq!((one.next, one.more), (1, true), "more after seq 1");
    let two = page(&t, &claim, &front, &format!("?after={}&limit=1", one.next)).await;
    assert_eq!(two.messages.len(), 1, "one message per page");
    assert_eq!(two.messages[0].text, "Пришлите, пожалуйста, фото бирки", "then the seller's reply");
    assert_eq!((two.next, two.more), (2, true), "one more waits");
    let three = page(&t, &claim, &operator, &format!("?after={}&limit=1", two.next)).await;
    assert_eq!((three.messages[0].seq, three.next, three.more), (3, 3, false), "the last page says so");
    let none = page(&t, &claim, &front, "?after=3").await;
    assert_eq!((none.messages.len(), none.next, none.more), (0, 3, false), "nothing new: next stays at `after`");
    assert_eq!(page(&t, &claim, &front, "").await.messages.len(), 3, "the default page holds the whole thread");

    let put = t.client.put(t.url(&messages_path(&claim))).bearer_auth(&front).json(&json!({"text": "x"}));
    assert_api_error(&reply_of(put).await, 405, "bad_request", "a message cannot be replaced");
    let delete = t.client.delete(t.url(&format!("/v1/attachments/{}", attachment.id))).bearer_auth(&front);
    assert_api_error(&reply_of(delete).await, 405, "bad_request", "an attachment cannot be deleted over the API");
    t.server.shutdown().await;
}

async fn reply_of(request: reqwest::RequestBuilder) -> Reply {
    reply(request.send().await.expect("sent")).await
}

#[tokio::test]
async fn uploads_and_messages_beyond_the_limits_are_refused() {
    let Parties { t, claim, front, .. } = parties().await;
    let r = upload(&t, &front, "image/jpeg", png(b"x")).await;
    assert_api_error(&r, 400, "bad_request", "PNG bytes declared as a JPEG");
    let r = upload(&t, &front, "image/gif", b"GIF89a....".to_vec()).await;
    assert_api_error(&r, 400, "bad_request", "a type that is not allowed");
    let r = upload(&t, &front, "application/pdf", b"<html>not a pdf".to_vec()).await;
    assert_api_error(&r, 400, "bad_request", "bytes that are not a PDF");
    let r = upload(&t, &front, "application/pdf", b"%PDF-1.7\n%%EOF".to_vec()).await;
    assert_eq!(r.status, 201, "a PDF is stored: {}", r.body);
    let at_limit = png(&vec![7; MAX_ATTACHMENT_BYTES as usize - 8]);
    assert_eq!(upload(&t, &front, "image/png", at_limit).await.status, 201, "exactly 5 MB is accepted");
    let over = png(&vec![7; MAX_ATTACHMENT_BYTES as usize - 7]);
    assert_api_error(&upload(&t, &front, "image/png", over).await, 413, "payload_too_large", "a byte over 5 MB");

    let long = "я".repeat(MAX_MESSAGE_CHARS + 1);
    assert_api_error(&post_message(&t, &claim, &front, &long, &[]).await, 400, "bad_request", "1001 characters");
    let r = post_message(&t, &claim, &front, &"я".repeat(MAX_MESSAGE_CHARS), &[]).await;
    assert_eq!(r.status, 201, "1000 characters (not bytes) are fine: {}", r.body);
    assert_api_error(&post_message(&t, &claim, &front, "   ", &[]).await, 400, "bad_request", "nothing to say");
    let unknown = "0".repeat(64);
    let r = post_message(&t, &claim, &front, "see photo", &[&unknown]).await;
    assert_api_error(&r, 400, "bad_request", "an attachment never uploaded");
    let photo = uploaded(&t, &front, png(b"twice")).await;
    let r = post_message(&t, &claim, &front, "see photo", &[&photo.id, &photo.id]).await;
    assert_api_error(&r, 400, "bad_request", "an attachment named twice");
    let r = t.post_json(&messages_path(&claim), Some(&front), &json!({"text": 5})).await;
    assert_eq!(r.status, 422, "not a message: {}", r.body);
    assert_eq!(page(&t, &claim, &front, "").await.messages.len(), 1, "only the valid message was stored");
    t.server.shutdown().await;
}

#[tokio::test]
async fn only_the_claims_parties_read_its_thread_and_never_a_kiosk() {
    let Parties { t, claim, front, other_seller, .. } = parties().await;
    let photo = uploaded(&t, &front, png(b"private")).await;
    assert_eq!(post_message(&t, &claim, &front, "брак", &[&photo.id]).await.status, 201, "the buyer writes");

    let path = messages_path(&claim);
    assert_api_error(&t.get(&path, Some(&other_seller)).await, 404, "not_found", "another seller reads");
    let r = post_message(&t, &claim, &other_seller, "не наш товар", &[]).await;
    assert_api_error(&r, 404, "not_found", "another seller writes");
    let kiosk = t.enroll(POINT).await;
    assert_api_error(&t.get(&path, Some(&kiosk.credential)).await, 401, "unauthorized", "a kiosk reads the thread");
    let attachment = format!("/v1/attachments/{}", photo.id);
    let r = t.get(&attachment, Some(&kiosk.credential)).await;
    assert_api_error(&r, 401, "unauthorized", "a kiosk reads an attachment");
    assert_api_error(&upload(&t, &kiosk.credential, "image/png", png(b"k")).await, 401, "unauthorized", "kiosk upload");
    assert_api_error(&t.get(&path, None).await, 401, "unauthorized", "no credential");
    let r = t.get(&format!("/v1/attachments/{}", "f".repeat(64)), Some(&front)).await;
    assert_api_error(&r, 404, "not_found", "an attachment never uploaded");
    assert_api_error(&t.get(&messages_path("clm-nope"), Some(&front)).await, 404, "not_found", "an unknown claim");
    t.server.shutdown().await;
}

#[tokio::test]
async fn messages_posted_at_once_take_distinct_seqs() {
    let Parties { t, claim, front, seller, .. } = parties().await;
    let mut posts = tokio::task::JoinSet::new();
    for i in 0..8 {
        let credential = if i % 2 == 0 { &front } else { &seller };
        let request = t.client.post(t.url(&messages_path(&claim))).bearer_auth(credential);
        let request = request.json(&json!({"text": format!("сообщение {i}")}));
        posts.spawn(reply_of(request));
    }
    let replies = posts.join_all().await;
    assert!(replies.iter().all(|r| r.status == 201), "every message is accepted");
    let mut seqs: Vec<i64> = replies.iter().map(|r| r.body["seq"].as_i64().unwrap_or(-1)).collect();
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=8).collect::<Vec<_>>(), "eight messages at once get seqs 1 to 8, none shared or lost");
    t.server.shutdown().await;
}

#[tokio::test]
async fn retention_purges_finished_claims_and_the_blobs_only_they_named() {
    let Parties { t, claim: finished, front, seller, .. } = parties().await;
    add_order(&t.admin, POINT, "o2", false);
    t.admin.mark_order_issued("o2").expect("issued");
    let open = t.admin.open_claim("o2", "o2-1", "пятно на ткани").expect("open").claim_id.to_string();
    let shared = uploaded(&t, &front, png(b"shared")).await;
    let own = uploaded(&t, &front, png(b"only the finished claim")).await;
    let unsent = uploaded(&t, &front, png(b"never sent")).await;
    let r = post_message(&t, &finished, &front, "вот фото", &[&shared.id, &own.id]).await;
    assert_eq!(r.status, 201, "the finished claim's thread: {}", r.body);
    assert_eq!(post_message(&t, &finished, &seller, "отказ", &[]).await.status, 201, "a reply");
    assert_eq!(post_message(&t, &open, &front, "и тут", &[&shared.id]).await.status, 201, "the open claim's thread");
    let rejected = SellerDecision::Reject { reason: "следы носки".into() };
    t.admin.decide_claim(&finished, &rejected).expect("the claim is rejected: finished");

    let kept = pvz_server(t.dir.path(), &["purge-personal-data"]);
    assert!(kept.ok, "a purge with the default retention runs: {}", kept.stderr);
    assert!(kept.stdout.contains("0 claims purged, 0 attachments"), "nothing is 3 years old: {}", kept.stdout);

    let run = pvz_server(t.dir.path(), &["purge-personal-data", "--older-than-days", "0"]);
    assert!(run.ok, "the purge runs: {}", run.stderr);
    assert!(run.stdout.contains(&format!("purged claim {finished}")), "it names the claim: {}", run.stdout);
    assert!(run.stdout.contains("2 messages"), "and its messages: {}", run.stdout);
    assert!(run.stdout.contains(&format!("deleted attachment {}", own.id)), "and the lone photo: {}", run.stdout);
    assert!(!run.stdout.contains(&format!("deleted attachment {}", shared.id)), "not the shared one: {}", run.stdout);
    assert!(!run.stdout.contains(&open), "the open claim is not purged: {}", run.stdout);
    assert!(run.stdout.contains(&format!("deleted unsent upload {}", unsent.id)), "an old unsent one: {}", run.stdout);

    let gone = page(&t, &finished, &front, "").await;
    assert!(gone.messages.is_empty(), "the finished claim's thread is gone: {:?}", gone.messages);
    let status = t.admin.claim_status(&finished).expect("the claim stays");
    assert_eq!(status.description, "", "its description is cleared");
    assert_eq!(status.state, pvz_domain::ClaimState::Rejected, "its decision stays");
    assert_eq!(page(&t, &open, &front, "").await.messages.len(), 1, "the open claim keeps its thread");
    assert_eq!(t.admin.claim_status(&open).expect("open").description, "пятно на ткани", "and its description");
    assert_eq!(t.get(&format!("/v1/attachments/{}", shared.id), Some(&front)).await.status, 200, "shared photo kept");
    let r = t.get(&format!("/v1/attachments/{}", own.id), Some(&front)).await;
    assert_api_error(&r, 404, "not_found", "the finished claim's own photo is deleted");
    let blob = t.dir.path().join("blobs").join(&own.id[..2]).join(&own.id);
    assert!(!blob.exists(), "its blob file is removed: {}", blob.display());

    let again = pvz_server(t.dir.path(), &["purge-personal-data", "--older-than-days", "0"]);
    let nothing = "0 claims purged, 0 attachments deleted";
    assert!(again.stdout.contains(nothing), "a second purge finds nothing left: {}", again.stdout);
    let thread = pvz_server(t.dir.path(), &["claim", "thread", &open]);
    assert!(thread.ok, "the thread prints: {}", thread.stderr);
    assert!(thread.stdout.contains("#1 buyer (front)"), "seq, author and name: {}", thread.stdout);
    assert!(thread.stdout.contains(&format!("attachment {} image/png", shared.id)), "attachments: {}", thread.stdout);
    t.server.shutdown().await;
}
