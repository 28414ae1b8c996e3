//! Serves an archive without the `baozhi` CLI (for trying the reader and
//! measuring the server on its own):
//!
//! ```text
//! cargo run -p baozhi-server --example serve -- [DATA_DIR] [ADDR]
//! ```
//!
//! DATA_DIR defaults to `baozhi-data`, ADDR to `127.0.0.1:8080`.

use std::net::SocketAddr;
use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let data = PathBuf::from(args.next().unwrap_or_else(|| "baozhi-data".into()));
    let addr: SocketAddr = args
        .next()
        .unwrap_or_else(|| "127.0.0.1:8080".into())
        .parse()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let server = baozhi_server::bind(&data, addr).await?;
        eprintln!(
            "serving {} at http://{}",
            data.display(),
            server.local_addr()
        );
        server.run().await
    })
}
