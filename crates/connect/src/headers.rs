//! What the facade reads from response headers: whole numbers (`Retry-After`,
//! `X-RateLimit-*`), the request id and the date. One parser for the 429 error and the pacer.

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};

use crate::pacing::RateLimitHeaders;

/// A header holding a whole number, such as `X-RateLimit-Remaining` or `Retry-After`.
pub(crate) fn number(headers: &HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// The `Retry-After` header in seconds (its HTTP-date form is not read).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<u64> {
    number(headers, "retry-after")
}

/// The longest wait, in seconds, that a `Retry-After` or `X-RateLimit-Reset` is taken to mean:
/// one day. A larger value is a service (or proxy) mistake, such as a Unix time where a number
/// of seconds belongs, and is reported, never waited for.
pub(crate) const LONGEST_PLAUSIBLE_WAIT: u64 = 86_400;

/// Whether a wait of `seconds` asked for by a header is one to honour.
pub(crate) fn is_plausible_wait(seconds: u64) -> bool {
    seconds <= LONGEST_PLAUSIBLE_WAIT
}

/// The time an answer was sent, by the service's clock: the value of its `Date` header (RFC
/// 9110's `Tue, 20 Feb 2024 15:14:19 GMT`). Read only by those who need it: parsing it costs
/// more than the rest of what the transport reads from an answer's headers.
pub(crate) fn date(value: &HeaderValue) -> Option<DateTime<Utc>> {
    let text = value.to_str().ok()?;
    DateTime::parse_from_rfc2822(text.trim())
        .ok()
        .map(|date| date.with_timezone(&Utc))
}

/// The service's `X-Request-Id`, which Confluent support asks for.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// What an answer says about the rate limit, for the pacer. An implausible reset is left out,
/// so that the pacer never holds requests back for it.
pub(crate) fn rate_limit(status: StatusCode, headers: &HeaderMap) -> RateLimitHeaders {
    RateLimitHeaders {
        refused: status == StatusCode::TOO_MANY_REQUESTS,
        limit: number(headers, "x-ratelimit-limit"),
        remaining: number(headers, "x-ratelimit-remaining"),
        reset: number(headers, "x-ratelimit-reset").filter(|s| is_plausible_wait(*s)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().expect("a header value"));
        }
        map
    }

    #[test]
    fn the_pacer_is_not_given_a_reset_that_looks_like_a_unix_time() {
        let map = headers(&[
            ("x-ratelimit-limit", "80"),
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", "1796293778"),
        ]);
        let read = rate_limit(StatusCode::OK, &map);
        assert_eq!(
            (read.limit, read.remaining, read.reset),
            (Some(80), Some(0), None)
        );
    }

    #[test]
    fn a_number_is_read_with_spaces_around_it() {
        assert_eq!(
            number(&headers(&[("retry-after", " 7 ")]), "retry-after"),
            Some(7)
        );
    }

    #[test]
    fn a_header_that_is_not_a_whole_number_is_ignored() {
        for value in ["-1", "1.5", "soon", ""] {
            let map = headers(&[("retry-after", value)]);
            assert_eq!(number(&map, "retry-after"), None, "{value:?}");
        }
    }

    #[test]
    fn a_429_with_rate_limit_headers_is_read_whole() {
        let map = headers(&[
            ("x-ratelimit-limit", "50"),
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", "3"),
        ]);
        assert_eq!(
            rate_limit(StatusCode::TOO_MANY_REQUESTS, &map),
            RateLimitHeaders {
                refused: true,
                limit: Some(50),
                remaining: Some(0),
                reset: Some(3),
            }
        );
    }
}
