//! The API's error answer in the documented shape `{"error":{"message","code"}}`.
//!
//! Used by the API routes, the admin routes and the fault catalogue alike, so
//! none of them depends on another for it.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::model::{ErrorBody, ErrorDetail};

/// An error answered in the documented shape `{"error":{"message","code"}}`.
#[derive(Debug, Clone)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    /// `deferUntil` of a `throttled` error.
    pub defer_until: Option<String>,
}

impl ApiError {
    /// An error with this status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            defer_until: None,
        }
    }

    /// The JSON body of a 404 for `run_id` (what a fault replaces for unknown runs).
    pub fn not_found_body(run_id: &str) -> Vec<u8> {
        serde_json::to_vec(&ErrorBody {
            error: ErrorDetail {
                message: format!("Run {run_id} not found."),
                code: "not_found".to_string(),
                defer_until: None,
            },
        })
        .unwrap_or_default()
    }

    /// 404 `not_found`.
    pub fn not_found(what: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", what)
    }

    /// 400 `validation_error`.
    pub fn validation(what: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "validation_error", what)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                message: self.message,
                code: self.code.to_string(),
                defer_until: self.defer_until,
            },
        };
        (
            self.status,
            [(header::CACHE_CONTROL, "no-store")],
            Json(body),
        )
            .into_response()
    }
}
