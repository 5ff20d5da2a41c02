//! The OpenAPI document, generated from the handlers and wire types with utoipa and served at
//! `/v1/openapi.json`. The committed copy (`crates/pvz-server/openapi.json`) is checked by a test;
//! regenerate it with `cargo run -p pvz-server -- openapi > crates/pvz-server/openapi.json`.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "PVZ central server",
        description = "Enrollment and sync for pickup-point kiosks. Every error answer carries an ApiError body."
    ),
    paths(
        super::handlers::health,
        super::handlers::enroll,
        super::handlers::push,
        super::handlers::pull
    ),
    modifiers(&DeviceCredentialAuth)
)]
pub struct ApiDoc;

/// `Authorization: Bearer pvzd1.<device id>.<secret>`.
struct DeviceCredentialAuth;

impl Modify for DeviceCredentialAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "device_credential",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("pvzd1.<device id>.<secret>")
                    .description(Some("The credential enrollment returned."))
                    .build(),
            ),
        );
    }
}

/// The document as pretty JSON with a trailing newline, exactly as committed.
pub fn document_json() -> String {
    ApiDoc::openapi().to_pretty_json().unwrap_or_default() + "\n"
}

pub async fn serve() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_committed_openapi_json_matches_the_code() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json");
        let generated = super::document_json();
        if std::env::var_os("PVZ_UPDATE_OPENAPI").is_some() {
            std::fs::write(path, &generated).expect("write openapi.json");
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == generated,
            "crates/pvz-server/openapi.json is stale: run `PVZ_UPDATE_OPENAPI=1 cargo test -p pvz-server openapi` \
             or `cargo run -p pvz-server -- openapi > crates/pvz-server/openapi.json`"
        );
    }
}
