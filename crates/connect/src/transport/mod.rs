//! The one way a request reaches the service: the pacer's ticket, the retry loop and its
//! deadline, the status and headers of each answer, the body cap, one tracing span per try,
//! and the mapping of every failure to [`Error`]. An operation names itself and says how to
//! send it; none of this is repeated per operation.

mod errors;

pub(crate) use errors::{ErrorBody, excerpt, read_start};

use std::fmt;
use std::time::Instant;

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};

use confluent_connect_api as api;
use tracing::{Instrument, field};

use crate::Error;
use crate::complete::Complete;
use crate::credentials::{Authorization, ClientCredentials, CredentialsError};
use crate::headers;
use crate::pacing::{Pacer, Pacing};
use crate::retry::{self, Idempotency, RetryPolicy};

/// One operation of the API, as the transport needs to know it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Operation {
    /// The spec's `operationId`, for the tracing span.
    pub(crate) id: &'static str,
    /// The HTTP method, for the tracing span.
    pub(crate) method: &'static str,
    /// Whether it may be resent after a failure whose outcome is unknown.
    pub(crate) idempotency: Idempotency,
}

/// A decoded answer, with the time the service sent it by its own clock (its `Date` header).
pub(crate) struct Answered<T> {
    /// The decoded body.
    pub(crate) body: T,
    /// The answer's `Date` header, unread ([`headers::date`] reads it).
    pub(crate) date: Option<HeaderValue>,
    /// The body's text as received, when the client keeps it.
    pub(crate) text: Option<String>,
}

/// What the generated client answers for one call.
type Answer<T, E> = Result<api::ResponseValue<T>, api::Error<E>>;

/// The generated client and everything around it that every request shares. One per
/// [`Client`](crate::Client) and its clones.
pub(crate) struct Transport {
    api: api::Client,
    base_url: String,
    credentials: ClientCredentials,
    retry: RetryPolicy,
    body_limit: usize,
    pacer: Pacer,
    keep_text: bool,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("retry", &self.retry)
            .field("body_limit", &self.body_limit)
            .field("keep_text", &self.keep_text)
            .finish_non_exhaustive()
    }
}

impl Transport {
    /// A transport sending through `http` to `base_url`, authenticated by `credentials`: a
    /// fixed `Authorization` is one of `http`'s default headers, a provider's is asked for
    /// each try.
    pub(crate) fn new(
        http: reqwest::Client,
        base_url: String,
        credentials: ClientCredentials,
        retry: RetryPolicy,
        body_limit: usize,
        pacing: Pacing,
        keep_text: bool,
    ) -> Transport {
        let hooks = api::ResponseHooks::default().with_body_limit(body_limit);
        Transport {
            api: api::Client::new_with_client(&base_url, http, hooks),
            base_url,
            credentials,
            retry,
            body_limit,
            pacer: Pacer::new(pacing),
            keep_text,
        }
    }

    /// The base URL requests go to, without a trailing `/`.
    pub(crate) fn base_url(&self) -> &str {
        &self.base_url
    }

    /// How requests are authenticated (for `Debug`).
    pub(crate) fn credentials(&self) -> &ClientCredentials {
        &self.credentials
    }

    /// The `Authorization` for the next try, when a provider gives it (`None`: the HTTP client
    /// sends a fixed one).
    async fn authorization(&self) -> Result<Option<Authorization>, CredentialsError> {
        match &self.credentials {
            ClientCredentials::Fixed { .. } => Ok(None),
            ClientCredentials::Provided(provider) => provider.authorization().await.map(Some),
        }
    }

    /// Whether to send once more after a 401 to a try made with `used`: when a provider gave it
    /// and says another is worth a try.
    async fn refreshed_after_401(&self, used: &Authorization) -> bool {
        match &self.credentials {
            ClientCredentials::Fixed { .. } => false,
            ClientCredentials::Provided(provider) => provider.rejected(used).await,
        }
    }

    /// Sends `operation` through `send` (one call of the generated client) until it succeeds
    /// or the [`RetryPolicy`] says to stop, and returns the decoded body and its date. `subject` names what
    /// the request is about in the tracing span (the connector).
    ///
    /// The deadline counts from when the first try was sent, not from when it began to wait
    /// for the pacer.
    pub(crate) async fn execute<'a, T, E, F, Fut>(
        &'a self,
        operation: Operation,
        subject: &str,
        send: F,
    ) -> Result<Answered<T>, Error>
    where
        T: Complete,
        E: ErrorBody,
        F: Fn(&'a api::Client) -> Fut,
        Fut: Future<Output = Answer<T, E>>,
    {
        let mut first_sent = None;
        let mut causes = Vec::new();
        // Whether a 401 has had its one new try with fresh credentials.
        let mut reauthenticated = false;
        loop {
            // Boxed: the generated request builder's future is large, and moving it through
            // the attempt's own future copied it several times per request (about 11,000
            // instructions of memcpy, measured with callgrind).
            let (outcome, sent_at, used) = match self.authorization().await {
                Ok(authorization) => {
                    let (outcome, sent_at) = self
                        .attempt(
                            operation,
                            subject,
                            authorization.as_ref(),
                            Box::pin(send(&self.api)),
                        )
                        .await;
                    (outcome, sent_at, authorization)
                }
                Err(refused) => (Err(Error::Credentials(refused)), Instant::now(), None),
            };
            let started = *first_sent.get_or_insert(sent_at);
            let error = match outcome {
                Ok(value) => return Ok(value),
                Err(error) => error,
            };
            if let Some(used) = &used
                && error.status() == Some(reqwest::StatusCode::UNAUTHORIZED)
                && !reauthenticated
                && self.refreshed_after_401(used).await
            {
                reauthenticated = true;
                tracing::debug!(%error, "sending again with new credentials");
                causes.push(error.to_string());
                continue;
            }
            causes.push(error.to_string());
            let tries = u32::try_from(causes.len()).unwrap_or(u32::MAX);
            let decision = retry::decide(&error, operation.idempotency);
            let wait = match self
                .retry
                .wait_before_retry(decision, tries, started.elapsed())
            {
                Ok(wait) => wait,
                Err(_) if tries == 1 => return Err(error),
                Err(stopped) => {
                    return Err(Error::RetriesExhausted {
                        attempts: tries,
                        stopped,
                        causes,
                        last: Box::new(error),
                    });
                }
            };
            tracing::debug!(
                try_number = tries,
                wait_ms = wait.as_millis() as u64,
                %error,
                "retrying"
            );
            tokio::time::sleep(wait).await;
        }
    }

    /// One try: waits for the pacer, sends, and turns the answer into the facade's, inside a
    /// tracing span; also returns when it was sent.
    async fn attempt<T: Complete, E: ErrorBody>(
        &self,
        operation: Operation,
        subject: &str,
        authorization: Option<&Authorization>,
        send: impl Future<Output = Answer<T, E>>,
    ) -> (Result<Answered<T>, Error>, Instant) {
        // Empty (no allocation) when the HTTP client sends a fixed `Authorization`.
        let mut headers = HeaderMap::new();
        if let Some(authorization) = authorization {
            headers.insert(AUTHORIZATION, authorization.header_value().clone());
        }
        let send = api::with_headers(headers, send);
        let span = tracing::info_span!(
            "confluent_connect.request",
            operation = operation.id,
            method = operation.method,
            path = field::Empty,
            connector = %subject,
            status = field::Empty,
            duration_ms = field::Empty,
            request_id = field::Empty,
        );
        async move {
            let ticket = self.pacer.ticket().await;
            let started = Instant::now();
            let (result, mut observed) = if self.keep_text {
                api::observe_with_body(send).await
            } else {
                api::observe(send).await
            };
            if let Some(seen) = &observed {
                ticket.answered(headers::rate_limit(seen.status, &seen.headers));
            }
            drop(ticket);
            let span = tracing::Span::current();
            span.record("duration_ms", started.elapsed().as_millis() as u64);
            if let Some(seen) = &observed {
                span.record("path", seen.path.as_str());
                span.record("status", seen.status.as_u16());
                if let Some(id) = headers::request_id(&seen.headers) {
                    span.record("request_id", id.as_str());
                }
            }
            let outcome = match result.map(api::ResponseValue::into_inner) {
                Ok(body) => match body.missing_field() {
                    None => Ok(Answered {
                        body,
                        date: observed
                            .as_ref()
                            .and_then(|seen| seen.headers.get(reqwest::header::DATE).cloned()),
                        // The body decoded as JSON, so it is UTF-8.
                        text: observed
                            .as_mut()
                            .and_then(|seen| seen.body.take())
                            .and_then(|body| String::from_utf8(body).ok()),
                    }),
                    Some(field) => Err(errors::missing_field(field, observed.as_ref())),
                },
                Err(error) => Err(errors::map(error, observed.as_ref(), self.body_limit).await),
            };
            match &outcome {
                Ok(_) => tracing::debug!("request succeeded"),
                Err(error) => tracing::debug!(%error, "request failed"),
            }
            (outcome, started)
        }
        .instrument(span)
        .await
    }
}
