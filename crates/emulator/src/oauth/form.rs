//! Reading a token request: an `application/x-www-form-urlencoded` body of parameters, each sent
//! at most once, and the form-urlencoded parts of HTTP Basic client credentials.

use axum::Form;
use axum::extract::rejection::FormRejection;

/// A token request's body, as axum reads it.
pub(crate) type FormBody = Result<Form<Vec<(String, String)>>, FormRejection>;

/// The parameters of a token request, in the order sent.
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    /// The parameters of `form`, or why the body cannot be read (a message for the caller).
    pub(crate) fn read(form: FormBody) -> Result<Params, &'static str> {
        match form {
            Ok(Form(pairs)) => Ok(Params(pairs)),
            Err(FormRejection::InvalidFormContentType(_)) => Err(
                "Send the request body as a form, with Content-Type: application/x-www-form-urlencoded.",
            ),
            Err(_) => {
                Err("The request body is not a readable application/x-www-form-urlencoded form.")
            }
        }
    }

    /// The first of `names` sent more than once (RFC 6749 section 3.2 forbids it; parameters the
    /// endpoint does not know are ignored, as the RFC asks).
    pub(crate) fn repeated(&self, names: &[&'static str]) -> Option<&'static str> {
        names
            .iter()
            .copied()
            .find(|name| self.0.iter().filter(|(n, _)| n == name).count() > 1)
    }

    /// The value of `name`; one sent empty counts as left out (RFC 6749 section 3.1).
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, value)| n == name && !value.is_empty())
            .map(|(_, value)| value.as_str())
    }
}

/// `text` decoded as `application/x-www-form-urlencoded`: `+` is a space and `%XX` a byte;
/// `None` for bytes that are not UTF-8.
pub(crate) fn decode(text: &str) -> Option<String> {
    let spaced = text.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8()
        .ok()
        .map(|decoded| decoded.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plus_is_a_space_and_percent_escapes_are_bytes() {
        assert_eq!(decode("a+b%3Ac%25%C3%A9").as_deref(), Some("a b:c%\u{e9}"));
    }

    #[test]
    fn bytes_that_are_not_utf8_are_refused() {
        assert_eq!(decode("%ff"), None);
    }

    #[test]
    fn an_empty_value_counts_as_left_out_and_repeats_are_found() {
        let params = Params(vec![
            ("scope".to_owned(), String::new()),
            ("grant_type".to_owned(), "a".to_owned()),
            ("grant_type".to_owned(), "b".to_owned()),
        ]);

        assert_eq!(params.get("scope"), None);
        assert_eq!(
            params.repeated(&["scope", "grant_type"]),
            Some("grant_type")
        );
    }
}
