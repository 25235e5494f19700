//! Who may call the API: the bearer key and the optional project header.

use axum::http::{header, HeaderMap, StatusCode};

use crate::error::ApiError;
use crate::state::SimState;

/// How a request authenticated: `ok`, `missing` or `wrong` (for the request log).
pub fn auth_state(headers: &HeaderMap, key: &str) -> &'static str {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return "missing";
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    match token {
        Some(token) if constant_time_eq(token.as_bytes(), key.as_bytes()) => "ok",
        _ => "wrong",
    }
}

/// Compares secrets without an early exit.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Checks the key and the optional `X-Wonda-Project` header.
pub fn authorize(headers: &HeaderMap, state: &SimState) -> Result<(), ApiError> {
    match auth_state(headers, &state.settings.key) {
        "ok" => {}
        "missing" => {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "Missing API key. Send it as `Authorization: Bearer <key>`.",
            ))
        }
        _ => {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "Invalid API key.",
            ))
        }
    }
    if let Some(project) = headers.get("x-wonda-project") {
        let valid = project.to_str().is_ok_and(|p| {
            (1..=64).contains(&p.len())
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                && p != "nope"
        });
        if !valid {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "unknown_project",
                "The project in X-Wonda-Project does not exist.",
            ));
        }
    }
    Ok(())
}
