//! The identity provider's token endpoint, `POST /emulator/idp/oauth2/token`: OAuth 2.0 client
//! credentials (RFC 6749 section 4.4), the client authenticated with HTTP Basic
//! (`client_secret_basic`) or form parameters (`client_secret_post`), answered and refused as
//! RFC 6749 section 5 says.

use std::sync::Arc;

use axum::extract::State;
use axum::http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use base64::Engine as _;
use serde::Serialize;

use super::form::{self, FormBody, Params};
use super::{OAuthState, no_store};
use crate::app::App;
use crate::response::json_response;

/// The one grant type served.
const CLIENT_CREDENTIALS: &str = "client_credentials";
/// The parameters the endpoint reads.
const PARAMETERS: [&str; 4] = ["grant_type", "scope", "client_id", "client_secret"];

/// `POST /emulator/idp/oauth2/token`
pub(crate) async fn token(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    form: FormBody,
) -> Response {
    let Some(oauth) = app.oauth.as_ref() else {
        return super::off();
    };
    match issue(&app, oauth, &headers, form) {
        Ok(response) => {
            oauth.record(|stats| stats.idp_tokens_issued += 1);
            response
        }
        Err(refusal) => {
            oauth.record(|stats| {
                *stats
                    .idp_refusals
                    .entry(refusal.error.to_owned())
                    .or_insert(0) += 1;
            });
            refusal.into_response()
        }
    }
}

/// A successful answer (RFC 6749 section 5.1).
#[derive(Serialize)]
struct TokenReply<'a> {
    access_token: &'a str,
    token_type: &'static str,
    expires_in: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<&'a str>,
}

/// A refusal (RFC 6749 section 5.2). The description never quotes what the caller sent, and
/// holds only the characters the RFC allows in it (printable ASCII but `"` and `\`).
struct Refusal {
    status: StatusCode,
    error: &'static str,
    description: String,
}

impl Refusal {
    fn invalid_request(description: impl Into<String>) -> Refusal {
        Refusal {
            status: StatusCode::BAD_REQUEST,
            error: "invalid_request",
            description: description.into(),
        }
    }

    fn invalid_client(description: &str) -> Refusal {
        Refusal {
            status: StatusCode::UNAUTHORIZED,
            error: "invalid_client",
            description: description.to_owned(),
        }
    }

    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "error": self.error,
            "error_description": self.description,
        });
        let mut response = no_store(json_response(
            self.status,
            serde_json::to_vec(&body).unwrap_or_default(),
        ));
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"connect-emulator\""),
            );
        }
        response
    }
}

/// The checks, in order: a readable form, no repeated parameter, a grant type, the client's
/// authentication, the grant type's value.
fn issue(
    app: &App,
    oauth: &OAuthState,
    headers: &HeaderMap,
    form: FormBody,
) -> Result<Response, Refusal> {
    let params = Params::read(form).map_err(Refusal::invalid_request)?;
    if let Some(name) = params.repeated(&PARAMETERS) {
        return Err(Refusal::invalid_request(format!(
            "The parameter {name} is sent more than once: send it once."
        )));
    }
    let Some(grant_type) = params.get("grant_type") else {
        return Err(Refusal::invalid_request(
            "The parameter grant_type is missing: send grant_type=client_credentials.",
        ));
    };
    let (client_id, secret) = client_credentials(headers, &params)?;
    if !oauth.authenticate(&client_id, &secret) {
        return Err(Refusal::invalid_client(
            "Client authentication failed: the client id is unknown or the secret is wrong. Check them against the clients of the emulator's oauth configuration.",
        ));
    }
    if grant_type != CLIENT_CREDENTIALS {
        return Err(Refusal {
            status: StatusCode::BAD_REQUEST,
            error: "unsupported_grant_type",
            description: "This identity provider issues tokens by client credentials only: send grant_type=client_credentials.".to_owned(),
        });
    }
    let lifetime_secs = oauth.config.idp_token_lifetime_secs;
    let scope = params.get("scope");
    let token = oauth.issue_subject_token(
        &app.clock,
        &client_id,
        lifetime_secs.saturating_mul(1000),
        scope,
    );
    let reply = TokenReply {
        access_token: &token,
        token_type: "Bearer",
        expires_in: lifetime_secs,
        scope,
    };
    Ok(no_store(json_response(
        StatusCode::OK,
        serde_json::to_vec(&reply).unwrap_or_default(),
    )))
}

/// The client id and secret the request authenticates with: by HTTP Basic, the id and secret
/// each form-urlencoded (RFC 6749 section 2.3.1), or as the parameters `client_id` and
/// `client_secret`; one way only.
fn client_credentials(headers: &HeaderMap, params: &Params) -> Result<(String, String), Refusal> {
    let Some(value) = headers.get(AUTHORIZATION) else {
        return match (params.get("client_id"), params.get("client_secret")) {
            (Some(id), Some(secret)) => Ok((id.to_owned(), secret.to_owned())),
            (Some(_), None) => Err(Refusal::invalid_request(
                "The parameter client_secret is missing: send it with client_id, or authenticate the client with HTTP Basic.",
            )),
            (None, Some(_)) => Err(Refusal::invalid_request(
                "The parameter client_id is missing: send it with client_secret, or authenticate the client with HTTP Basic.",
            )),
            (None, None) => Err(Refusal::invalid_client(
                "No client authentication: send the client id and secret with HTTP Basic, or as the parameters client_id and client_secret.",
            )),
        };
    };
    let garbled = || {
        Refusal::invalid_request(
            "The Basic credentials must be base64 of the form-urlencoded client id, a colon, and the form-urlencoded client secret (RFC 6749 section 2.3.1).",
        )
    };
    let value = value.to_str().map_err(|_| garbled())?;
    let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(Refusal::invalid_client(
            "Unsupported authentication scheme: authenticate the client with HTTP Basic, or with the parameters client_id and client_secret.",
        ));
    }
    if params.get("client_secret").is_some() {
        return Err(Refusal::invalid_request(
            "The client authenticates twice, with HTTP Basic and the parameter client_secret: use one way only.",
        ));
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(rest.trim())
        .map_err(|_| garbled())?;
    let decoded = String::from_utf8(decoded).map_err(|_| garbled())?;
    let (id, secret) = decoded.split_once(':').ok_or_else(garbled)?;
    Ok((
        form::decode(id).ok_or_else(garbled)?,
        form::decode(secret).ok_or_else(garbled)?,
    ))
}
