//! Which redirects the client follows: those within the base URL's origin, a few at most.
//!
//! An answer from another host must never be shown as the connector's, and credentials must
//! never travel to one, so a redirect to another origin (scheme, host and port; `https` to
//! `http` is another origin) is not followed: the redirect itself comes back, and the facade
//! reports it as [`Error::Redirected`](crate::Error::Redirected).

use reqwest::Url;

/// The most redirects followed for one request.
pub(crate) const MAX_REDIRECTS: usize = 5;

/// The HTTP client's redirect policy.
pub(crate) fn policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        if follows(attempt.previous(), attempt.url()) {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

/// Whether a redirect to `next`, after the URLs of `previous` (the request's first URL first),
/// is followed.
fn follows(previous: &[Url], next: &Url) -> bool {
    let Some(first) = previous.first() else {
        return false;
    };
    previous.len() <= MAX_REDIRECTS && next.origin() == first.origin()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[test]
    fn a_redirect_within_the_origin_is_followed() {
        let from = [url("https://api.confluent.cloud/connect/v1/a")];
        assert!(follows(
            &from,
            &url("https://api.confluent.cloud/connect/v1/b")
        ));
    }

    #[test]
    fn a_redirect_to_another_host_port_or_scheme_is_not_followed() {
        let from = [url("https://api.confluent.cloud/connect/v1/a")];
        for to in [
            "https://elsewhere.example/connect/v1/a",
            "https://api.confluent.cloud:8443/connect/v1/a",
            "http://api.confluent.cloud/connect/v1/a",
        ] {
            assert!(!follows(&from, &url(to)), "{to}");
        }
    }

    #[test]
    fn at_most_five_redirects_are_followed() {
        let hop = url("http://127.0.0.1:8080/a");
        let next = url("http://127.0.0.1:8080/b");
        assert!(follows(&vec![hop.clone(); MAX_REDIRECTS], &next));
        assert!(!follows(&vec![hop; MAX_REDIRECTS + 1], &next));
    }
}
