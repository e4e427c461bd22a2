//! What the generated client does around every request: a cap on response bodies, and the
//! status, headers and body length of the response kept for the caller that asks for them with
//! [`observe`].
//!
//! The generated code names [`ResponseHooks`] as its client's inner value (the codegen
//! settings say so) and calls [`exec`] through the crate's `ClientHooks` implementation.

use std::cell::RefCell;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Frame, SizeHint};
use reqwest::header::HeaderMap;
use reqwest::{Body, Request, Response, ResponseBuilderExt as _, StatusCode};

/// What the client does with every response before the generated code reads its body: the
/// `inner` argument of the generated `Client::new` and `Client::new_with_client`.
/// `ResponseHooks::default()` reads bodies of any length.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ResponseHooks {
    /// The most bytes of a response body that are read: a longer body fails to read, with an
    /// `http_body_util::LengthLimitError` in the error's source chain. `None` reads a body of
    /// any length.
    pub body_limit: Option<usize>,
}

impl ResponseHooks {
    /// These hooks, stopping the reading of a response body after `limit` bytes.
    ///
    /// ```
    /// let hooks = confluent_connect_api::ResponseHooks::default().with_body_limit(1 << 20);
    /// assert_eq!(hooks.body_limit, Some(1 << 20));
    /// ```
    pub fn with_body_limit(mut self, limit: usize) -> Self {
        self.body_limit = Some(limit);
        self
    }
}

/// How many bytes of a response body [`Observed::body_start`] keeps.
pub const BODY_START_LIMIT: usize = 1024;

/// The status, headers and body length of a response, as [`observe`] reports them.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Observed {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response's headers.
    pub headers: HeaderMap,
    /// The path of the URL the response came from (after any redirect that was followed).
    pub path: String,
    /// How many bytes of the body were received, by the time the call ended: the whole body's
    /// length when it was read to its end, fewer when reading it failed.
    pub body_received: u64,
    /// The first bytes of the body as received (at most [`BODY_START_LIMIT`]), to quote in an
    /// error message.
    pub body_start: Vec<u8>,
    /// The whole body as received, under [`observe_with_body`]; `None` under [`observe`].
    pub body: Option<Vec<u8>>,
}

/// What a call inside [`observe`] or [`observe_with_body`] leaves for its caller.
struct Slot {
    /// Whether to keep the whole body.
    keep_body: bool,
    /// What was seen of the last response.
    seen: Option<Observed>,
}

tokio::task_local! {
    /// Where [`exec`] leaves what it saw, while a call runs inside [`observe`].
    static OBSERVED: RefCell<Slot>;
}

/// Runs `call`, a request through the generated client, and returns its outcome with the
/// status, headers and body length of the last response it received (`None` when no response
/// came).
///
/// progenitor's own errors drop the status of a response whose body cannot be read or
/// decoded, and a successful call drops the body it decoded; this is how a caller keeps them.
/// It costs no channel: a copy of the headers and of the body's first bytes, and the wrapper
/// that counts the body as it is read.
pub async fn observe<F: Future>(call: F) -> (F::Output, Option<Observed>) {
    observe_keeping(false, call).await
}

/// As [`observe`], and keeps the whole body as it was received ([`Observed::body`]), such as
/// the fields of an answer that the generated types do not have. It costs a copy of the body.
pub async fn observe_with_body<F: Future>(call: F) -> (F::Output, Option<Observed>) {
    observe_keeping(true, call).await
}

async fn observe_keeping<F: Future>(keep_body: bool, call: F) -> (F::Output, Option<Observed>) {
    let slot = Slot {
        keep_body,
        seen: None,
    };
    OBSERVED
        .scope(RefCell::new(slot), async move {
            let outcome = call.await;
            let observed = OBSERVED.with(|slot| slot.borrow_mut().seen.take());
            (outcome, observed)
        })
        .await
}

tokio::task_local! {
    /// The headers [`with_headers`] adds to every request sent while its call runs.
    static EXTRA_HEADERS: HeaderMap;
}

/// Runs `call`, a request through a generated client, with `headers` added to each request it
/// sends (a header of the same name that the request already has is replaced). This is how a
/// caller sends a header that changes from one request to the next, such as an
/// `Authorization` with a token that is refreshed, without building a new client.
///
/// ```no_run
/// # async fn example() -> Result<(), Box<dyn std::error::Error>> {
/// use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
///
/// let client = confluent_connect_api::Client::new(
///     "https://api.confluent.cloud",
///     confluent_connect_api::ResponseHooks::default(),
/// );
/// let mut headers = HeaderMap::new();
/// headers.insert(AUTHORIZATION, HeaderValue::from_static("Bearer eyJ..."));
/// let plugins = confluent_connect_api::with_headers(
///     headers,
///     client
///         .list_connectv1_connector_plugins()
///         .environment_id("env-abc123")
///         .kafka_cluster_id("lkc-abc123")
///         .send(),
/// )
/// .await?;
/// # Ok(())
/// # }
/// ```
pub async fn with_headers<F: Future>(headers: HeaderMap, call: F) -> F::Output {
    EXTRA_HEADERS.scope(headers, call).await
}

/// Sends `request` with `client` and applies `hooks` to the response.
pub(crate) async fn exec(
    client: &reqwest::Client,
    hooks: &ResponseHooks,
    mut request: Request,
) -> reqwest::Result<Response> {
    // Outside `with_headers` there are none to add.
    let _ = EXTRA_HEADERS.try_with(|extra| {
        for (name, value) in extra {
            request.headers_mut().insert(name, value.clone());
        }
    });
    let response = client.execute(request).await?;
    // Outside `observe` nobody listens, which is not an error.
    let _ = OBSERVED.try_with(|slot| {
        let mut slot = slot.borrow_mut();
        slot.seen = Some(Observed {
            status: response.status(),
            headers: response.headers().clone(),
            path: response.url().path().to_owned(),
            body_received: 0,
            body_start: Vec::new(),
            body: slot.keep_body.then(Vec::new),
        });
    });
    // A body whose Content-Length is within the limit is not limited again: the HTTP layer
    // never delivers more than that length.
    let limit = hooks.body_limit.filter(|&limit| {
        response
            .content_length()
            .is_none_or(|length| length > limit as u64)
    });
    Ok(wrap_body(response, limit))
}

/// `response`, with a body that counts what it delivers into the [`observe`] slot and, with a
/// `limit`, fails to read past `limit` bytes.
fn wrap_body(response: Response, limit: Option<usize>) -> Response {
    let url = response.url().clone();
    let (mut parts, body) = http::Response::<Body>::from(response).into_parts();
    // reqwest keeps the URL in an extension that only its response builder can set.
    if let Ok(carrier) = http::Response::builder().url(url).body(()) {
        parts.extensions.extend(carrier.into_parts().0.extensions);
    }
    let body = match limit {
        Some(limit) => Body::wrap(Counted(http_body_util::Limited::new(body, limit))),
        None => Body::wrap(Counted(body)),
    };
    Response::from(http::Response::from_parts(parts, body))
}

/// A body that adds what it delivers to the [`observe`] slot of the task reading it.
struct Counted<B>(B);

impl<B> http_body::Body for Counted<B>
where
    B: http_body::Body<Data = Bytes> + Unpin,
{
    type Data = Bytes;
    type Error = B::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, B::Error>>> {
        let polled = Pin::new(&mut self.0).poll_frame(cx);
        if let Poll::Ready(Some(Ok(frame))) = &polled
            && let Some(data) = frame.data_ref()
        {
            // Read outside `observe` (or on another task), nobody listens.
            let _ = OBSERVED.try_with(|slot| {
                if let Some(seen) = slot.borrow_mut().seen.as_mut() {
                    seen.body_received += data.len() as u64;
                    let room = BODY_START_LIMIT.saturating_sub(seen.body_start.len());
                    seen.body_start
                        .extend_from_slice(&data[..room.min(data.len())]);
                    if let Some(body) = seen.body.as_mut() {
                        body.extend_from_slice(data);
                    }
                }
            });
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.0.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.0.size_hint()
    }
}
