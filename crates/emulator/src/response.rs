//! Answers in the service's shapes: a JSON body, and the documented error body.

use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use confluent_connect_api::types::{ConnectV1ConnectorError, ConnectV1ConnectorErrorError};

/// An answer with the documented `connect.v1.ConnectorError` body.
pub(crate) fn error_response(status: StatusCode, message: &str) -> Response {
    json_response(status, error_body(status.as_u16(), message))
}

pub(crate) fn error_body(code: u16, message: &str) -> Vec<u8> {
    let body = ConnectV1ConnectorError {
        error: Some(ConnectV1ConnectorErrorError {
            code: Some(i64::from(code)),
            message: Some(message.to_owned()),
        }),
    };
    serde_json::to_vec(&body).unwrap_or_default()
}

/// An answer of `status` with this JSON body.
pub(crate) fn json_response(status: StatusCode, json: Vec<u8>) -> Response {
    (
        status,
        [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        json,
    )
        .into_response()
}
