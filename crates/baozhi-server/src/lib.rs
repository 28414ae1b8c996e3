//! A read-only web server for a baozhi archive: a small JSON API over
//! [`baozhi_archive::Archive`] and an offline web reader (plain HTML, CSS
//! and JavaScript compiled into the binary, no CDN, no build step).
//!
//! # API
//!
//! | request | answer |
//! | --- | --- |
//! | `GET /api/search?q=&paper=&from=&to=&limit=&offset=` | `{"hits":[{"id","title","paper","date","page","snippet","score"}],"total":N}` |
//! | `GET /api/articles/{id}` | the stored article (`id` is the archive id, `/`s and all) |
//! | `GET /api/issues` | every issue, newest first |
//! | `GET /api/issues/{paper}/{date}` | one issue's pages, furniture and articles |
//! | `GET /api/stats` | counts of papers, issues, pages, articles |
//!
//! Errors are JSON too: `{"error": "..."}` with a 4xx or 5xx status, and
//! never name a file or an internal detail.
//!
//! # Safe by default
//!
//! - Only `GET` (and `HEAD`) are served; anything else is `405`.
//! - Requests carry no body (`413` when one is announced), and a request
//!   target longer than [`MAX_URI_BYTES`] is `414`.
//! - Result pages are clamped: `limit` to `1..=`[`MAX_LIMIT`], `offset` to
//!   [`MAX_OFFSET`].
//! - Search texts are bounded before they are parsed (the query parser
//!   recurses once per group): more than
//!   [`baozhi_archive::MAX_QUERY_DEPTH`] levels of parentheses, more than
//!   [`baozhi_archive::MAX_QUERY_GROUPS`] `(` and `NOT` in all, or more
//!   than [`baozhi_archive::MAX_QUERY_CHARS`] characters is `400`.
//! - No request names a file: the reader's three files are compiled in and
//!   served from a fixed table.
//! - Every response carries [`CSP`], `X-Content-Type-Options: nosniff`,
//!   `X-Frame-Options: DENY` and `Referrer-Policy: no-referrer`.
//!
//! The archive is one SQLite connection, so requests take turns: each waits
//! (without holding a thread) for the archive, then runs on tokio's
//! blocking pool.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use anyhow::{bail, Context};
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path as UrlPath, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use baozhi_archive::{
    check_query_text, names, Archive, ArchiveError, QueryLimitError, SearchQuery, MAX_OFFSET,
};
use serde::Deserialize;
use tokio::sync::Mutex;

/// The longest request target (path and query) served, in bytes.
pub const MAX_URI_BYTES: usize = 2048;
/// The most hits one search answers with.
pub const MAX_LIMIT: usize = 100;
/// Hits per search when `limit` is not given.
pub const DEFAULT_LIMIT: usize = 10;
/// The `Content-Security-Policy` of every response.
pub const CSP: &str =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'";

/// The web reader, compiled in: request path, content type, body.
const ASSETS: &[(&str, &str, &str)] = &[
    (
        "/",
        "text/html; charset=utf-8",
        include_str!("../assets/index.html"),
    ),
    (
        "/index.html",
        "text/html; charset=utf-8",
        include_str!("../assets/index.html"),
    ),
    (
        "/app.js",
        "text/javascript; charset=utf-8",
        include_str!("../assets/app.js"),
    ),
    (
        "/style.css",
        "text/css; charset=utf-8",
        include_str!("../assets/style.css"),
    ),
];

#[derive(Clone)]
struct AppState {
    archive: Arc<Mutex<Archive>>,
}

/// The server's routes over `archive`, with its safety checks and headers.
/// [`serve`] runs it; tests can hand it to `axum::serve` on a port of
/// their own.
pub fn router(archive: Archive) -> Router {
    let state = AppState {
        archive: Arc::new(Mutex::new(archive)),
    };
    let mut app = Router::new()
        .route("/api/search", get(search))
        .route("/api/articles/{*id}", get(article))
        .route("/api/issues", get(issues))
        .route("/api/issues/{paper}/{date}", get(issue))
        .route("/api/stats", get(stats));
    for &(path, content_type, body) in ASSETS {
        app = app.route(
            path,
            get(move || async move { ([(header::CONTENT_TYPE, content_type)], body) }),
        );
    }
    app.fallback(not_found)
        .with_state(state)
        .layer(middleware::from_fn(guard))
}

/// Opens the archive in `data_dir` and serves it at `addr` until Ctrl-C
/// (or SIGTERM).
pub async fn serve(data_dir: &Path, addr: SocketAddr) -> anyhow::Result<()> {
    bind(data_dir, addr).await?.run().await
}

/// Opens the archive in `data_dir` and listens at `addr`, without serving
/// yet: [`Server::local_addr`] tells where (the port when `addr` asked
/// for port 0), [`Server::run`] serves.
pub async fn bind(data_dir: &Path, addr: SocketAddr) -> anyhow::Result<Server> {
    if !data_dir.join("archive.sqlite").is_file() {
        bail!(
            "no archive in {} (build one with `baozhi ingest --data {} PATH…`)",
            data_dir.display(),
            data_dir.display()
        );
    }
    let dir = data_dir.to_path_buf();
    let archive = tokio::task::spawn_blocking(move || Archive::open(&dir))
        .await
        .context("opening the archive panicked")?
        .with_context(|| format!("cannot open the archive in {}", data_dir.display()))?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let local_addr = listener.local_addr().context("no local address")?;
    Ok(Server {
        listener,
        local_addr,
        archive,
    })
}

/// An archive and a bound listener, ready to serve.
pub struct Server {
    listener: tokio::net::TcpListener,
    local_addr: SocketAddr,
    archive: Archive,
}

impl Server {
    /// The address the server listens at.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Serves until Ctrl-C (or SIGTERM), then finishes the requests under
    /// way.
    pub async fn run(self) -> anyhow::Result<()> {
        axum::serve(self.listener, router(self.archive))
            .with_graceful_shutdown(shutdown_signal())
            .await
            .context("server failed")
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                let term = async move {
                    term.recv().await;
                };
                futures_race(ctrl_c, term).await;
            }
            Err(_) => ctrl_c.await,
        }
    }
    #[cfg(not(unix))]
    ctrl_c.await;
}

/// Waits for whichever of two futures finishes first.
#[cfg(unix)]
async fn futures_race(
    a: impl std::future::Future<Output = ()>,
    b: impl std::future::Future<Output = ()>,
) {
    let mut a = std::pin::pin!(a);
    let mut b = std::pin::pin!(b);
    std::future::poll_fn(|cx| {
        if a.as_mut().poll(cx).is_ready() || b.as_mut().poll(cx).is_ready() {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await
}

/// Every request passes here: the method, body and length checks, then
/// the security headers on whatever the answer is.
async fn guard(req: Request, next: Next) -> Response {
    let mut response = match reject(&req) {
        Some(error) => error.into_response(),
        None => next.run(req).await,
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// Why a request is refused before routing, if it is.
fn reject(req: &Request) -> Option<ApiError> {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return Some(ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "only GET is served",
        ));
    }
    let target = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if target > MAX_URI_BYTES {
        return Some(ApiError::new(
            StatusCode::URI_TOO_LONG,
            format!("request too long (at most {MAX_URI_BYTES} bytes)"),
        ));
    }
    if announces_body(req.headers()) {
        return Some(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "requests carry no body",
        ));
    }
    None
}

fn announces_body(headers: &HeaderMap) -> bool {
    headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .is_some_and(|v| v.as_bytes() != b"0")
}

/// An error answer: a status and `{"error": message}`.
#[derive(Debug)]
struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
        }
    }

    fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }

    fn not_found(what: &str) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, format!("{what} not found"))
    }

    fn internal() -> Self {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            Json(serde_json::json!({ "error": self.message })),
        )
            .into_response();
        if self.status == StatusCode::METHOD_NOT_ALLOWED {
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        }
        response
    }
}

impl From<ArchiveError> for ApiError {
    fn from(e: ArchiveError) -> Self {
        match e {
            // The user's own mistake (a bad date …): say what it was.
            ArchiveError::Query(message) => ApiError::bad_request(message),
            ArchiveError::QueryLimit(limit) => limit.into(),
            ArchiveError::Busy(_) => {
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "archive busy, try again")
            }
            // Anything else may name files or internals: log it, answer
            // without it.
            other => {
                eprintln!("baozhi-server: {other}");
                ApiError::internal()
            }
        }
    }
}

impl From<QueryLimitError> for ApiError {
    fn from(e: QueryLimitError) -> Self {
        ApiError::bad_request(e.to_string())
    }
}

/// Runs `f` on the archive, on the blocking pool, once it is this
/// request's turn.
async fn with_archive<T, F>(state: &AppState, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&Archive) -> Result<T, ArchiveError> + Send + 'static,
{
    let archive = state.archive.clone().lock_owned().await;
    tokio::task::spawn_blocking(move || f(&archive))
        .await
        .map_err(|e| {
            eprintln!("baozhi-server: archive task failed: {e}");
            ApiError::internal()
        })?
        .map_err(ApiError::from)
}

#[derive(Debug, Deserialize)]
struct SearchParams {
    q: Option<String>,
    paper: Option<String>,
    from: Option<String>,
    to: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
}

fn non_blank(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

fn number(s: Option<String>, name: &str) -> Result<Option<usize>, ApiError> {
    match non_blank(s) {
        None => Ok(None),
        // Absurdly large numbers are clamped like large ones.
        Some(s) if s.len() > 9 && s.bytes().all(|b| b.is_ascii_digit()) => Ok(Some(usize::MAX)),
        Some(s) => s
            .parse()
            .map(Some)
            .map_err(|_| ApiError::bad_request(format!("{name} must be a whole number"))),
    }
}

impl SearchParams {
    fn into_query(self) -> Result<SearchQuery, ApiError> {
        let limit = number(self.limit, "limit")?
            .unwrap_or(DEFAULT_LIMIT)
            .clamp(1, MAX_LIMIT);
        let offset = number(self.offset, "offset")?.unwrap_or(0).min(MAX_OFFSET);
        Ok(SearchQuery {
            text: self.q.unwrap_or_default(),
            paper: non_blank(self.paper),
            from: non_blank(self.from),
            to: non_blank(self.to),
            limit,
            offset,
        })
    }
}

async fn search(
    State(state): State<AppState>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(params) = params.map_err(|_| ApiError::bad_request("malformed query string"))?;
    let query = params.into_query()?;
    // Refused here, a hostile text does not wait for the archive (which
    // checks again before parsing).
    check_query_text(&query.text)?;
    let results = with_archive(&state, move |a| a.search(&query)).await?;
    Ok(Json(results).into_response())
}

async fn article(State(state): State<AppState>, uri: Uri) -> Result<Response, ApiError> {
    let raw = uri
        .path()
        .strip_prefix("/api/articles/")
        .unwrap_or_default();
    let id = canonical_id(raw).ok_or_else(|| ApiError::not_found("article"))?;
    match with_archive(&state, move |a| a.article(&id)).await? {
        Some(article) => Ok(Json(article).into_response()),
        None => Err(ApiError::not_found("article")),
    }
}

async fn issues(State(state): State<AppState>) -> Result<Response, ApiError> {
    let issues = with_archive(&state, |a| a.issues()).await?;
    Ok(Json(issues).into_response())
}

async fn issue(
    State(state): State<AppState>,
    path: Result<UrlPath<(String, String)>, PathRejection>,
) -> Result<Response, ApiError> {
    let UrlPath((paper, date)) = path.map_err(|_| ApiError::not_found("issue"))?;
    match with_archive(&state, move |a| a.issue(&paper, &date)).await? {
        Some(issue) => Ok(Json(issue).into_response()),
        None => Err(ApiError::not_found("issue")),
    }
}

async fn stats(State(state): State<AppState>) -> Result<Response, ApiError> {
    let stats = with_archive(&state, |a| a.stats()).await?;
    Ok(Json(stats).into_response())
}

async fn not_found() -> ApiError {
    ApiError::not_found("page")
}

/// The archive id a request path names, in the archive's own spelling:
/// each of the four parts percent-decoded (so `%e5`, `%E5` and a raw
/// character are all accepted), then encoded the archive's way.
fn canonical_id(raw: &str) -> Option<String> {
    let parts: Vec<&str> = raw.split('/').collect();
    if parts.len() != 4 || parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    let mut out = Vec::with_capacity(4);
    for part in parts {
        out.push(names::percent_encode(&percent_decode(part)?));
    }
    Some(out.join("/"))
}

/// Decodes `%XX` escapes; `None` for a bad escape or bytes that are not
/// UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_made_canonical() {
        let id = "%E5%8D%97%E9%98%B3/2024-10-22/01/3";
        assert_eq!(canonical_id(id).as_deref(), Some(id));
        assert_eq!(
            canonical_id("%e5%8d%97%e9%98%b3/2024-10-22/01/3").as_deref(),
            Some(id)
        );
        assert_eq!(canonical_id("南阳/2024-10-22/01/3").as_deref(), Some(id));
        assert_eq!(
            canonical_id("a%2Fb/x.y/%2E%2E/1").as_deref(),
            Some("a%2Fb/x%2Ey/%2E%2E/1")
        );
        assert_eq!(canonical_id("a/b/c"), None);
        assert_eq!(canonical_id("a//c/1"), None);
        assert_eq!(canonical_id("a/b/c/%zz"), None);
        assert_eq!(canonical_id("a/b/c/%FF"), None);
        assert_eq!(canonical_id("a/b/c/%4"), None);
    }

    #[test]
    fn search_params_are_clamped() {
        let p = |limit: &str, offset: &str| SearchParams {
            q: Some("x".into()),
            paper: Some(" ".into()),
            from: None,
            to: Some("".into()),
            limit: Some(limit.into()),
            offset: Some(offset.into()),
        };
        let q = p("1000", "99999999999999999999999").into_query().unwrap();
        assert_eq!((q.limit, q.offset), (MAX_LIMIT, MAX_OFFSET));
        assert_eq!(q.paper, None);
        assert_eq!(q.to, None);
        let q = p("0", "").into_query().unwrap();
        assert_eq!((q.limit, q.offset), (1, 0));
        let q = p("", "20").into_query().unwrap();
        assert_eq!((q.limit, q.offset), (DEFAULT_LIMIT, 20));
        assert!(p("-1", "0").into_query().is_err());
        assert!(p("ten", "0").into_query().is_err());
    }
}
