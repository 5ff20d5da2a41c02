//! The seller and operator web page's static files under `/seller/` (built by `npm --prefix ui run
//! build:web` into `ui/dist-web`, installed to `<prefix>/share/pvz-server/web`): any path that is no
//! file gets `index.html`, so the page's own routes survive a reload. Every answer carries a strict
//! Content-Security-Policy (this origin only, no inline script), `X-Frame-Options: DENY` and
//! `Referrer-Policy: same-origin`. Without a built page, `/seller/` says how to build it (404).

use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect};
use axum::routing::get;
use axum::Router;
use std::path::{Path, PathBuf};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// Where the page is mounted.
pub const PAGE_PATH: &str = "/seller";

/// Only this origin's scripts, styles, images (and the page's own `blob:` previews of photos about
/// to be uploaded), calls and fonts; no plugin, no framing, no form posting elsewhere.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' blob: data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; \
     form-action 'self'; frame-ancestors 'none'";

/// The web page's settings, from the server's config.
#[derive(Debug, Clone, Default)]
pub struct WebPage {
    /// The built page (`index.html` and its assets); `None`: not built.
    pub dir: Option<PathBuf>,
    /// Mark the session cookie `Secure` whatever the request says (TLS ends at a proxy that does not
    /// send `X-Forwarded-Proto`).
    pub secure_cookies: bool,
}

/// `/` → `/seller/`, and `/seller/…` from the page's directory, with the security headers.
pub fn routes<S: Clone + Send + Sync + 'static>(page: &WebPage) -> Router<S> {
    let files = match page.dir.as_deref().filter(|dir| dir.join("index.html").is_file()) {
        Some(dir) => Router::new().nest_service(PAGE_PATH, serve_dir(dir)),
        None => {
            if let Some(dir) = &page.dir {
                tracing::warn!(dir = %dir.display(), "the web page's directory has no index.html; /seller/ answers 404");
            }
            Router::new()
                .route(PAGE_PATH, get(not_built))
                .route(&format!("{PAGE_PATH}/"), get(not_built))
                .route(&format!("{PAGE_PATH}/{{*rest}}"), get(not_built))
        }
    };
    let header = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
    };
    files
        .layer(header(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .layer(header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header(header::REFERRER_POLICY, "same-origin"))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .route("/", get(|| async { Redirect::to(&format!("{PAGE_PATH}/")) }))
}

/// The page's files; a path that is no file is one of the page's own routes: `index.html`, 200.
fn serve_dir(dir: &Path) -> ServeDir<ServeFile> {
    ServeDir::new(dir).fallback(ServeFile::new(dir.join("index.html")))
}

async fn not_built() -> impl IntoResponse {
    (
        StatusCode::NOT_FOUND,
        Html(
            "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>PVZ seller page not built</title>\
             <p>The seller web page is not built. Run <code>npm --prefix ui run build:web</code> and restart \
             pvz-server, or point <code>web_dir</code> (<code>PVZ_WEB_DIR</code>) at a built page.</p></html>",
        ),
    )
}

/// The page's directory when the config names none: `<exe dir>/../share/pvz-server/web` (an
/// installed server), else this checkout's `ui/dist-web` (a development build), whichever exists.
pub fn default_dir() -> Option<PathBuf> {
    let installed = std::env::current_exe().ok().and_then(|exe| Some(exe.parent()?.join("../share/pvz-server/web")));
    let checkout = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/dist-web");
    installed.into_iter().chain([checkout]).find(|dir| dir.join("index.html").is_file())
}
