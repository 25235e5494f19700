//! The `runview-sim` binary: parses flags, starts the simulator, prints the
//! READY line and serves until SIGINT/SIGTERM.

use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use runview_sim::{Config, DEMO_KEY};

/// A faithful double of the Runs API plus a media origin, for runview demos and tests.
///
/// Prints `READY api=http://HOST:PORT media=http://HOST:PORT` on stdout once
/// both listeners are bound; logs go to stderr (filter with RUST_LOG).
#[derive(Debug, Parser)]
#[command(name = "runview-sim", version, about, long_about)]
struct Cli {
    /// Address to bind both listeners to.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// API port (0: the OS picks a free port).
    #[arg(long, default_value_t = 8090)]
    port: u16,
    /// Media origin port (0: the OS picks a free port).
    #[arg(long, default_value_t = 8091)]
    media_port: u16,
    /// The one accepted API key (`Authorization: Bearer <key>`); default: the documented demo key.
    #[arg(long, env = "RUNVIEW_SIM_KEY", hide_env_values = true, default_value = DEMO_KEY)]
    key: String,
    /// Time factor for evolving runs (2.0 = twice as fast).
    #[arg(long, default_value_t = 1.0)]
    speed: f64,
    /// Allowed CORS origin of the API (repeatable; `*` = any). Default: any
    /// http://localhost:<port> or http://127.0.0.1:<port> origin.
    #[arg(long = "allow-origin", value_name = "ORIGIN")]
    allow_origin: Vec<String>,
    /// Serve a built static web app from DIR on the API port at `/`, with SPA
    /// fallback to index.html and precompressed .br/.gz siblings.
    #[arg(long, value_name = "DIR")]
    app_dir: Option<PathBuf>,
    /// Public base URL of media URLs put in responses (default: http://127.0.0.1:<media port>).
    #[arg(long, value_name = "URL")]
    media_base_url: Option<String>,
    /// Folder of the video/audio/text media files (default: the crate's media/ folder).
    #[arg(long, value_name = "DIR")]
    media_dir: Option<PathBuf>,
}

/// Resolves when SIGINT or SIGTERM arrives.
async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("install SIGTERM handler");
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    if !(cli.speed > 0.0 && cli.speed.is_finite()) {
        eprintln!("--speed must be a positive number");
        std::process::exit(2);
    }
    let config = Config {
        host: cli.host,
        api_port: cli.port,
        media_port: cli.media_port,
        key: cli.key,
        speed: cli.speed,
        allow_origins: cli.allow_origin,
        app_dir: cli.app_dir,
        media_base_url: cli.media_base_url,
        media_dir: cli
            .media_dir
            .unwrap_or_else(runview_sim::media::default_media_dir),
    };
    let server = runview_sim::start(config).await?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{}", server.ready_line())?;
        out.flush()?;
    }
    shutdown_signal().await;
    tracing::info!("shutting down");
    if tokio::time::timeout(Duration::from_secs(5), server.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("connections still open after 5 s; exiting anyway");
    }
    Ok(())
}
