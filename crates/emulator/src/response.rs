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
    let error: ConnectV1ConnectorErrorError = built(
        ConnectV1ConnectorErrorError::builder()
            .code(Some(i64::from(code)))
            .message(Some(message.to_owned())),
    );
    let body: ConnectV1ConnectorError =
        built(ConnectV1ConnectorError::builder().error(Some(error)));
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

/// A body of the generated client's types, from its builder: they are `#[non_exhaustive]`, so
/// that a field the spec adds breaks no code, and are built only this way.
///
/// The emulator sets every field the spec requires, so the conversion does not fail; a field it
/// forgot would be a bug in the emulator, which every answer of that shape would show at once.
pub(crate) fn built<T, E: std::fmt::Display>(builder: impl TryInto<T, Error = E>) -> T {
    builder
        .try_into()
        .unwrap_or_else(|e| panic!("the emulator built an incomplete answer: {e}"))
}
