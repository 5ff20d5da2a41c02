//! The OpenAPI document, generated from the handlers and wire types with utoipa and served at
//! `/v1/openapi.json`. The committed copy (`crates/pvz-server/openapi.json`) is checked by a test;
//! regenerate it with `cargo run -p pvz-server -- openapi > crates/pvz-server/openapi.json`.

use super::contract_rules::ContractRules;
use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// The tag of the health, enrollment and sync operations in the published document. utoipa tags an
/// operation with the module path it is listed under, and these were listed from `api::handlers`
/// when the document was committed; the tag is kept so the document does not change with a file name.
pub const SYNC_TAG: &str = "super::handlers";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "PVZ central server",
        description = "Enrollment, sync, claim status and couriers' manifests for pickup-point kiosks; claim \
                       decisions for sellers. \
                       Every error answer carries an ApiError body."
    ),
    paths(
        super::health,
        super::ready,
        super::enroll::enroll,
        super::sync::push,
        super::sync::pull,
        super::claims::claim_status,
        super::claims::item_claims,
        super::couriers::courier_manifest,
        super::updates::check_update,
        super::updates::release_file,
        super::claims::seller_claims,
        super::claims::decide_claim,
        super::buyer::open_claim,
        super::buyer::buyer_claims,
        super::messages::upload_attachment,
        super::messages::get_attachment,
        super::messages::post_message,
        super::messages::list_messages,
        super::claim_actions::act_on_claim,
        super::claim_actions::operator_claims,
        super::web::sign_in,
        super::web::current_session,
        super::web::sign_out,
        super::web::seller_inbox,
        super::web::claim_case,
        super::web::seller_balance,
        super::web::operator_attention,
        super::web::operator_fleet,
        super::evidence::evidence_status,
        super::evidence::upload_evidence,
        super::evidence::get_evidence,
        super::evidence::claim_evidence
    ),
    modifiers(&CredentialAuth, &SessionCookieAuth, &ContractRules)
)]
pub struct ApiDoc;

/// `Authorization: Bearer pvzd1.<device id>.<secret>` (kiosks), `pvzs1.<seller id>.<secret>` (sellers),
/// `pvzb1.<name>.<secret>` (the buyer front) or `pvzo1.<name>.<secret>` (operators).
struct CredentialAuth;

impl Modify for CredentialAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let bearer = |format: &str, description: &str| {
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format(format)
                    .description(Some(description))
                    .build(),
            )
        };
        components.add_security_scheme(
            "device_credential",
            bearer("pvzd1.<device id>.<secret>", "The credential enrollment returned."),
        );
        components.add_security_scheme(
            "seller_credential",
            bearer("pvzs1.<seller id>.<secret>", "The credential `pvz-server seller-credential <seller>` printed."),
        );
        components.add_security_scheme(
            "buyer_front_credential",
            bearer("pvzb1.<name>.<secret>", "The credential `pvz-server buyer-front-credential <name>` printed."),
        );
        components.add_security_scheme(
            "operator_credential",
            bearer("pvzo1.<name>.<secret>", "The credential `pvz-server operator-credential <name>` printed."),
        );
        components.add_security_scheme(
            "party_credential",
            bearer(
                "pvzs1. / pvzb1. / pvzo1.",
                "A seller's, the buyer front's (`pvz-server buyer-front-credential <name>`) or an operator's \
                 (`pvz-server operator-credential <name>`) credential.",
            ),
        );
    }
}

/// The web page's session cookie (`pvz_session`, see `pvz_protocol::web`) as a security scheme, and
/// as an alternative on every operation a seller's or party's credential may call: the extractors
/// take either. A changing operation so called needs `x-csrf-token` (403 `csrf_mismatch` without).
struct SessionCookieAuth;

impl Modify for SessionCookieAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityRequirement};
        use utoipa::openapi::{HttpMethod, ResponseBuilder};
        const SCHEME: &str = "session_cookie";
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            SCHEME,
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                pvz_protocol::web::SESSION_COOKIE,
                "The web page's session (`POST /v1/web/session`); a request that changes something also sends \
                 the session's `csrf_token` in `x-csrf-token`.",
            ))),
        );
        let takes_cookie = |requirements: &[SecurityRequirement]| {
            let json = serde_json::to_value(requirements).unwrap_or_default();
            let named = |name: &str| json.as_array().is_some_and(|all| all.iter().any(|r| r.get(name).is_some()));
            (named("seller_credential") || named("party_credential"), named(SCHEME))
        };
        for item in openapi.paths.paths.values_mut() {
            let methods = [
                (HttpMethod::Get, &mut item.get),
                (HttpMethod::Post, &mut item.post),
                (HttpMethod::Put, &mut item.put),
                (HttpMethod::Delete, &mut item.delete),
            ];
            for (method, operation) in methods {
                let Some(operation) = operation.as_mut() else { continue };
                let Some(security) = operation.security.as_mut() else { continue };
                let (by_credential, by_cookie) = takes_cookie(security);
                if !by_credential && !by_cookie {
                    continue;
                }
                if !by_cookie {
                    security.push(SecurityRequirement::new(SCHEME, Vec::<String>::new()));
                }
                if method != HttpMethod::Get {
                    operation.responses.responses.entry("403".to_owned()).or_insert_with(|| {
                        ResponseBuilder::new()
                            .description(
                                "`csrf_mismatch`: called with the session cookie without its `x-csrf-token`; or \
                                 `forbidden`: not this caller's to do",
                            )
                            .content(
                                "application/json",
                                utoipa::openapi::ContentBuilder::new()
                                    .schema(Some(utoipa::openapi::Ref::from_schema_name("ApiError")))
                                    .build(),
                            )
                            .build()
                            .into()
                    });
                }
            }
        }
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
