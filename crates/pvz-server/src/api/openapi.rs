//! The OpenAPI document, generated from the handlers and wire types with utoipa and served at
//! `/v1/openapi.json`. The committed copy (`crates/pvz-server/openapi.json`) is checked by a test;
//! regenerate it with `pvz-server openapi > crates/pvz-server/openapi.json`.

use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "PVZ central server", description = "Enrollment and sync for pickup-point kiosks."),
    paths(super::handlers::health)
)]
pub struct ApiDoc;

/// The document as pretty JSON with a trailing newline, exactly as committed.
pub fn document_json() -> String {
    ApiDoc::openapi().to_pretty_json().unwrap_or_default() + "\n"
}

pub async fn serve() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
