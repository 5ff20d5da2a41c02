//! Rules the server enforces on every operation of a kind, written into the OpenAPI document once
//! here rather than in each handler's annotation, so an operation added later declares them too:
//! the protocol header's range, the 400 of a missing header, the 429 of the rate limits, the 413 of
//! the body limit, the 503 of a database that does not answer, and the true range of unsigned
//! numbers (utoipa writes `u32` as `int32` and `u64` as `int64` from 0, which refuse the upper half
//! the server reads).

use pvz_protocol::sync::{OLDEST_SUPPORTED_PROTOCOL, PATH_ENROLL, PATH_HEALTH, PROTOCOL_HEADER, PROTOCOL_VERSION};
use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, ResponseBuilder};
use utoipa::Modify;

/// See the module doc.
pub struct ContractRules;

impl Modify for ContractRules {
    fn modify(&self, openapi: &mut OpenApi) {
        widen_unsigned(openapi);
        for (path, item) in openapi.paths.paths.iter_mut() {
            for operation in operations(item) {
                declare_protocol_header(operation);
                if path.as_str() == PATH_ENROLL || operation.security.as_ref().is_some_and(|s| !s.is_empty()) {
                    declare(
                        operation,
                        "429",
                        "`rate_limited`: too many failed credentials (or enrollments) from this address or for this \
                         device, holder or code; `Retry-After` says in how many seconds to try again. A credential \
                         that verifies is never limited",
                    );
                }
                if operation.request_body.is_some() {
                    declare(operation, "413", "The body is larger than this server accepts");
                }
                if path.as_str() != PATH_HEALTH {
                    declare(
                        operation,
                        "503",
                        "`unavailable`: the database is busy or does not answer; nothing was applied. Retry later \
                         (`Retry-After`)",
                    );
                }
            }
        }
    }
}

/// Every `u32` in the document (`integer`, `int32`, minimum 0) as what the server reads: 0 to
/// 4,294,967,295 (`int64` with that maximum); every `u64` (`int64`, minimum 0, no maximum) 0 to
/// 2^64 - 1 (no format: `int64` stops at 2^63 - 1). So an `i64` bounded below by 0 states its
/// maximum. Walked as JSON: such numbers sit at any depth of schemas, parameters and combinations.
fn widen_unsigned(openapi: &mut OpenApi) {
    fn walk(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(fields) => {
                let integer = match fields.get("type") {
                    Some(serde_json::Value::String(t)) => t == "integer",
                    Some(serde_json::Value::Array(types)) => types.iter().any(|t| t == "integer"),
                    _ => false,
                };
                let unsigned = fields.get("minimum").and_then(serde_json::Value::as_u64) == Some(0);
                let format = fields.get("format").and_then(serde_json::Value::as_str).unwrap_or("");
                if integer && unsigned && format == "int32" {
                    fields.insert("format".into(), "int64".into());
                    fields.entry("maximum").or_insert_with(|| u32::MAX.into());
                } else if integer && unsigned && format == "int64" && !fields.contains_key("maximum") {
                    fields.remove("format");
                    fields.insert("maximum".into(), u64::MAX.into());
                }
                fields.values_mut().for_each(walk);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    let Ok(mut json) = serde_json::to_value(&*openapi) else { return };
    walk(&mut json);
    if let Ok(widened) = serde_json::from_value(json) {
        *openapi = widened;
    }
}

fn operations(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch].into_iter().flatten()
}

/// `X-Pvz-Protocol`: an integer within the versions this server serves. Below them 426, above them
/// 400 `server_too_old`, missing or not a number 400.
fn declare_protocol_header(operation: &mut Operation) {
    let Some(header) = operation.parameters.iter_mut().flatten().find(|p| p.name.eq_ignore_ascii_case(PROTOCOL_HEADER))
    else {
        return;
    };
    header.schema = Some(RefOr::T(
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(OLDEST_SUPPORTED_PROTOCOL))
            .maximum(Some(PROTOCOL_VERSION))
            .into(),
    ));
    header.description = Some(format!(
        "The protocol version the kiosk speaks: {OLDEST_SUPPORTED_PROTOCOL} to {PROTOCOL_VERSION}. Missing or not a \
         number: 400; older: 426 `upgrade_required`; newer: 400 `server_too_old`"
    ));
    declare(operation, "400", "`X-Pvz-Protocol` missing or not a number, or `server_too_old`");
    declare(operation, "426", "`upgrade_required`: the kiosk's protocol is too old");
}

/// Adds `status` with an `ApiError` body, unless the operation already declares it.
fn declare(operation: &mut Operation, status: &str, description: &str) {
    let body = ContentBuilder::new().schema(Some(Ref::from_schema_name("ApiError"))).build();
    let response = ResponseBuilder::new().description(description).content("application/json", body).build();
    operation.responses.responses.entry(status.to_owned()).or_insert(RefOr::T(response));
}
