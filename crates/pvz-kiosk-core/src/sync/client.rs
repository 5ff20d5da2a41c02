//! The HTTP side of sync: one call per endpoint of the contract in `pvz_protocol::sync`, every answer
//! mapped to what the kiosk can do about it (retry soon, ask a person, give up on this op).

use crate::error::{KioskError, Result};
use crate::store::sync_settings;
use crate::Kiosk;
use pvz_domain::{ClaimId, EmployeeId, ItemId};
use pvz_protocol::claims::{PATH_CLAIM_STATUS, PATH_COURIER_MANIFEST, PATH_ITEM_CLAIMS};
use pvz_protocol::evidence::{content_range, EvidenceUpload, PATH_EVIDENCE, PATH_EVIDENCE_UPLOAD};
use pvz_protocol::sync::error_code::{PAYLOAD_TOO_LARGE, PREVIOUS_CREDENTIAL_REJECTED};
use pvz_protocol::sync::{
    ApiError, EnrollRequest, EnrollResponse, PushRequest, PushResponse, PATH_ENROLL, PATH_PULL, PATH_PUSH,
    PROTOCOL_HEADER, PROTOCOL_VERSION,
};
use pvz_protocol::web::OUTBOX_WAITING_HEADER;
use pvz_protocol::{ClaimStatus, CourierManifest, PullPage};
use reqwest::{RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;
use std::time::Duration;

/// How the kiosk talks to the server: timeouts and batch sizes. The server and the credential come
/// from the kiosk's store (set at enrollment).
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// A whole request, answer included; a pull page of 2000 orders must fit.
    pub request_timeout: Duration,
    /// Short, so a dead network shows as offline quickly.
    pub connect_timeout: Duration,
    /// Ops per push, at most `MAX_PUSH_OPS`.
    pub push_batch: usize,
    /// Serialized ops per push, in bytes: half the server's default 1 MiB body limit, so 500 ops with
    /// long defect descriptions still fit. A server with a smaller limit answers 413 and the batch is
    /// halved.
    pub push_max_bytes: usize,
    /// Changes per pull page asked for; the server may send fewer.
    pub pull_limit: u32,
    /// Whether enrollment may use plain http to a server beyond this machine (a trusted LAN):
    /// `PVZ_ALLOW_PLAIN_HTTP=1`. Loopback is always allowed.
    pub allow_plain_http: bool,
    /// Bytes of a counter photo per upload request (at most the server's part limit): a cut
    /// connection costs at most this much again.
    pub upload_part_bytes: u64,
    /// Photo bytes one pass sends at most, so a backlog of photos never holds up the next push and
    /// pull for long; the engine runs the next pass at once while photos are left.
    pub upload_bytes_per_pass: u64,
    /// How long a photo's file is kept after the server confirmed it; then it is deleted and read
    /// back from the server when needed. `PVZ_PHOTO_RETENTION_DAYS`, 90 days by default.
    pub photo_retention: Duration,
}

/// The default of [`ClientConfig::photo_retention`], in days.
pub const PHOTO_RETENTION_DAYS: u64 = 90;

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            request_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(5),
            push_batch: pvz_protocol::sync::MAX_PUSH_OPS,
            push_max_bytes: 512 * 1024,
            // The server's cap: a catch-up of 100,000 orders took 8.8 s in 2000-order pages against
            // 11.7 s in 500-order pages (one local write transaction per page), target 10 s.
            pull_limit: pvz_protocol::sync::MAX_PULL_LIMIT,
            allow_plain_http: std::env::var("PVZ_ALLOW_PLAIN_HTTP").is_ok_and(|v| v.trim() == "1"),
            upload_part_bytes: pvz_protocol::evidence::UPLOAD_PART_BYTES,
            // 16 parts: about 30 s on a 1 Mbit/s uplink, one shift's few photos in one pass.
            upload_bytes_per_pass: 16 * pvz_protocol::evidence::UPLOAD_PART_BYTES,
            photo_retention: Duration::from_secs(
                24 * 3600
                    * std::env::var("PVZ_PHOTO_RETENTION_DAYS")
                        .ok()
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .unwrap_or(PHOTO_RETENTION_DAYS),
            ),
        }
    }
}

/// Which call is made, so a refusal is reported in the right terms.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Call {
    Enroll,
    Sync,
}

pub(crate) struct ServerClient {
    http: reqwest::Client,
    base: String,
    config: ClientConfig,
}

impl ServerClient {
    pub fn new(server_url: &str, config: &ClientConfig) -> Result<ServerClient> {
        let base = normalize_url(server_url)?;
        let http = reqwest::Client::builder()
            .timeout(config.request_timeout)
            .connect_timeout(config.connect_timeout)
            .user_agent(concat!("pvz-kiosk/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| KioskError::ServerUnreachable(format!("cannot set up the HTTP client: {e}")))?;
        Ok(ServerClient { http, base, config: config.clone() })
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    pub async fn enroll(&self, request: &EnrollRequest) -> Result<EnrollResponse> {
        let builder = self.http.post(format!("{}{PATH_ENROLL}", self.base)).json(request);
        send(builder, Call::Enroll).await
    }

    /// Pushes a batch; `waiting` is how many ops the outbox holds unsent (the operator's fleet view
    /// shows it).
    pub async fn push(&self, credential: &str, request: &PushRequest, waiting: u32) -> Result<PushResponse> {
        let builder = self
            .http
            .post(format!("{}{PATH_PUSH}", self.base))
            .bearer_auth(credential)
            .header(OUTBOX_WAITING_HEADER, waiting)
            .json(request);
        send(builder, Call::Sync).await
    }

    /// The next page after `cursor`. With `wait` (whole seconds, at most what the server's pages
    /// offer), a server with nothing new holds the answer until something is; the request's own
    /// timeout grows by the wait, so a held pull is not taken for a dead server.
    /// `waiting`: ops the outbox holds unsent, as on a push.
    pub async fn pull(
        &self,
        credential: &str,
        cursor: Option<&str>,
        wait: Option<Duration>,
        waiting: u32,
    ) -> Result<PullPage> {
        let mut query: Vec<(&str, String)> = vec![("limit", self.config.pull_limit.to_string())];
        if let Some(cursor) = cursor {
            query.push(("cursor", cursor.to_owned()));
        }
        let mut builder = self
            .http
            .get(format!("{}{PATH_PULL}", self.base))
            .bearer_auth(credential)
            .header(OUTBOX_WAITING_HEADER, waiting);
        if let Some(wait) = wait.filter(|w| w.as_secs() > 0) {
            query.push(("wait", wait.as_secs().to_string()));
            builder = builder.timeout(self.config.request_timeout + wait);
        }
        send(builder.query(&query), Call::Sync).await
    }

    /// A claim's current state. 404 (`not_found`) comes back as a `SyncRefused` with that code.
    pub async fn claim_status(&self, credential: &str, claim_id: &ClaimId) -> Result<ClaimStatus> {
        let path = PATH_CLAIM_STATUS.replace("{claim_id}", claim_id.as_str());
        send(self.http.get(format!("{}{path}", self.base)).bearer_auth(credential), Call::Sync).await
    }

    /// The claims on an item of this point, newest first (without return codes). An item the server
    /// lacks, or another point's, comes back as a `SyncRefused` with `not_found`.
    pub async fn item_claims(&self, credential: &str, item_id: &ItemId) -> Result<Vec<ClaimStatus>> {
        let path = PATH_ITEM_CLAIMS.replace("{item_id}", item_id.as_str());
        send(self.http.get(format!("{}{path}", self.base)).bearer_auth(credential), Call::Sync).await
    }

    /// The refused items a courier is bringing to this point.
    pub async fn courier_manifest(&self, credential: &str, courier_id: &EmployeeId) -> Result<CourierManifest> {
        let path = PATH_COURIER_MANIFEST.replace("{courier_id}", courier_id.as_str());
        send(self.http.get(format!("{}{path}", self.base)).bearer_auth(credential), Call::Sync).await
    }
}

/// What the server said about a counter photo's upload (`pvz_protocol::evidence`), to a status read
/// or to one part. Answers that concern the whole sync (offline, credential, 5xx) are errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum EvidenceAnswer {
    /// 200/201 stored whole, 202 partial, or the status read: how much the server holds.
    Held(EvidenceUpload),
    /// 409 `upload_offset_mismatch`: the part did not start where the server's bytes end.
    OffsetMismatch(String),
    /// 422 `evidence_hash_mismatch`: the whole bytes did not hash to the photo's sha256; the server
    /// dropped its parts.
    HashMismatch(String),
    /// 404 `evidence_unknown`: no op of this point names the photo (not yet, as the server sees it).
    Unknown(String),
    /// 400 or 413: the server (or a proxy before it) will not take these bytes, ever.
    Refused(String),
}

impl ServerClient {
    /// How much of the photo `sha256` the server holds. `waiting`, as on a push: every call of the
    /// device reports its outbox, or the server's fleet view would read a call without it as the
    /// kiosk no longer reporting.
    pub async fn evidence_status(&self, credential: &str, sha256: &str, waiting: u32) -> Result<EvidenceAnswer> {
        let path = PATH_EVIDENCE_UPLOAD.replace("{sha256}", sha256);
        let builder = self.http.get(format!("{}{path}", self.base)).bearer_auth(credential);
        send_evidence(builder.header(OUTBOX_WAITING_HEADER, waiting)).await
    }

    /// Sends bytes `first..first + part.len()` of the photo `sha256` of `total` bytes.
    #[allow(clippy::too_many_arguments)]
    pub async fn put_evidence_part(
        &self,
        credential: &str,
        sha256: &str,
        media_type: &str,
        first: u64,
        total: u64,
        part: Vec<u8>,
        waiting: u32,
    ) -> Result<EvidenceAnswer> {
        let path = PATH_EVIDENCE.replace("{sha256}", sha256);
        let builder = self
            .http
            .put(format!("{}{path}", self.base))
            .bearer_auth(credential)
            .header(OUTBOX_WAITING_HEADER, waiting)
            .header(reqwest::header::CONTENT_TYPE, media_type)
            .header(reqwest::header::CONTENT_RANGE, content_range(first, part.len() as u64, total))
            .body(part);
        send_evidence(builder).await
    }

    /// The bytes of the photo `sha256` as the server keeps them (a photo whose file this kiosk pruned).
    pub async fn get_evidence(&self, credential: &str, sha256: &str, waiting: u32) -> Result<Vec<u8>> {
        let path = PATH_EVIDENCE.replace("{sha256}", sha256);
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(credential)
            .header(OUTBOX_WAITING_HEADER, waiting)
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
            .send()
            .await
            .map_err(|e| KioskError::ServerUnreachable(describe_transport_error(&e)))?;
        let status = response.status();
        if !status.is_success() {
            return Err(refusal(status, api_error(status, &response.text().await.unwrap_or_default()), Call::Sync));
        }
        let bytes = response.bytes().await.map_err(|e| KioskError::ServerUnreachable(describe_transport_error(&e)))?;
        Ok(bytes.to_vec())
    }
}

async fn send_evidence(builder: RequestBuilder) -> Result<EvidenceAnswer> {
    let response = builder
        .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
        .send()
        .await
        .map_err(|e| KioskError::ServerUnreachable(describe_transport_error(&e)))?;
    let status = response.status();
    if status.is_success() {
        let held = response.json::<EvidenceUpload>().await.map_err(|e| {
            if e.is_timeout() || e.is_body() {
                KioskError::ServerUnreachable(describe_transport_error(&e))
            } else {
                KioskError::SyncRefused { code: "bad_response".into(), message: format!("unreadable answer: {e}") }
            }
        })?;
        return Ok(EvidenceAnswer::Held(held));
    }
    let api = api_error(status, &response.text().await.unwrap_or_default());
    let said = format!("the server answered {}: {}", status.as_u16(), api.message);
    Ok(match status {
        StatusCode::CONFLICT => EvidenceAnswer::OffsetMismatch(said),
        StatusCode::UNPROCESSABLE_ENTITY => EvidenceAnswer::HashMismatch(said),
        StatusCode::NOT_FOUND => EvidenceAnswer::Unknown(said),
        StatusCode::BAD_REQUEST | StatusCode::PAYLOAD_TOO_LARGE => EvidenceAnswer::Refused(said),
        _ => return Err(refusal(status, api, Call::Sync)),
    })
}

/// The server's `ApiError`, or, from a body that is none (a proxy's error page), the status's words.
fn api_error(status: StatusCode, body: &str) -> ApiError {
    serde_json::from_str::<ApiError>(body).unwrap_or_else(|_| ApiError {
        code: status.as_str().to_owned(),
        message: status.canonical_reason().unwrap_or("unexpected answer").to_owned(),
    })
}

/// `https://host:port/` → `https://host:port`; anything that is not an http(s) URL is refused here,
/// before it reaches the store.
pub(crate) fn normalize_url(raw: &str) -> Result<String> {
    let trimmed = raw.trim().trim_end_matches('/');
    let valid = reqwest::Url::parse(trimmed)
        .ok()
        .filter(|url| matches!(url.scheme(), "http" | "https") && url.host().is_some());
    match valid {
        Some(_) => Ok(trimmed.to_owned()),
        None => Err(KioskError::InvalidInput(format!("{raw:?} is not a server address (http:// or https://)"))),
    }
}

/// Plain http reaches this machine only, unless allowed: whoever answers over the network could
/// read the code and the answer. `url` went through [`normalize_url`].
pub(crate) fn refuse_plain_http_beyond_loopback(url: &str, allow_plain_http: bool) -> Result<()> {
    let Ok(parsed) = reqwest::Url::parse(url) else { return Ok(()) };
    let host = parsed.host_str().unwrap_or_default().trim_start_matches('[').trim_end_matches(']');
    let loopback =
        host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    if parsed.scheme() == "http" && !loopback && !allow_plain_http {
        return Err(KioskError::InsecureServerAddress(url.to_owned()));
    }
    Ok(())
}

async fn send<T: DeserializeOwned>(builder: RequestBuilder, call: Call) -> Result<T> {
    let response = builder
        .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string())
        .send()
        .await
        .map_err(|e| KioskError::ServerUnreachable(describe_transport_error(&e)))?;
    let status = response.status();
    if status.is_success() {
        return response.json::<T>().await.map_err(|e| {
            if e.is_timeout() || e.is_body() {
                KioskError::ServerUnreachable(describe_transport_error(&e))
            } else {
                KioskError::SyncRefused { code: "bad_response".into(), message: format!("unreadable answer: {e}") }
            }
        });
    }
    // A body that is not an ApiError (a proxy's error page) still yields a readable message.
    let api = api_error(status, &response.text().await.unwrap_or_default());
    Err(refusal(status, api, call))
}

fn refusal(status: StatusCode, api: ApiError, call: Call) -> KioskError {
    match status {
        StatusCode::UPGRADE_REQUIRED => KioskError::UpgradeRequired,
        StatusCode::UNAUTHORIZED if call == Call::Sync => KioskError::CredentialRejected,
        // A proxy that cannot reach the server, or a server under load: the way to it is down for
        // now, as when the network is; try again later.
        StatusCode::BAD_GATEWAY
        | StatusCode::SERVICE_UNAVAILABLE
        | StatusCode::GATEWAY_TIMEOUT
        | StatusCode::TOO_MANY_REQUESTS
        | StatusCode::REQUEST_TIMEOUT => {
            KioskError::ServerUnreachable(format!("the server answered {}: {}", status.as_u16(), api.message))
        }
        // The server answered and failed: the network is fine. Also retried, but told apart so the
        // counter is not told it is offline.
        s if s.is_server_error() => {
            KioskError::ServerError(format!("the server answered {}: {}", s.as_u16(), api.message))
        }
        // Only a request naming a device to continue can be forbidden: its credential is not that
        // device's (an enrollment refusal like any other), or that device is another point's. The
        // caller fills in the kiosk's own point.
        StatusCode::FORBIDDEN if call == Call::Enroll && api.code != PREVIOUS_CREDENTIAL_REJECTED => {
            KioskError::EnrolledElsewhere {
                current: String::new(),
                requested: format!("the code's point ({})", api.message),
            }
        }
        _ if call == Call::Enroll => KioskError::EnrollmentRefused(api.message),
        // Whatever the body says (a proxy's page), the caller must know it was the size.
        StatusCode::PAYLOAD_TOO_LARGE => {
            KioskError::SyncRefused { code: PAYLOAD_TOO_LARGE.into(), message: api.message }
        }
        _ => KioskError::SyncRefused { code: api.code, message: api.message },
    }
}

/// The server would not read a body this large (413): a smaller batch may go through.
pub(crate) fn is_too_large(error: &KioskError) -> bool {
    matches!(error, KioskError::SyncRefused { code, .. } if code == PAYLOAD_TOO_LARGE)
}

fn describe_transport_error(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "no answer in time".to_owned()
    } else if e.is_connect() {
        "no connection".to_owned()
    } else {
        // reqwest's Display omits the cause ("error sending request"); the source says what happened.
        let mut text = e.to_string();
        let mut source = std::error::Error::source(e);
        while let Some(cause) = source {
            text = format!("{text}: {cause}");
            source = cause.source();
        }
        text
    }
}

/// The server and credential a call needs, read from the store.
pub(crate) struct ServerAccess {
    pub server_url: String,
    pub credential: String,
}

pub(crate) fn server_access(kiosk: &Kiosk) -> Result<ServerAccess> {
    let row = kiosk.store.with_conn(|c| Ok::<_, KioskError>(sync_settings::get_sync_settings(c)?))?;
    match (row.server_url, row.device_credential) {
        (Some(server_url), Some(credential)) => Ok(ServerAccess { server_url, credential }),
        _ => Err(KioskError::NotConnected),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_urls_are_normalized_and_non_http_refused() {
        assert_eq!(normalize_url(" http://127.0.0.1:8080/ ").ok(), Some("http://127.0.0.1:8080".into()), "trimmed");
        assert_eq!(normalize_url("https://pvz.example/api").ok(), Some("https://pvz.example/api".into()), "path kept");
        for bad in ["", "127.0.0.1:8080", "ftp://host", "http://"] {
            assert!(normalize_url(bad).is_err(), "{bad:?} must be refused as a server address");
        }
    }

    #[test]
    fn answers_map_to_what_the_kiosk_can_do() {
        let api = || ApiError { code: "x".into(), message: "nope".into() };
        assert!(matches!(refusal(StatusCode::UNAUTHORIZED, api(), Call::Sync), KioskError::CredentialRejected));
        assert!(matches!(refusal(StatusCode::UPGRADE_REQUIRED, api(), Call::Sync), KioskError::UpgradeRequired));
        for offline in [StatusCode::BAD_GATEWAY, StatusCode::SERVICE_UNAVAILABLE, StatusCode::GATEWAY_TIMEOUT] {
            assert!(
                matches!(refusal(offline, api(), Call::Sync), KioskError::ServerUnreachable(_)),
                "a {offline} is the way to the server down: offline, retried with backoff"
            );
        }
        let failed = refusal(StatusCode::INTERNAL_SERVER_ERROR, api(), Call::Sync);
        assert!(
            matches!(failed, KioskError::ServerError(_)),
            "a 500 is the server failing, not the network: {failed:?}"
        );
        assert!(failed.is_transient(), "a server failure is still retried with backoff");
        assert!(
            matches!(refusal(StatusCode::UNAUTHORIZED, api(), Call::Enroll), KioskError::EnrollmentRefused(m) if m == "nope"),
            "a refused enrollment code carries the server's message"
        );
        assert!(
            matches!(refusal(StatusCode::FORBIDDEN, api(), Call::Enroll), KioskError::EnrolledElsewhere { .. }),
            "an enrollment forbidden to continue another point's device is the enrolled-elsewhere refusal"
        );
        let wrong_secret = ApiError { code: PREVIOUS_CREDENTIAL_REJECTED.into(), message: "nope".into() };
        assert!(
            matches!(refusal(StatusCode::FORBIDDEN, wrong_secret, Call::Enroll), KioskError::EnrollmentRefused(m) if m == "nope"),
            "a previous credential the server does not accept is an enrollment refusal with the server's message"
        );
        assert!(
            is_too_large(&refusal(StatusCode::PAYLOAD_TOO_LARGE, api(), Call::Sync)),
            "a 413 is recognised as too large whatever code its body carries"
        );
        assert!(
            matches!(refusal(StatusCode::FORBIDDEN, api(), Call::Sync), KioskError::SyncRefused { code, .. } if code == "x"),
            "other refusals keep the server's code"
        );
    }
}
