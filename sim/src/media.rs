//! The media origin: generated PNGs and the committed video/audio/text files,
//! with Range support and open CORS (no credentials).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderName, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tower_http::cors::{Any, CorsLayer};
use tower_http::services::ServeDir;

/// Smallest and largest generated image side.
const SIDE: std::ops::RangeInclusive<u32> = 16..=2048;
/// Most cached PNGs before the cache is emptied.
const CACHE_CAPACITY: usize = 512;

/// Where the committed media files live by default.
pub fn default_media_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/media"))
}

/// Generated PNGs, by (seed, width, height).
#[derive(Debug, Default)]
pub struct PngCache {
    images: Mutex<HashMap<(String, u32, u32), Bytes>>,
}

/// Parses `<seed>-<w>x<h>.png`; sizes are clamped to 16..=2048.
pub fn parse_image_name(name: &str) -> Option<(String, u32, u32)> {
    let (seed, dims) = name.strip_suffix(".png")?.rsplit_once('-')?;
    let (w, h) = dims.split_once('x')?;
    let ok_seed = !seed.is_empty()
        && seed.len() <= 64
        && seed.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !ok_seed {
        return None;
    }
    let clamp = |v: &str| {
        v.parse::<u32>()
            .ok()
            .map(|v| v.clamp(*SIDE.start(), *SIDE.end()))
    };
    Some((seed.to_string(), clamp(w)?, clamp(h)?))
}

/// HSV (h in degrees, s and v in 0..=1) to RGB bytes.
fn hsv(h: f32, s: f32, v: f32) -> [u8; 3] {
    let h = h.rem_euclid(360.0) / 60.0;
    let c = v * s;
    let x = c * (1.0 - (h % 2.0 - 1.0).abs());
    let (r, g, b) = match h as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = v - c;
    [r, g, b].map(|ch| ((ch + m) * 255.0).round() as u8)
}

/// Renders a colourful, deterministic picture: a hue gradient with diagonal
/// bands and a disc whose colour and place depend on the seed.
pub fn render_png(seed: &str, w: u32, h: u32) -> Vec<u8> {
    let hash = crate::scenario::seed_of(seed);
    let hue0 = (hash % 360) as f32;
    let (cx, cy) = (
        w as f32 * (0.25 + ((hash >> 9) % 50) as f32 / 100.0),
        h as f32 * (0.25 + ((hash >> 17) % 50) as f32 / 100.0),
    );
    let radius = w.min(h) as f32 * 0.22;
    let band = (w.max(h) / 10).max(4);
    let mut pixels = Vec::with_capacity((w * h * 3) as usize);
    for y in 0..h {
        for x in 0..w {
            let (u, v) = (x as f32 / w as f32, y as f32 / h as f32);
            let (dx, dy) = (x as f32 - cx, y as f32 - cy);
            let rgb = if dx * dx + dy * dy < radius * radius {
                hsv(hue0 + 180.0 + 40.0 * v, 0.55, 0.95)
            } else {
                let stripe = ((x + y + hash % 97) / band).is_multiple_of(2);
                hsv(
                    hue0 + 140.0 * u + 60.0 * v,
                    0.75,
                    if stripe { 0.92 } else { 0.78 },
                )
            };
            pixels.extend_from_slice(&rgb);
        }
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let written = encoder
        .write_header()
        .and_then(|mut writer| writer.write_image_data(&pixels));
    debug_assert!(written.is_ok());
    out
}

/// `GET /media/img/{seed}-{w}x{h}.png`.
async fn image(State(cache): State<Arc<PngCache>>, Path(name): Path<String>) -> Response {
    let Some(key) = parse_image_name(&name) else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    let cached = cache.images.lock().ok().and_then(|m| m.get(&key).cloned());
    let bytes = match cached {
        Some(bytes) => bytes,
        None => {
            let (seed, w, h) = key.clone();
            let Ok(png) = tokio::task::spawn_blocking(move || render_png(&seed, w, h)).await else {
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            };
            let bytes = Bytes::from(png);
            if let Ok(mut images) = cache.images.lock() {
                if images.len() >= CACHE_CAPACITY {
                    images.clear();
                }
                images.insert(key, bytes.clone());
            }
            bytes
        }
    };
    (
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        bytes,
    )
        .into_response()
}

/// The media origin's router.
pub fn media_router(media_dir: PathBuf) -> Router {
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::HEAD, Method::OPTIONS])
        .allow_headers([header::RANGE])
        .expose_headers([
            header::CONTENT_LENGTH,
            header::CONTENT_RANGE,
            header::ACCEPT_RANGES,
            HeaderName::from_static("content-type"),
        ]);
    Router::new()
        .route("/media/img/{name}", get(image))
        .with_state(Arc::new(PngCache::default()))
        .nest_service("/media", ServeDir::new(media_dir))
        .layer(cors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_clamps_image_names() {
        assert_eq!(
            parse_image_name("ab12-1280x720.png"),
            Some(("ab12".into(), 1280, 720))
        );
        assert_eq!(
            parse_image_name("x-1x99999.png"),
            Some(("x".into(), 16, 2048))
        );
        assert_eq!(parse_image_name("-10x10.png"), None);
        assert_eq!(parse_image_name("a-10x10.jpg"), None);
        assert_eq!(parse_image_name("a-10by10.png"), None);
    }

    #[test]
    fn renders_a_decodable_png_of_the_asked_size() {
        let bytes = render_png("seed", 64, 32);
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let reader = decoder.read_info().expect("valid png");
        assert_eq!((reader.info().width, reader.info().height), (64, 32));
        assert_eq!(render_png("seed", 64, 32), render_png("seed", 64, 32));
        assert_ne!(render_png("seed", 64, 32), render_png("other", 64, 32));
    }
}
