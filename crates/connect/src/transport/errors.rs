//! The generated client's errors, and the answers it does not decode, as the facade's
//! [`Error`].

use confluent_connect_api as api;
use reqwest::StatusCode;

use crate::error::Error;
use crate::headers;
use crate::service_error::{ApiError, RateLimited};

/// How much of an unexpected body is read, at most, to show its start and to look for the
/// documented error shape in it.
const ERROR_BODY_LIMIT: usize = 64 * 1024;
/// How many characters of a body an error message shows.
const EXCERPT_CHARS: usize = 300;

/// A documented error body of an operation, as the generated client decodes it.
pub(crate) trait ErrorBody {
    /// The facade's error for this body, answered with `status`.
    fn into_error(self, status: StatusCode, request_id: Option<String>) -> Error;
}

impl ErrorBody for api::types::ConnectV1ConnectorError {
    fn into_error(self, status: StatusCode, request_id: Option<String>) -> Error {
        Error::Api(ApiError::from_generated(status, self, request_id))
    }
}

/// The error bodies of an operation whose documented error bodies differ from one status to
/// another (the normalisation makes them any JSON): `{"error": {"code", "message"}}` as
/// everywhere, or `{"code" or "error_code", "message"}` as the create and configure operations
/// also document. Another body is an unexpected answer, shown in part.
impl ErrorBody for serde_json::Value {
    fn into_error(self, status: StatusCode, request_id: Option<String>) -> Error {
        let text = self.to_string();
        if let Some(error) = ApiError::from_body(status, text.as_bytes(), request_id.clone()) {
            return Error::Api(error);
        }
        let message = self.get("message").and_then(serde_json::Value::as_str);
        let code = ["code", "error_code"]
            .iter()
            .find_map(|key| self.get(*key).and_then(serde_json::Value::as_i64));
        match message {
            Some(message) => Error::Api(ApiError::new(
                status,
                code,
                Some(message.to_string()),
                request_id,
            )),
            None => Error::UnexpectedResponse {
                status,
                body_excerpt: excerpt(text.as_bytes()),
                request_id,
            },
        }
    }
}

/// The facade's error for a failed call, with what [`api::observe`] saw of its response.
pub(crate) async fn map<E: ErrorBody>(
    error: api::Error<E>,
    observed: Option<&api::Observed>,
    body_limit: usize,
) -> Error {
    let status = observed.map(|seen| seen.status);
    let request_id = observed.and_then(|seen| headers::request_id(&seen.headers));
    match error {
        api::Error::ErrorResponse(value) => {
            let status = value.status();
            let request_id = headers::request_id(value.headers()).or(request_id);
            value.into_inner().into_error(status, request_id)
        }
        api::Error::UnexpectedResponse(response) => unexpected(response, body_limit).await,
        api::Error::InvalidResponsePayload(body, decode_error) => {
            // progenitor drops the status here; `observe` kept it.
            match status {
                Some(status) if status.is_success() => Error::Decode {
                    status,
                    message: decode_error.to_string(),
                    body_excerpt: excerpt(&body),
                    request_id,
                },
                Some(status) => Error::UnexpectedResponse {
                    status,
                    body_excerpt: excerpt(&body),
                    request_id,
                },
                // Every response is observed, so this is reached only if a future progenitor
                // stops calling the exec hook; without the status, report a decode failure.
                None => Error::Decode {
                    status: StatusCode::OK,
                    message: decode_error.to_string(),
                    body_excerpt: excerpt(&body),
                    request_id,
                },
            }
        }
        api::Error::ResponseBodyError(source) => match status {
            Some(status) => body_failed(source, status, observed, request_id, body_limit),
            None => transport(source, status, request_id, body_limit),
        },
        api::Error::CommunicationError(source) | api::Error::InvalidUpgrade(source) => {
            transport(source, status, request_id, body_limit)
        }
        api::Error::InvalidRequest(message) | api::Error::Custom(message) => {
            Error::Config(format!("the request could not be built: {message}"))
        }
    }
}

fn transport(
    source: reqwest::Error,
    status: Option<StatusCode>,
    request_id: Option<String>,
    body_limit: usize,
) -> Error {
    if let Some(status) = status.filter(|_| over_limit(&source)) {
        return Error::BodyTooLarge {
            status,
            limit: body_limit,
            request_id,
        };
    }
    if source.is_timeout() {
        Error::Timeout {
            status,
            source: Box::new(source),
        }
    } else {
        Error::Transport {
            status,
            source: Box::new(source),
        }
    }
}

/// A success answer that decoded but lacks `field`, which the facade needs.
pub(crate) fn missing_field(field: &str, observed: Option<&api::Observed>) -> Error {
    let mut body_excerpt = observed.map_or_else(String::new, |seen| excerpt(&seen.body_start));
    if observed.is_some_and(|seen| seen.body_received > seen.body_start.len() as u64)
        && !body_excerpt.ends_with('…')
    {
        body_excerpt.push('…');
    }
    Error::MissingField {
        // Every response is observed; without it, the answer decoded, so it was a success.
        status: observed.map_or(StatusCode::OK, |seen| seen.status),
        field: field.to_owned(),
        body_excerpt,
        request_id: observed.and_then(|seen| headers::request_id(&seen.headers)),
    }
}

/// Reading the body of an answer of `status` failed: it was too long, too slow, or cut off.
fn body_failed(
    source: reqwest::Error,
    status: StatusCode,
    observed: Option<&api::Observed>,
    request_id: Option<String>,
    body_limit: usize,
) -> Error {
    if over_limit(&source) || source.is_timeout() {
        return transport(source, Some(status), request_id, body_limit);
    }
    let announced = observed.and_then(|seen| headers::number(&seen.headers, "content-length"));
    Error::BodyCutOff {
        status,
        received: observed.map_or(0, |seen| seen.body_received),
        announced,
        request_id,
        source: Box::new(source),
    }
}

/// Whether reading a body failed because it was longer than the client's limit.
fn over_limit(error: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(cause) = source {
        if cause.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = cause.source();
    }
    false
}

/// A response the spec does not document (or documents without a body, like 429).
async fn unexpected(mut response: reqwest::Response, body_limit: usize) -> Error {
    let status = response.status();
    let headers = response.headers();
    let request_id = headers::request_id(headers);
    if status == StatusCode::TOO_MANY_REQUESTS {
        return Error::RateLimited(
            RateLimited::new()
                .with_retry_after(headers::retry_after(headers))
                .with_limit(headers::number(headers, "x-ratelimit-limit"))
                .with_remaining(headers::number(headers, "x-ratelimit-remaining"))
                .with_reset(headers::number(headers, "x-ratelimit-reset"))
                .with_request_id(request_id),
        );
    }
    if status.is_redirection() {
        let location = headers
            .get(reqwest::header::LOCATION)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        return Error::Redirected {
            status,
            location,
            request_id,
        };
    }
    let (body, failed) = read_start(&mut response).await;
    if let Some(source) = failed {
        let announced = headers::number(response.headers(), "content-length");
        if over_limit(&source) || source.is_timeout() {
            return transport(source, Some(status), request_id, body_limit);
        }
        return Error::BodyCutOff {
            status,
            received: body.len() as u64,
            announced,
            request_id,
            source: Box::new(source),
        };
    }
    // An undocumented status with the documented error body is still the service speaking.
    if let Some(documented) = ApiError::from_body(status, &body, request_id.clone()) {
        return Error::Api(documented);
    }
    Error::UnexpectedResponse {
        status,
        body_excerpt: excerpt(&body),
        request_id,
    }
}

/// The start of an unexpected answer's body (at most [`ERROR_BODY_LIMIT`] bytes, and what
/// arrived before reading it failed, with the failure).
pub(crate) async fn read_start(
    response: &mut reqwest::Response,
) -> (Vec<u8>, Option<reqwest::Error>) {
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                body.extend_from_slice(&chunk);
                if body.len() >= ERROR_BODY_LIMIT {
                    return (body, None);
                }
            }
            Ok(None) => return (body, None),
            Err(source) => return (body, Some(source)),
        }
    }
}

/// The start of a body, as text, for an error message.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    let mut cut: String = text.chars().take(EXCERPT_CHARS).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    cut
}
