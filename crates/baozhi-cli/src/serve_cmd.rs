//! `baozhi serve`: the archive's read-only web server and web reader (see
//! the `baozhi-server` crate).
//!
//! Wiring, in `main.rs`: `mod serve_cmd;`, the subcommand
//! `Serve(serve_cmd::ServeArgs)`, and `exit_with(serve_cmd::run_serve(&args))`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::Args;

/// Arguments of `baozhi serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Archive directory (as built by `baozhi ingest`).
    #[arg(long, value_name = "DIR", default_value = "baozhi-data")]
    pub data: PathBuf,

    /// Address to listen on. The server is read-only, but keep it on
    /// loopback unless the archive is meant to be public.
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,

    /// Also answer requests for this host name (repeatable), e.g. the
    /// name of a reverse proxy or of this machine on the LAN. Otherwise
    /// only the address itself, localhost, 127.0.0.1 and [::1] (with the
    /// port) are answered, which keeps web pages of other sites out (DNS
    /// rebinding).
    #[arg(long = "allow-host", value_name = "NAME", value_parser = baozhi_server::host_name)]
    pub allow_hosts: Vec<String>,

    /// Seconds a request's headers may take to arrive (also how long an
    /// idle kept-alive connection stays open).
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = seconds)]
    pub header_timeout: Duration,

    /// Seconds an answer may take before it is given up (503).
    #[arg(long, value_name = "SECS", default_value = "30", value_parser = seconds)]
    pub request_timeout: Duration,

    /// Seconds a connection may move no byte while no request is being
    /// answered (a client that stopped reading) before it is closed.
    #[arg(long, value_name = "SECS", default_value = "60", value_parser = seconds)]
    pub idle_timeout: Duration,

    /// The most connections served at once; more wait their turn.
    #[arg(long, value_name = "N", default_value_t = 128,
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub max_connections: u32,
}

/// A positive number of seconds (`10`, `0.5`).
fn seconds(s: &str) -> Result<Duration, String> {
    let secs: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a number of seconds"))?;
    if !secs.is_finite() || secs <= 0.0 || secs > 86_400.0 {
        return Err(format!("{s:?}: give more than 0 and at most 86400 seconds"));
    }
    Ok(Duration::from_secs_f64(secs))
}

impl ServeArgs {
    /// The server's configuration from the flags.
    pub fn config(&self) -> baozhi_server::Config {
        baozhi_server::Config {
            allow_hosts: self.allow_hosts.clone(),
            header_read_timeout: self.header_timeout,
            request_timeout: self.request_timeout,
            idle_timeout: self.idle_timeout,
            max_connections: self.max_connections as usize,
        }
    }
}

/// Serves the archive until Ctrl-C (or SIGTERM), saying where on stderr
/// once it listens. Returns the exit code, 0; an archive that cannot be
/// opened or an address that cannot be bound is an `Err`.
pub fn run_serve(args: &ServeArgs) -> anyhow::Result<i32> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let server = baozhi_server::bind_with(&args.data, args.addr, args.config()).await?;
        eprintln!(
            "serving {} at http://{}",
            args.data.display(),
            server.local_addr()
        );
        server.run().await
    })?;
    Ok(0)
}
