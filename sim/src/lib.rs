//! runview-sim: a faithful double of the Runs API (`GET /api/v1/runs/{runId}`)
//! plus a second origin serving real media, for demos and end-to-end tests.
//!
//! [`start`] binds both listeners and serves them until [`Server::shutdown`];
//! tests call it in-process with port 0.

pub mod admin;
pub mod auth;
pub mod blueprints;
pub mod error;
pub mod faults;
pub mod http;
pub mod media;
pub mod model;
pub mod routes;
pub mod run_id;
pub mod scenario;
pub mod spa;
pub mod state;
pub mod timestamp;

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tower_http::trace::TraceLayer;
use tracing::Span;

use crate::state::{Settings, SimState};

/// The documented demo key: `sk_` followed by `5eed` sixteen times.
pub const DEMO_KEY: &str = "sk_5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed";

/// Everything the simulator needs to start.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to bind both listeners to.
    pub host: IpAddr,
    /// API port (0: the OS picks).
    pub api_port: u16,
    /// Media port (0: the OS picks).
    pub media_port: u16,
    /// The one accepted API key.
    pub key: String,
    /// Scenario ms per wall-clock ms.
    pub speed: f64,
    /// Allowed CORS origins of the API; empty: any local origin; `*`: any.
    pub allow_origins: Vec<String>,
    /// Built web app to serve on the API port, if any.
    pub app_dir: Option<PathBuf>,
    /// Public base URL of media in responses; default: the media listener.
    pub media_base_url: Option<String>,
    /// Folder of the committed media files.
    pub media_dir: PathBuf,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            api_port: 8090,
            media_port: 8091,
            key: DEMO_KEY.to_string(),
            speed: 1.0,
            allow_origins: Vec::new(),
            app_dir: None,
            media_base_url: None,
            media_dir: media::default_media_dir(),
        }
    }
}

impl Config {
    /// A config for tests: both ports chosen by the OS.
    pub fn ephemeral() -> Config {
        Config {
            api_port: 0,
            media_port: 0,
            ..Config::default()
        }
    }
}

/// A running simulator.
#[derive(Debug)]
pub struct Server {
    /// Bound address of the API listener.
    pub api_addr: SocketAddr,
    /// Bound address of the media listener.
    pub media_addr: SocketAddr,
    /// The shared state (tests may inspect it).
    pub state: Arc<SimState>,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<io::Result<()>>>,
}

/// `http://host:port`, showing an unspecified bind address as 127.0.0.1.
fn base_url(addr: SocketAddr) -> String {
    match addr.ip() {
        ip if ip.is_unspecified() => format!("http://127.0.0.1:{}", addr.port()),
        IpAddr::V6(ip) => format!("http://[{ip}]:{}", addr.port()),
        IpAddr::V4(ip) => format!("http://{ip}:{}", addr.port()),
    }
}

impl Server {
    /// Base URL of the API, e.g. `http://127.0.0.1:8090`.
    pub fn api_url(&self) -> String {
        base_url(self.api_addr)
    }

    /// Base URL of the media origin.
    pub fn media_url(&self) -> String {
        base_url(self.media_addr)
    }

    /// The line printed once both listeners are bound.
    pub fn ready_line(&self) -> String {
        format!("READY api={} media={}", self.api_url(), self.media_url())
    }

    /// Stops accepting, ends hanging requests and waits for both servers.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

/// Adds one log line per request (method, path, status, latency; never headers).
fn traced(router: Router) -> Router {
    router.layer(
        TraceLayer::new_for_http()
            .make_span_with(|req: &axum::http::Request<_>| {
                tracing::info_span!("http", method = %req.method(), path = %req.uri().path())
            })
            .on_request(|_: &axum::http::Request<_>, _: &Span| {})
            .on_response(
                |res: &axum::http::Response<_>, latency: std::time::Duration, _: &Span| {
                    tracing::info!(
                        status = res.status().as_u16(),
                        latency_ms = format_args!("{:.1}", latency.as_secs_f64() * 1_000.0),
                        "response"
                    );
                },
            )
            .on_failure(()),
    )
}

/// The API-port router: API, admin, and the optional web app (or JSON 404s).
pub fn build_api_router(state: Arc<SimState>, config: &Config) -> Router {
    let origins = &config.allow_origins;
    let router =
        routes::api_router(state.clone(), origins).merge(admin::admin_router(state, origins));
    let router = match &config.app_dir {
        Some(dir) => router.fallback_service(spa::spa_router(dir)),
        None => router.fallback(|| async { error::ApiError::not_found("Not found.") }),
    };
    traced(router)
}

/// The media-port router.
pub fn build_media_router(config: &Config) -> Router {
    traced(media::media_router(config.media_dir.clone()))
}

/// Binds both listeners and starts serving.
pub async fn start(config: Config) -> io::Result<Server> {
    let api_listener = TcpListener::bind((config.host, config.api_port)).await?;
    let media_listener = TcpListener::bind((config.host, config.media_port)).await?;
    let api_addr = api_listener.local_addr()?;
    let media_addr = media_listener.local_addr()?;
    let media_base = config
        .media_base_url
        .clone()
        .unwrap_or_else(|| base_url(media_addr))
        .trim_end_matches('/')
        .to_string();
    let (tx, rx) = watch::channel(false);
    let settings = Settings {
        key: config.key.clone(),
        speed: if config.speed > 0.0 {
            config.speed
        } else {
            1.0
        },
        media_base,
    };
    let state = Arc::new(SimState::new(settings, rx.clone()));
    let api = build_api_router(state.clone(), &config);
    let media = build_media_router(&config);
    let serve = |listener: TcpListener, router: Router, mut rx: watch::Receiver<bool>| {
        tokio::spawn(async move {
            axum::serve(listener, router)
                .with_graceful_shutdown(async move {
                    let _ = rx.wait_for(|down| *down).await;
                })
                .await
        })
    };
    let tasks = vec![
        serve(api_listener, api, rx.clone()),
        serve(media_listener, media, rx),
    ];
    Ok(Server {
        api_addr,
        media_addr,
        state,
        shutdown: tx,
        tasks,
    })
}
