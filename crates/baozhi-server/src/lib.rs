//! A read-only web server for a baozhi archive: a small JSON API over
//! [`baozhi_archive::Archive`] and an offline web reader (plain HTML, CSS
//! and JavaScript compiled into the binary, no CDN, no build step).
//!
//! # API
//!
//! | request | answer |
//! | --- | --- |
//! | `GET /api/search?q=&paper=&from=&to=&limit=&offset=&stories=` | `{"hits":[{"id","title","paper","date","page","snippet","score"}],"total":N}` |
//! | `GET /api/articles/{id}` | the stored article (`id` is the archive id, `/`s and all; on a page with a picture, its size in points as `picture`) |
//! | `GET /api/issues?paper=&limit=&offset=` | `{"issues":[{"paper","date","pages","articles"}],"total":N,"limit":L,"offset":O}`, newest first |
//! | `GET /api/issues/{paper}/{date}` | one issue's pages, furniture and articles (a page with a picture: its size in points as `picture`, and each article's `boxes`) |
//! | `GET /api/issues/{paper}/{date}/pages/{page}/picture` | the picture of a page (`image/jpeg`), when the archive keeps one |
//! | `GET /api/papers` | `{"papers":[{"paper","issues"}]}`, by name |
//! | `GET /api/stats` | counts of papers, issues, pages, articles |
//! | `GET /api/trend?q=&by=month\|year&paper=&from=&to=` | `{"query","by","periods":[{"period","matches","articles"}]}` |
//!
//! `/api/issues` answers one page of the list: `limit` issues (default
//! [`DEFAULT_ISSUES_LIMIT`], at most [`MAX_ISSUES_LIMIT`]) after skipping
//! `offset`, only those of `paper` when given; `total` counts them all.
//! (Before paging it answered a bare array of every issue, which grew to
//! megabytes; the issue objects are unchanged.)
//!
//! `/api/trend` counts, for each month (`YYYY-MM`) or year (`YYYY`) from
//! the first to the last holding an article of the filters, the articles
//! matching `q` (the search's syntax, folding and limits) and all the
//! articles of that period, so a client can show the share; `by` left out
//! chooses months for up to [`baozhi_archive::AUTO_MONTHS_MAX`] of them,
//! years beyond (see [`baozhi_archive::Archive::trend`]).
//!
//! Errors are JSON too: `{"error": "..."}` with a 4xx or 5xx status, and
//! never name a file or an internal detail.
//!
//! # Safe by default
//!
//! - Only requests naming this server are served (DNS rebinding): the
//!   `Host` must be the address the client connected to, `localhost`,
//!   `127.0.0.1` or `[::1]`, with the server's port, or a name given in
//!   [`Config::allow_hosts`] (`baozhi serve --allow-host NAME`, any port);
//!   anything else is `421`, a missing `Host` (HTTP/1.1) `400`.
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
//! - Connections are bounded ([`Config`]): a request's head must arrive
//!   within [`Config::header_read_timeout`] of the connection opening (or
//!   of the last answer on a kept-alive connection), else the connection
//!   is closed, so silent and half-sent connections do not pile up; a
//!   connection that moves no byte for [`Config::idle_timeout`] while no
//!   request is being answered is closed (a client that stops reading);
//!   an answer that takes longer than [`Config::request_timeout`] is
//!   `503`; at most [`Config::max_connections`] connections are served at
//!   once, later ones wait in the listen queue for a free place.
//!
//! The archive is one SQLite connection, so requests take turns: each waits
//! (without holding a thread) for the archive, then runs on tokio's
//! blocking pool.

use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::pin::{pin, Pin};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context as TaskContext, Poll};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path as UrlPath, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri, Version};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use baozhi_archive::{
    check_query_text, names, Archive, ArchiveError, QueryLimitError, SearchQuery, TrendBy,
    TrendQuery, MAX_OFFSET,
};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use serde::Deserialize;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Mutex, Semaphore};

/// The longest request target (path and query) served, in bytes.
pub const MAX_URI_BYTES: usize = 2048;
/// The most hits one search answers with.
pub const MAX_LIMIT: usize = 100;
/// Hits per search when `limit` is not given.
pub const DEFAULT_LIMIT: usize = 10;
/// Issues per page of `/api/issues` when `limit` is not given.
pub const DEFAULT_ISSUES_LIMIT: usize = 100;
/// The most issues one page of `/api/issues` holds.
pub const MAX_ISSUES_LIMIT: usize = 1000;
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

/// How the server guards itself: which host names it answers to and how
/// long and how many connections it keeps. [`Config::default`] is what
/// `baozhi serve` uses unless told otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Host names served besides the server's own address and localhost
    /// (with any port or none): the names a reverse proxy or a LAN uses.
    /// Lower case, without a port (see [`host_name`]).
    pub allow_hosts: Vec<String>,
    /// How long a request's head (request line and headers) may take to
    /// arrive, counted from the connection's opening or from the end of
    /// the previous answer on a kept-alive connection; then the connection
    /// is closed. Default 10 s.
    pub header_read_timeout: Duration,
    /// How long an answer may take; then it is `503`. Default 30 s.
    pub request_timeout: Duration,
    /// How long a connection may move no byte while no request is being
    /// answered (a client that stops reading its answer); then it is
    /// closed. Default 60 s.
    pub idle_timeout: Duration,
    /// The most connections served at once; more wait in the listen queue
    /// until one closes. Default 128.
    pub max_connections: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            allow_hosts: Vec::new(),
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(60),
            max_connections: 128,
        }
    }
}

/// A host name for [`Config::allow_hosts`] as given on the command line:
/// checked (letters, digits, `-` and `.`, or an IP address, IPv6 in
/// brackets or not; no port) and made lower case, without a final dot.
pub fn host_name(s: &str) -> Result<String, String> {
    let name = s.trim().trim_end_matches('.').to_ascii_lowercase();
    if name.is_empty() {
        return Err("an empty host name".to_string());
    }
    if let Ok(ip) = name
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
    {
        return Ok(match ip {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => format!("[{v6}]"),
        });
    }
    if name.contains(':') {
        return Err(format!("{s:?}: give the host name without a port"));
    }
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && l.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    if name.len() > 253 || !name.split('.').all(label_ok) {
        return Err(format!(
            "{s:?} is not a host name (letters, digits, '-' and '.')"
        ));
    }
    Ok(name)
}

#[derive(Clone)]
struct AppState {
    archive: Arc<Mutex<Archive>>,
}

/// What the guard in front of every route knows.
struct GuardConfig {
    allow_hosts: Vec<String>,
    request_timeout: Duration,
}

/// The connection a request came on, put in the request's extensions by
/// [`Server`]: the Host check compares with the address it was made to.
#[derive(Debug, Clone, Copy)]
struct ConnectedTo(SocketAddr);

/// The server's routes over `archive`, with its safety checks and headers
/// and [`Config::default`]. [`serve`] runs it; tests can hand it to
/// `axum::serve` on a port of their own. Only [`Server`] bounds
/// connections and compares the `Host` with the connection's address
/// (outside it, loopback names and IPs are taken with any port).
pub fn router(archive: Archive) -> Router {
    router_with(archive, &Config::default())
}

/// [`router`] with the host names and request timeout of `config`.
pub fn router_with(archive: Archive, config: &Config) -> Router {
    let state = AppState {
        archive: Arc::new(Mutex::new(archive)),
    };
    let guard_config = Arc::new(GuardConfig {
        allow_hosts: config.allow_hosts.clone(),
        request_timeout: config.request_timeout,
    });
    let mut app = Router::new()
        .route("/api/search", get(search))
        .route("/api/articles/{*id}", get(article))
        .route("/api/issues", get(issues))
        .route("/api/issues/{paper}/{date}", get(issue))
        .route(
            "/api/issues/{paper}/{date}/pages/{page}/picture",
            get(page_picture),
        )
        .route("/api/papers", get(papers))
        .route("/api/stats", get(stats))
        .route("/api/trend", get(trend));
    for &(path, content_type, body) in ASSETS {
        app = app.route(
            path,
            get(move || async move { ([(header::CONTENT_TYPE, content_type)], body) }),
        );
    }
    app.fallback(not_found)
        .with_state(state)
        .layer(middleware::from_fn_with_state(guard_config, guard))
}

/// Opens the archive in `data_dir` and serves it at `addr` until Ctrl-C
/// (or SIGTERM), with [`Config::default`].
pub async fn serve(data_dir: &Path, addr: SocketAddr) -> anyhow::Result<()> {
    bind(data_dir, addr).await?.run().await
}

/// Opens the archive in `data_dir` and listens at `addr`, without serving
/// yet: [`Server::local_addr`] tells where (the port when `addr` asked
/// for port 0), [`Server::run`] serves. [`Config::default`] applies.
pub async fn bind(data_dir: &Path, addr: SocketAddr) -> anyhow::Result<Server> {
    bind_with(data_dir, addr, Config::default()).await
}

/// [`bind`] with a [`Config`] of one's own.
pub async fn bind_with(
    data_dir: &Path,
    addr: SocketAddr,
    config: Config,
) -> anyhow::Result<Server> {
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
    let listener = TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    Server::from_listener(listener, archive, config)
}

/// An archive and a bound listener, ready to serve.
pub struct Server {
    listener: TcpListener,
    local_addr: SocketAddr,
    archive: Archive,
    config: Config,
}

impl Server {
    /// A server of `archive` on a listener already bound.
    pub fn from_listener(
        listener: TcpListener,
        archive: Archive,
        config: Config,
    ) -> anyhow::Result<Server> {
        if config.max_connections == 0 {
            bail!("max_connections must be at least 1");
        }
        let local_addr = listener.local_addr().context("no local address")?;
        Ok(Server {
            listener,
            local_addr,
            archive,
            config,
        })
    }

    /// The address the server listens at.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Serves until Ctrl-C (or SIGTERM), then finishes the requests under
    /// way.
    pub async fn run(self) -> anyhow::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    /// Serves until `shutdown` finishes, then stops accepting, closes idle
    /// connections and lets the requests under way finish (for at most
    /// [`Config::request_timeout`]).
    pub async fn run_until(self, shutdown: impl Future<Output = ()>) -> anyhow::Result<()> {
        let Server {
            listener,
            archive,
            config,
            ..
        } = self;
        let app = router_with(archive, &config);
        let max = config.max_connections.min(Semaphore::MAX_PERMITS);
        let max = u32::try_from(max).unwrap_or(u32::MAX);
        let places = Arc::new(Semaphore::new(max as usize));
        let (stop, stopped) = watch::channel(false);
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(config.header_read_timeout)
            .keep_alive(true);
        let mut shutdown = pin!(shutdown);
        loop {
            // A place first: past the cap, connections wait in the
            // kernel's listen queue, not in this process.
            let place = tokio::select! {
                place = places.clone().acquire_owned() => place.context("connection places closed")?,
                () = &mut shutdown => break,
            };
            let accepted = tokio::select! {
                accepted = listener.accept() => accepted,
                () = &mut shutdown => break,
            };
            let (stream, _peer) = match accepted {
                Ok(a) => a,
                Err(e) if is_connection_error(&e) => continue,
                Err(e) => {
                    // Out of file descriptors or the like: wait a little
                    // rather than spin.
                    eprintln!("baozhi-server: accept failed: {e}");
                    tokio::select! {
                        () = tokio::time::sleep(Duration::from_secs(1)) => continue,
                        () = &mut shutdown => break,
                    }
                }
            };
            let local = match stream.local_addr() {
                Ok(a) => a,
                Err(_) => continue,
            };
            let _ = stream.set_nodelay(true);
            let connection = Connection {
                app: app.clone(),
                http: http.clone(),
                local,
                idle_timeout: config.idle_timeout,
                stopped: stopped.clone(),
            };
            tokio::spawn(async move {
                connection.serve(stream).await;
                drop(place);
            });
        }
        drop(listener);
        let _ = stop.send(true);
        // Every place back means every connection is done.
        let _ = tokio::time::timeout(config.request_timeout, places.acquire_many(max)).await;
        Ok(())
    }
}

/// Errors of one connection attempt that say nothing about the listener.
fn is_connection_error(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::ConnectionRefused
            | std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::ConnectionReset
    )
}

/// One accepted connection and what it needs to be served.
struct Connection {
    app: Router,
    http: hyper::server::conn::http1::Builder,
    local: SocketAddr,
    idle_timeout: Duration,
    stopped: watch::Receiver<bool>,
}

impl Connection {
    /// Serves the connection until the client or hyper closes it (the head
    /// of a request too slow in coming included), it stays idle too long,
    /// or the server stops.
    async fn serve(mut self, stream: TcpStream) {
        let activity = Arc::new(Activity::new());
        let io = TokioIo::new(Watched {
            io: stream,
            activity: activity.clone(),
        });
        let app = TowerToHyperService::new(self.app.clone());
        let to = ConnectedTo(self.local);
        let busy = activity.clone();
        let service = hyper::service::service_fn(move |mut req: hyper::Request<_>| {
            req.extensions_mut().insert(to);
            let answering = Busy::new(busy.clone());
            let answer = hyper::service::Service::call(&app, req);
            async move {
                let answer = answer.await;
                drop(answering);
                answer
            }
        });
        let conn = self.http.serve_connection(io, service);
        let mut conn = pin!(conn);
        let idle = idle(&activity, self.idle_timeout);
        let mut idle = pin!(idle);
        let mut stopping = false;
        loop {
            tokio::select! {
                _ = conn.as_mut() => return,
                // Dropping the connection closes it.
                () = &mut idle => return,
                _ = self.stopped.wait_for(|s| *s), if !stopping => {
                    stopping = true;
                    conn.as_mut().graceful_shutdown();
                }
            }
        }
    }
}

/// When a connection last moved a byte, and how many of its requests are
/// being answered.
struct Activity {
    start: Instant,
    last_ms: AtomicU64,
    busy: AtomicUsize,
}

impl Activity {
    fn new() -> Self {
        Activity {
            start: Instant::now(),
            last_ms: AtomicU64::new(0),
            busy: AtomicUsize::new(0),
        }
    }

    fn touch(&self) {
        let ms = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.store(ms, Ordering::Relaxed);
    }

    fn since_last(&self) -> Duration {
        let last = Duration::from_millis(self.last_ms.load(Ordering::Relaxed));
        self.start.elapsed().saturating_sub(last)
    }
}

/// Marks a request as being answered while it lives.
struct Busy(Arc<Activity>);

impl Busy {
    fn new(activity: Arc<Activity>) -> Self {
        activity.busy.fetch_add(1, Ordering::Relaxed);
        Busy(activity)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.busy.fetch_sub(1, Ordering::Relaxed);
        self.0.touch();
    }
}

/// Finishes once the connection has moved no byte for `timeout` while no
/// request was being answered.
async fn idle(activity: &Activity, timeout: Duration) {
    loop {
        let since = activity.since_last();
        if activity.busy.load(Ordering::Relaxed) > 0 {
            tokio::time::sleep(timeout).await;
        } else if since >= timeout {
            return;
        } else {
            tokio::time::sleep(timeout - since).await;
        }
    }
}

/// A stream that notes in its [`Activity`] each time bytes move.
struct Watched {
    io: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut TaskContext<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.io).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.touch();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut TaskContext<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.io).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut TaskContext<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let polled = Pin::new(&mut self.io).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: Pin<&mut Self>,
        cx: &mut TaskContext<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
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

/// Every request passes here: the host, method, body and length checks,
/// the request timeout, then the security headers on whatever the answer
/// is.
async fn guard(State(config): State<Arc<GuardConfig>>, req: Request, next: Next) -> Response {
    let refused = misdirected(&req, &config.allow_hosts).or_else(|| reject(&req));
    let mut response = match refused {
        Some(error) => error.into_response(),
        None => match tokio::time::timeout(config.request_timeout, next.run(req)).await {
            Ok(response) => response,
            Err(_) => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "the answer took too long, try again",
            )
            .into_response(),
        },
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

/// Why a request is refused for the host it names, if it is: a `Host`
/// (or an absolute request target) that is not this server (DNS
/// rebinding), or no `Host` at all in HTTP/1.1.
fn misdirected(req: &Request, allow_hosts: &[String]) -> Option<ApiError> {
    let local = req.extensions().get::<ConnectedTo>().map(|c| c.0);
    let mut hosts: Vec<&str> = Vec::new();
    match req.headers().get(header::HOST).map(|h| h.to_str()) {
        Some(Ok(host)) => hosts.push(host),
        Some(Err(_)) => return Some(misdirected_error("(not ASCII)")),
        None if req.uri().authority().is_none() && req.version() >= Version::HTTP_11 => {
            return Some(ApiError::bad_request("a Host header is required"));
        }
        None => {}
    }
    if let Some(authority) = req.uri().authority() {
        hosts.push(authority.as_str());
    }
    hosts
        .into_iter()
        .find(|h| !host_allowed(h, local, allow_hosts))
        .map(misdirected_error)
}

fn misdirected_error(host: &str) -> ApiError {
    let shown: String = host.chars().take(100).collect();
    ApiError::new(
        StatusCode::MISDIRECTED_REQUEST,
        format!(
            "host {shown:?} is not served here: use this server's address or localhost, \
             or start it with --allow-host NAME to serve another name"
        ),
    )
}

/// Whether a `Host` value names this server: a name of `allow_hosts`
/// (any port), or `localhost`, a loopback address or the address the
/// connection was made to (`local`), with its port (80 when none is
/// given). Without `local`, loopback names go with any port.
fn host_allowed(host: &str, local: Option<SocketAddr>, allow_hosts: &[String]) -> bool {
    let host = host.trim();
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let Some(end) = rest.find(']') else {
            return false;
        };
        let (inside, after) = (&rest[..end], &rest[end + 1..]);
        let port = match after {
            "" => None,
            p => match p.strip_prefix(':') {
                Some(p) => Some(p),
                None => return false,
            },
        };
        (format!("[{}]", inside.to_ascii_lowercase()), port)
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) => (name.to_ascii_lowercase(), Some(port)),
            None => (host.to_ascii_lowercase(), None),
        }
    };
    let port: Option<u16> = match port {
        Some(p) => match p.parse() {
            Ok(p) => Some(p),
            Err(_) => return false,
        },
        None => None,
    };
    let name = name.strip_suffix('.').unwrap_or(&name);
    if name.is_empty() {
        return false;
    }
    if allow_hosts.iter().any(|a| a == name) {
        return true;
    }
    if let Some(local) = local {
        if port.unwrap_or(80) != local.port() {
            return false;
        }
    }
    if name == "localhost" {
        return true;
    }
    let ip = name
        .strip_prefix('[')
        .and_then(|n| n.strip_suffix(']'))
        .map_or_else(
            || name.parse::<std::net::Ipv4Addr>().map(IpAddr::V4).ok(),
            |n| n.parse::<std::net::Ipv6Addr>().map(IpAddr::V6).ok(),
        );
    match ip {
        Some(ip) => {
            ip.is_loopback() || local.is_some_and(|l| l.ip().to_canonical() == ip.to_canonical())
        }
        None => false,
    }
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
    /// `1`/`true`: search whole stories (see `SearchQuery::stories`).
    stories: Option<String>,
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
            stories: flag(self.stories, "stories")?,
        })
    }
}

/// A yes/no parameter: absent, empty, `0` or `false` is no; `1` or `true`
/// is yes; anything else is a bad request.
fn flag(s: Option<String>, name: &str) -> Result<bool, ApiError> {
    match non_blank(s).as_deref() {
        None | Some("0" | "false") => Ok(false),
        Some("1" | "true") => Ok(true),
        Some(_) => Err(ApiError::bad_request(format!("{name} must be 1 or 0"))),
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

#[derive(Debug, Deserialize)]
struct TrendParams {
    q: Option<String>,
    by: Option<String>,
    paper: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

impl TrendParams {
    fn into_query(self) -> Result<TrendQuery, ApiError> {
        let by = match non_blank(self.by) {
            None => None,
            Some(by) => Some(
                TrendBy::parse(&by)
                    .ok_or_else(|| ApiError::bad_request("by must be month or year"))?,
            ),
        };
        Ok(TrendQuery {
            text: self.q.unwrap_or_default(),
            paper: non_blank(self.paper),
            from: non_blank(self.from),
            to: non_blank(self.to),
            by,
        })
    }
}

/// Matches and articles per month or year (see the crate docs).
async fn trend(
    State(state): State<AppState>,
    params: Result<Query<TrendParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(params) = params.map_err(|_| ApiError::bad_request("malformed query string"))?;
    let query = params.into_query()?;
    // As for a search: refused before waiting for the archive.
    check_query_text(&query.text)?;
    let trend = with_archive(&state, move |a| a.trend(&query)).await?;
    Ok(Json(trend).into_response())
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

#[derive(Debug, Deserialize)]
struct IssuesParams {
    paper: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
}

/// One page of the list of issues (see the crate docs).
async fn issues(
    State(state): State<AppState>,
    params: Result<Query<IssuesParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(params) = params.map_err(|_| ApiError::bad_request("malformed query string"))?;
    let limit = number(params.limit, "limit")?
        .unwrap_or(DEFAULT_ISSUES_LIMIT)
        .clamp(1, MAX_ISSUES_LIMIT);
    let offset = number(params.offset, "offset")?.unwrap_or(0);
    let paper = non_blank(params.paper);
    let list = with_archive(&state, move |a| {
        a.issues_page(paper.as_deref(), limit, offset)
    })
    .await?;
    Ok(Json(serde_json::json!({
        "issues": list.issues,
        "total": list.total,
        "limit": limit,
        "offset": offset,
    }))
    .into_response())
}

async fn papers(State(state): State<AppState>) -> Result<Response, ApiError> {
    let papers = with_archive(&state, |a| a.papers()).await?;
    Ok(Json(serde_json::json!({ "papers": papers })).into_response())
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

/// How long a browser may keep a page picture without asking again: an
/// hour, since re-ingesting a page replaces its picture under the same
/// address.
const PICTURE_MAX_AGE: &str = "max-age=3600";

async fn page_picture(
    State(state): State<AppState>,
    path: Result<UrlPath<(String, String, String)>, PathRejection>,
) -> Result<Response, ApiError> {
    let UrlPath((paper, date, page)) = path.map_err(|_| ApiError::not_found("page picture"))?;
    match with_archive(&state, move |a| a.page_picture(&paper, &date, &page)).await? {
        Some(jpeg) => Ok((
            [
                (header::CONTENT_TYPE, "image/jpeg"),
                (header::CACHE_CONTROL, PICTURE_MAX_AGE),
            ],
            jpeg,
        )
            .into_response()),
        None => Err(ApiError::not_found("page picture")),
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
            stories: None,
        };
        let q = p("1000", "99999999999999999999999").into_query().unwrap();
        assert_eq!((q.limit, q.offset), (MAX_LIMIT, MAX_OFFSET));
        assert_eq!(q.paper, None);
        assert_eq!(q.to, None);
        let q = p("0", "").into_query().unwrap();
        assert_eq!((q.limit, q.offset), (1, 0));
        assert!(!q.stories);
        let q = p("", "20").into_query().unwrap();
        assert_eq!((q.limit, q.offset), (DEFAULT_LIMIT, 20));
        assert!(p("-1", "0").into_query().is_err());
        assert!(p("ten", "0").into_query().is_err());
    }

    #[test]
    fn trend_params_name_a_grouping_or_none() {
        let p = |by: Option<&str>| TrendParams {
            q: Some("南水北调".into()),
            by: by.map(str::to_string),
            paper: Some(" ".into()),
            from: None,
            to: Some("2024-12-31".into()),
        };
        let q = p(None).into_query().unwrap();
        assert_eq!(
            (q.by, q.paper, q.to.as_deref()),
            (None, None, Some("2024-12-31"))
        );
        assert_eq!(p(Some(" ")).into_query().unwrap().by, None);
        assert_eq!(
            p(Some("year")).into_query().unwrap().by,
            Some(TrendBy::Year)
        );
        assert_eq!(
            p(Some("Month")).into_query().unwrap().by,
            Some(TrendBy::Month)
        );
        let e = p(Some("week")).into_query().unwrap_err();
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
        assert!(e.message.contains("month or year"), "{}", e.message);
    }

    #[test]
    fn hosts_naming_this_server() {
        let local: SocketAddr = "192.168.1.5:8080".parse().unwrap();
        let allow = vec!["archive.example".to_string()];
        let ok = |h: &str| host_allowed(h, Some(local), &allow);
        for h in [
            "localhost:8080",
            "LOCALHOST:8080",
            "localhost.:8080",
            "127.0.0.1:8080",
            "127.0.0.2:8080",
            "[::1]:8080",
            "192.168.1.5:8080",
            "archive.example",
            "archive.example:443",
            "Archive.Example.",
        ] {
            assert!(ok(h), "{h}");
        }
        for h in [
            "",
            ":8080",
            "localhost",
            "localhost:80",
            "localhost:8081",
            "192.168.1.6:8080",
            "evil.example:8080",
            "localhost.evil.example:8080",
            "127.0.0.1.nip.io:8080",
            "[::1]8080",
            "[::1:8080",
            "localhost:99999",
            "sub.archive.example",
        ] {
            assert!(!ok(h), "{h}");
        }
        // An IPv4 client of a server on [::] reaches an IPv4-mapped address.
        let mapped: SocketAddr = "[::ffff:10.0.0.7]:8080".parse().unwrap();
        assert!(host_allowed("10.0.0.7:8080", Some(mapped), &[]));
        // On port 80 the port may be left out.
        let web: SocketAddr = "127.0.0.1:80".parse().unwrap();
        assert!(host_allowed("localhost", Some(web), &[]));
        // Without the connection's address, loopback names go with any port.
        assert!(host_allowed("localhost:1234", None, &[]));
        assert!(!host_allowed("evil.example:1234", None, &[]));
    }

    #[test]
    fn allowed_host_names_are_checked() {
        assert_eq!(host_name("Archive.Example.").unwrap(), "archive.example");
        assert_eq!(host_name("::1").unwrap(), "[::1]");
        assert_eq!(host_name("[::1]").unwrap(), "[::1]");
        assert_eq!(host_name("10.0.0.7").unwrap(), "10.0.0.7");
        assert!(host_name("").is_err());
        assert!(host_name("example.org:8080").unwrap_err().contains("port"));
        assert!(host_name("a b").is_err());
        assert!(host_name("a..b").is_err());
        assert!(host_name("*.example").is_err());
    }

    #[test]
    fn slow_answers_are_503() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let config = Arc::new(GuardConfig {
                allow_hosts: Vec::new(),
                request_timeout: Duration::from_millis(200),
            });
            let app = Router::new()
                .route(
                    "/slow",
                    get(|| async {
                        tokio::time::sleep(Duration::from_secs(30)).await;
                        "late"
                    }),
                )
                .route("/quick", get(|| async { "quick" }))
                .layer(middleware::from_fn_with_state(config, guard));
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            tokio::spawn(async move { axum::serve(listener, app).await });
            let ask = |path: &'static str| {
                tokio::task::spawn_blocking(move || {
                    use std::io::{Read, Write};
                    let mut s = std::net::TcpStream::connect(addr).unwrap();
                    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
                    write!(
                        s,
                        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
                    )
                    .unwrap();
                    let mut answer = String::new();
                    s.read_to_string(&mut answer).unwrap();
                    answer
                })
            };
            let started = Instant::now();
            let slow = ask("/slow").await.unwrap();
            assert!(slow.starts_with("HTTP/1.1 503"), "{slow}");
            assert!(slow.contains("too long"), "{slow}");
            assert!(started.elapsed() < Duration::from_secs(10));
            let quick = ask("/quick").await.unwrap();
            assert!(quick.starts_with("HTTP/1.1 200"), "{quick}");
        });
    }
}
