//! The Security Token Service's token exchange, `POST /sts/v1/oauth2/token`, as
//! `openapi/sts-v1.yaml` describes it: a subject token of the identity provider, exchanged in an
//! identity pool for an access token. Refusals are 400 with the documented `Failure` body, a
//! `code` per cause. The answers are the generated `confluent_connect_api::sts` types, so the
//! emulator and the client read the same spec.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use confluent_connect_api::sts::types::{
    Error, ErrorId, ErrorSource, Failure, StsV1TokenExchangeReply,
};

use super::form::{FormBody, Params};
use super::{OAuthState, SubjectCheck, no_store, random_bytes};
use crate::app::App;
use crate::ids;
use crate::response::{built, json_response};
use crate::router::IDP_TOKEN_PATH;

/// The grant type of a token exchange (RFC 8693).
const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
/// The subject token's type: a JWT.
const SUBJECT_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:jwt";
/// The type of the token issued: an access token.
const ACCESS_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:access_token";
/// The fields the spec requires, in its order.
const REQUIRED: [&str; 5] = [
    "grant_type",
    "subject_token",
    "subject_token_type",
    "identity_pool_id",
    "requested_token_type",
];
/// Every field the exchange reads.
const FIELDS: [&str; 6] = [
    "grant_type",
    "subject_token",
    "subject_token_type",
    "identity_pool_id",
    "requested_token_type",
    "expires_in",
];

/// `POST /sts/v1/oauth2/token`
pub(crate) async fn exchange(State(app): State<Arc<App>>, form: FormBody) -> Response {
    let Some(oauth) = app.oauth.as_ref() else {
        return super::off();
    };
    match answer(&app, oauth, form) {
        Ok(response) => {
            oauth.record(|stats| stats.exchanges += 1);
            response
        }
        Err(refusal) => {
            oauth.record(|stats| {
                *stats
                    .exchange_refusals
                    .entry(refusal.code.to_owned())
                    .or_insert(0) += 1;
            });
            refusal.into_response()
        }
    }
}

/// One error of the documented `Failure` body. Its detail never quotes a token.
struct Refusal {
    code: &'static str,
    title: &'static str,
    detail: String,
    /// The field at fault, as the error's `source.parameter`.
    parameter: Option<&'static str>,
}

impl Refusal {
    fn invalid_request(detail: impl Into<String>, parameter: Option<&'static str>) -> Refusal {
        Refusal {
            code: "invalid_request",
            title: "Invalid Request",
            detail: detail.into(),
            parameter,
        }
    }

    fn into_response(self) -> Response {
        let source = self.parameter.map(|parameter| {
            built::<ErrorSource, _>(ErrorSource::builder().parameter(Some(parameter.to_owned())))
        });
        let error: Error = built(
            Error::builder()
                .id(ErrorId::try_from(occurrence_id()).ok())
                .status(Some("400".to_owned()))
                .code(Some(self.code.to_owned()))
                .title(Some(self.title.to_owned()))
                .detail(Some(self.detail))
                .source(source),
        );
        let failure: Failure = built(Failure::builder().errors(vec![error]));
        json_response(
            StatusCode::BAD_REQUEST,
            serde_json::to_vec(&failure).unwrap_or_default(),
        )
    }
}

/// The checks, in order: a readable form, no repeated field, every required field, their fixed
/// values, `expires_in`, the subject token, the identity pool.
fn answer(app: &App, oauth: &OAuthState, form: FormBody) -> Result<Response, Refusal> {
    let params = Params::read(form).map_err(|message| Refusal::invalid_request(message, None))?;
    if let Some(name) = params.repeated(&FIELDS) {
        return Err(Refusal::invalid_request(
            format!("The field {name} is sent more than once: send it once."),
            Some(name),
        ));
    }
    if let Some(name) = REQUIRED.into_iter().find(|name| params.get(name).is_none()) {
        return Err(Refusal::invalid_request(
            format!(
                "The field {name} is missing: a token exchange needs grant_type, subject_token, subject_token_type, identity_pool_id and requested_token_type."
            ),
            Some(name),
        ));
    }
    for (name, expected, why) in [
        ("grant_type", GRANT_TYPE, "a token exchange"),
        (
            "subject_token_type",
            SUBJECT_TOKEN_TYPE,
            "the subject token is a JWT of your identity provider",
        ),
        (
            "requested_token_type",
            ACCESS_TOKEN_TYPE,
            "the STS issues access tokens",
        ),
    ] {
        if params.get(name) != Some(expected) {
            return Err(Refusal::invalid_request(
                format!("The field {name} must be {expected} ({why})."),
                Some(name),
            ));
        }
    }
    let most = oauth.config.sts_token_lifetime_secs;
    let lifetime_secs = match params.get("expires_in") {
        None => most,
        Some(text) => match text.parse::<u64>() {
            Ok(asked) if asked >= 1 => asked.min(most),
            _ => {
                return Err(Refusal::invalid_request(
                    "The field expires_in must be a whole number of seconds, at least 1.",
                    Some("expires_in"),
                ));
            }
        },
    };
    let subject = params.get("subject_token").unwrap_or_default();
    let client_id = match oauth.check_subject_token(subject, app.clock.now_ms()) {
        SubjectCheck::Valid { client_id } => client_id,
        SubjectCheck::Expired { at_ms } => {
            return Err(Refusal {
                code: "expired_subject_token",
                title: "Expired Subject Token",
                detail: format!(
                    "The subject_token expired at {}: get a new one from the identity provider and exchange that.",
                    app.clock
                        .wall(at_ms)
                        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                ),
                parameter: Some("subject_token"),
            });
        }
        SubjectCheck::Unknown => {
            return Err(Refusal {
                code: "invalid_subject_token",
                title: "Invalid Subject Token",
                detail: format!(
                    "The subject_token is not a token the emulator's identity provider issued: get one from {IDP_TOKEN_PATH} (client credentials), and send it whole."
                ),
                parameter: Some("subject_token"),
            });
        }
    };
    let pool_id = params.get("identity_pool_id").unwrap_or_default();
    let Some(pool) = oauth.pool_index(pool_id) else {
        let known: Vec<&str> = oauth
            .config
            .identity_pools
            .iter()
            .map(|p| p.id.as_str())
            .collect();
        let known = if known.is_empty() {
            "it has none".to_owned()
        } else {
            known.join(", ")
        };
        return Err(Refusal {
            code: "unknown_identity_pool",
            title: "Unknown Identity Pool",
            detail: format!(
                "There is no identity pool {}: check identity_pool_id against the emulator's oauth identity_pools ({known}).",
                ids::shorten(pool_id)
            ),
            parameter: Some("identity_pool_id"),
        });
    };
    let token = oauth.issue_access_token(&app.clock, &client_id, pool, lifetime_secs);
    // The configuration keeps lifetimes within an int32, as the reply's `expires_in` is.
    let reply: StsV1TokenExchangeReply = built(
        StsV1TokenExchangeReply::builder()
            .access_token(token)
            .issued_token_type(ACCESS_TOKEN_TYPE)
            .token_type("Bearer")
            .expires_in(i32::try_from(lifetime_secs).unwrap_or(i32::MAX)),
    );
    Ok(no_store(json_response(
        StatusCode::OK,
        serde_json::to_vec(&reply).unwrap_or_default(),
    )))
}

/// A unique id for one refusal, shaped as the service's (a UUID).
fn occurrence_id() -> String {
    let hex: String = random_bytes::<16>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}
