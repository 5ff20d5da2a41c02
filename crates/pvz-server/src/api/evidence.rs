//! Counter photos over HTTP (`pvz_protocol::evidence` is the contract): a kiosk reads how much of a
//! photo the server holds and sends it part by part (or whole); a device of the point, the item's
//! seller or an operator reads the bytes back; the claim's seller or an operator lists a claim's
//! photos. A photo the caller may not see is answered exactly as one that does not exist (404).

use super::claims::claim_id;
use super::extract::{AuthDevice, AuthParty, AuthReader};
use super::AppState;
use crate::blobs::is_blob_id;
use crate::credentials::Party;
use crate::db::evidence::EvidenceReader;
use crate::error::{Result, ServerError};
use crate::evidence::{self, Sent};
use crate::storage::Storage;
use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use pvz_protocol::evidence::{EvidencePhoto, EvidenceUpload};
use pvz_protocol::sync::ApiError;

/// The photo's sha256 from the path, in the lowercase hex it is stored under; anything that is no
/// sha256 names no photo.
fn photo_id(raw: &str) -> Result<String> {
    let sha256 = raw.to_ascii_lowercase();
    if is_blob_id(&sha256) {
        Ok(sha256)
    } else {
        Err(unknown())
    }
}

fn unknown() -> ServerError {
    ServerError::EvidenceUnknown("no such photo".into())
}

/// How much of a photo an op of the device's point names the server holds: `missing`, `partial`
/// with the bytes held from the start, or `stored` (never send it again).
#[utoipa::path(
    get, path = "/v1/evidence/{sha256}/upload", security(("device_credential" = [])),
    params(
        ("sha256" = String, Path, description = "The photo's sha256 as its op named it (64 hex digits)", pattern = "^[0-9a-fA-F]{64}$"),
        ("x-pvz-protocol" = u32, Header, description = "Protocol version the kiosk speaks"),
    ),
    responses(
        (status = 200, body = EvidenceUpload),
        (status = 401, description = "Missing, unknown or revoked credential", body = ApiError),
        (status = 404, description = "`evidence_unknown`: no op of the device's point names this photo", body = ApiError),
    )
)]
pub async fn evidence_status<S: Storage>(
    State(state): State<AppState<S>>,
    device: AuthDevice,
    Path(raw): Path<String>,
) -> Result<Json<EvidenceUpload>> {
    let sha256 = photo_id(&raw)?;
    let held = state.storage.evidence_held(sha256.clone(), device.pickup_point_id).await?.ok_or_else(unknown)?;
    Ok(Json(evidence::answer(&sha256, &held)))
}

/// One part of a photo's bytes (`Content-Range: bytes <first>-<last>/<total>`), or the whole photo
/// (no `Content-Range`). Parts follow each other from byte 0; the last one completes the photo,
/// whose bytes must hash to the path's sha256 and be a JPEG, PNG or WebP.
#[utoipa::path(
    put, path = "/v1/evidence/{sha256}", security(("device_credential" = [])),
    params(
        ("sha256" = String, Path, description = "The photo's sha256 as its op named it (64 hex digits)", pattern = "^[0-9a-fA-F]{64}$"),
        ("x-pvz-protocol" = u32, Header, description = "Protocol version the kiosk speaks"),
        (
            "content-range" = Option<String>, Header,
            description = "`bytes <first>-<last>/<total>`: this part's first and last byte (inclusive) and the photo's \
                           size. Absent: the body is the whole photo. A part is at most 1 MiB, a photo at most 10 MiB",
            pattern = "^bytes [0-9]{1,19}-[0-9]{1,19}/[0-9]{1,19}$"
        ),
    ),
    request_body(
        description = "The part's bytes",
        content((Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"), (Vec<u8> = "image/webp")),
    ),
    responses(
        (status = 200, description = "`stored` already: the body was ignored", body = EvidenceUpload),
        (status = 201, description = "`stored`: this part completed the photo", body = EvidenceUpload),
        (status = 202, description = "`partial`: `received` bytes are held, send the next part from there", body = EvidenceUpload),
        (status = 400, description = "A type that is no photo's, bytes that are not a JPEG, PNG or WebP (or not the declared one), a bad or inconsistent range, or a body of another length", body = ApiError),
        (status = 401, description = "Missing, unknown or revoked credential", body = ApiError),
        (status = 404, description = "`evidence_unknown`: no op of the device's point names this photo", body = ApiError),
        (status = 409, description = "`upload_offset_mismatch`: the part does not start where the held bytes end; read the status and continue from its `received`", body = ApiError),
        (status = 413, description = "The photo is over 10 MiB or the part over 1 MiB", body = ApiError),
        (status = 422, description = "`evidence_hash_mismatch`: the whole bytes do not hash to the sha256; the parts were dropped, start again", body = ApiError),
    )
)]
pub async fn upload_evidence<S: Storage>(
    State(state): State<AppState<S>>,
    device: AuthDevice,
    Path(raw): Path<String>,
    request: Request,
) -> Result<(StatusCode, Json<EvidenceUpload>)> {
    let sha256 = photo_id(&raw)?;
    let headers = request.headers();
    let text = |name: header::HeaderName| -> Result<Option<String>> {
        headers
            .get(&name)
            .map(|v| v.to_str().map(str::to_owned))
            .transpose()
            .map_err(|_| ServerError::BadRequest(format!("the {name} header is not readable text")))
    };
    let (range, declared) = (text(header::CONTENT_RANGE)?, text(header::CONTENT_TYPE)?);
    let length = text(header::CONTENT_LENGTH)?.and_then(|l| l.trim().parse::<u64>().ok());
    // Every limit is checked on the headers, before a byte of the body is read.
    let sent = Sent::read(range.as_deref(), length, declared.as_deref())?;
    let held = state.storage.evidence_held(sha256.clone(), device.pickup_point_id).await?.ok_or_else(unknown)?;
    let bytes = Bytes::from_request(request, &state).await.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ServerError::PayloadTooLarge,
        _ => ServerError::BadRequest(rejection.body_text()),
    })?;
    let (status, upload) =
        evidence::receive(&state.storage, &state.blobs, &sha256, &held, sent, declared.as_deref(), bytes).await?;
    Ok((status, Json(upload)))
}

/// A counter photo's bytes, with their type: for a device of a point whose op names it, the seller
/// of the item it shows, or an operator. Anyone else, and a photo not uploaded yet, get 404.
#[utoipa::path(
    get, path = "/v1/evidence/{sha256}", security(("device_credential" = []), ("party_credential" = [])),
    params(("sha256" = String, Path, description = "The photo's sha256 (64 hex digits)", pattern = "^[0-9a-fA-F]{64}$")),
    responses(
        (
            status = 200, description = "The bytes",
            content((Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"), (Vec<u8> = "image/webp")),
        ),
        (status = 401, description = "Missing or unknown credential", body = ApiError),
        (status = 404, description = "`evidence_unknown`: no such photo, not uploaded yet, or not the caller's to see", body = ApiError),
    )
)]
pub async fn get_evidence<S: Storage>(
    State(state): State<AppState<S>>,
    reader: AuthReader,
    Path(raw): Path<String>,
) -> Result<Response> {
    let sha256 = photo_id(&raw)?;
    let reader = match reader {
        AuthReader::Device(device) => EvidenceReader::Device(device.pickup_point_id),
        AuthReader::Party(Party::Seller(seller)) => EvidenceReader::Seller(seller),
        AuthReader::Party(Party::Operator(_)) => EvidenceReader::Operator,
        AuthReader::Party(Party::BuyerFront(_)) => EvidenceReader::Nobody,
    };
    let stored = state.storage.readable_evidence(sha256.clone(), reader).await?.ok_or_else(unknown)?;
    let stream = state.blobs.get_stream(&sha256).await?.ok_or_else(unknown)?;
    let content_type = HeaderValue::from_str(&stored.media_type)
        .map_err(|_| ServerError::Internal(format!("evidence {sha256} has a bad stored type")))?;
    let headers = [
        (header::CONTENT_TYPE, content_type),
        (header::CONTENT_LENGTH, HeaderValue::from(stored.size_bytes)),
        // The bytes under a hash never change; who may see them does not either, but they are
        // evidence in a dispute, so no shared cache keeps them.
        (header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=31536000, immutable")),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
    ];
    Ok((headers, Body::from_stream(stream)).into_response())
}

/// The counter's photos of a claim's item (a defect refusal, damage at receiving, a claim return's
/// condition), oldest first, each saying whether its bytes have arrived.
#[utoipa::path(
    get, path = "/v1/claims/{claim_id}/evidence", security(("party_credential" = [])),
    params(("claim_id" = String, Path, description = "The claim")),
    responses(
        (status = 200, body = Vec<EvidencePhoto>),
        (status = 401, description = "Missing or unknown credential (a kiosk's included)", body = ApiError),
        (status = 404, description = "No such claim (or another seller's, or a buyer front asking)", body = ApiError),
    )
)]
pub async fn claim_evidence<S: Storage>(
    State(state): State<AppState<S>>,
    AuthParty(party): AuthParty,
    Path(raw): Path<String>,
) -> Result<Json<Vec<EvidencePhoto>>> {
    let claim = claim_id(&raw)?;
    Ok(Json(state.storage.claim_evidence(party, claim).await?))
}
