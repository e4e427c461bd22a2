//! One connector, and the requests about it.

use std::{sync::mpsc, time::Instant};

use confluent_connect_api as api;
use reqwest::{StatusCode, header::HeaderMap};
use tracing::{Instrument, field};

use crate::{ApiError, Client, ConnectorOffsets, Error, RateLimited, path};

/// How much of an unexpected body is read, at most, to show its start and to look for the
/// documented error shape in it.
const ERROR_BODY_LIMIT: usize = 64 * 1024;
/// How many characters of a body an error message shows.
const EXCERPT_CHARS: usize = 300;

/// A handle on one connector, from [`Client::connector`].
///
/// Its arguments are checked when a request is made: an empty name, `.` or `..`, a backslash
/// or a control character is refused with [`Error::InvalidArgument`] and nothing is sent.
/// Other characters (`/`, `?`, `#`, `%`, spaces, non-ASCII) are percent-encoded and reach the
/// right connector.
#[derive(Debug, Clone)]
pub struct Connector {
    client: Client,
    environment_id: String,
    kafka_cluster_id: String,
    connector_name: String,
}

impl Connector {
    pub(crate) fn new(
        client: Client,
        environment_id: String,
        kafka_cluster_id: String,
        connector_name: String,
    ) -> Self {
        Self {
            client,
            environment_id,
            kafka_cluster_id,
            connector_name,
        }
    }

    /// The connector's current offsets (`GET .../connectors/{connector_name}/offsets`).
    pub async fn offsets(&self) -> Result<ConnectorOffsets, Error> {
        self.check_path()?;
        let body = self
            .call("getConnectv1ConnectorOffsets", |api| async move {
                api.get_connectv1_connector_offsets(
                    &self.environment_id,
                    &self.kafka_cluster_id,
                    &self.connector_name,
                )
                .await
            })
            .await?;
        Ok(ConnectorOffsets::from(body))
    }

    fn check_path(&self) -> Result<(), Error> {
        path::check("environment_id", &self.environment_id)?;
        path::check("kafka_cluster_id", &self.kafka_cluster_id)?;
        path::check("connector_name", &self.connector_name)
    }

    /// Runs one generated call inside a tracing span and turns its outcome into the facade's.
    async fn call<T, F, Fut>(&self, operation: &'static str, send: F) -> Result<T, Error>
    where
        F: FnOnce(api::Client) -> Fut,
        Fut: Future<
            Output = Result<api::ResponseValue<T>, api::Error<api::types::ConnectV1ConnectorError>>,
        >,
    {
        let span = tracing::info_span!(
            "confluent_connect.request",
            operation,
            connector = %self.connector_name,
            status = field::Empty,
            duration_ms = field::Empty,
            request_id = field::Empty,
        );
        async move {
            let (observer, observed) = mpsc::channel();
            let inner = &self.client.inner;
            let generated =
                api::Client::new_with_client(&inner.base_url, inner.http.clone(), Some(observer));
            let started = Instant::now();
            let result = send(generated).await;
            let response = observed.try_recv().ok();
            let span = tracing::Span::current();
            span.record("duration_ms", started.elapsed().as_millis() as u64);
            if let Some((status, headers)) = &response {
                span.record("status", status.as_u16());
                if let Some(id) = header_request_id(headers) {
                    span.record("request_id", id.as_str());
                }
            }
            let outcome = match result {
                Ok(value) => Ok(value.into_inner()),
                Err(error) => Err(map_error(error, response).await),
            };
            match &outcome {
                Ok(_) => tracing::debug!("request succeeded"),
                Err(error) => tracing::debug!(%error, "request failed"),
            }
            outcome
        }
        .instrument(span)
        .await
    }
}

async fn map_error(
    error: api::Error<api::types::ConnectV1ConnectorError>,
    response: Option<(StatusCode, HeaderMap)>,
) -> Error {
    let status = response.as_ref().map(|(status, _)| *status);
    let request_id = response
        .as_ref()
        .and_then(|(_, headers)| header_request_id(headers));
    match error {
        api::Error::ErrorResponse(value) => {
            let status = value.status();
            let request_id = header_request_id(value.headers()).or(request_id);
            Error::Api(ApiError::from_generated(
                status,
                value.into_inner(),
                request_id,
            ))
        }
        api::Error::UnexpectedResponse(response) => unexpected(response).await,
        api::Error::InvalidResponsePayload(body, decode_error) => {
            // progenitor drops the status here; the observer kept it.
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
                // The post hook reports every response, so this is reached only if a future
                // progenitor stops calling it; without the status, report a decode failure.
                None => Error::Decode {
                    status: StatusCode::OK,
                    message: decode_error.to_string(),
                    body_excerpt: excerpt(&body),
                    request_id,
                },
            }
        }
        api::Error::CommunicationError(source)
        | api::Error::ResponseBodyError(source)
        | api::Error::InvalidUpgrade(source) => transport(source, status),
        api::Error::InvalidRequest(message) | api::Error::Custom(message) => {
            Error::Config(format!("the request could not be built: {message}"))
        }
    }
}

fn transport(source: reqwest::Error, status: Option<StatusCode>) -> Error {
    if source.is_timeout() {
        Error::Timeout { status, source }
    } else {
        Error::Transport { status, source }
    }
}

/// A response the spec does not document (or documents without a body, like 429).
async fn unexpected(mut response: reqwest::Response) -> Error {
    let status = response.status();
    let headers = response.headers().clone();
    let request_id = header_request_id(&headers);
    if status == StatusCode::TOO_MANY_REQUESTS {
        return Error::RateLimited(RateLimited {
            retry_after: number(&headers, "retry-after"),
            limit: number(&headers, "x-ratelimit-limit"),
            remaining: number(&headers, "x-ratelimit-remaining"),
            reset: number(&headers, "x-ratelimit-reset"),
            request_id,
        });
    }
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                body.extend_from_slice(&chunk);
                if body.len() >= ERROR_BODY_LIMIT {
                    break;
                }
            }
            Ok(None) => break,
            Err(source) => return transport(source, Some(status)),
        }
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

fn header_request_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

fn number(headers: &HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// The start of a body, as text, for an error message.
fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    let mut cut: String = text.chars().take(EXCERPT_CHARS).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    cut
}
