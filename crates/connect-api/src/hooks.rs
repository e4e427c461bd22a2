//! What the generated client does around every request: a cap on response bodies, and the
//! status and headers of the response kept for the caller that asks for them with [`observe`].
//!
//! The generated code names [`ResponseHooks`] as its client's inner value (the codegen
//! settings say so) and calls [`exec`] through the crate's `ClientHooks` implementation.

use std::cell::RefCell;

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

/// The status and headers of a response, as [`observe`] reports them.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Observed {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response's headers.
    pub headers: HeaderMap,
    /// The path of the URL the response came from (after any redirect that was followed).
    pub path: String,
}

tokio::task_local! {
    /// Where [`exec`] leaves what it saw, while a call runs inside [`observe`].
    static OBSERVED: RefCell<Option<Observed>>;
}

/// Runs `call`, a request through the generated client, and returns its outcome with the
/// status and headers of the last response it received (`None` when no response came).
///
/// progenitor's own errors drop the status of a response whose body cannot be read or
/// decoded; this is how a caller keeps it. It costs no channel or allocation beyond the copy
/// of the headers.
pub async fn observe<F: Future>(call: F) -> (F::Output, Option<Observed>) {
    OBSERVED
        .scope(RefCell::new(None), async move {
            let outcome = call.await;
            let observed = OBSERVED.with(RefCell::take);
            (outcome, observed)
        })
        .await
}

/// Sends `request` with `client` and applies `hooks` to the response.
pub(crate) async fn exec(
    client: &reqwest::Client,
    hooks: &ResponseHooks,
    request: Request,
) -> reqwest::Result<Response> {
    let response = client.execute(request).await?;
    // Outside `observe` nobody listens, which is not an error.
    let _ = OBSERVED.try_with(|slot| {
        slot.replace(Some(Observed {
            status: response.status(),
            headers: response.headers().clone(),
            path: response.url().path().to_owned(),
        }))
    });
    // A body whose Content-Length is within the limit is left as it is: the HTTP layer never
    // delivers more than that length.
    Ok(match hooks.body_limit {
        Some(limit)
            if response
                .content_length()
                .is_none_or(|length| length > limit as u64) =>
        {
            limit_body(response, limit)
        }
        _ => response,
    })
}

/// `response`, with a body that fails to read past `limit` bytes.
fn limit_body(response: Response, limit: usize) -> Response {
    let url = response.url().clone();
    let (mut parts, body) = http::Response::<Body>::from(response).into_parts();
    // reqwest keeps the URL in an extension that only its response builder can set.
    if let Ok(carrier) = http::Response::builder().url(url).body(()) {
        parts.extensions.extend(carrier.into_parts().0.extensions);
    }
    let body = Body::wrap(http_body_util::Limited::new(body, limit));
    Response::from(http::Response::from_parts(parts, body))
}
