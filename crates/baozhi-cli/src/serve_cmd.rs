//! `baozhi serve`: the archive's read-only web server and web reader (see
//! the `baozhi-server` crate).
//!
//! Wiring, in `main.rs`: `mod serve_cmd;`, the subcommand
//! `Serve(serve_cmd::ServeArgs)`, and `exit_with(serve_cmd::run_serve(&args))`.

use std::net::SocketAddr;
use std::path::PathBuf;

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
        let server = baozhi_server::bind(&args.data, args.addr).await?;
        eprintln!(
            "serving {} at http://{}",
            args.data.display(),
            server.local_addr()
        );
        server.run().await
    })?;
    Ok(0)
}
