//! What to do about an error: decided here, once, for every front end.

use std::fmt;

use crate::credentials::{CredentialsError, TokenSide};
use crate::error::{Argument, Error};

/// What to do about an [`Error`], as [`Error::hint`] tells it.
///
/// The facade decides which hint fits each error; a front end words it for its users (the
/// `connect-offsets` command line names its flags and environment variables). `Display` gives
/// the library's own wording, in terms of this crate's API.
///
/// `#[non_exhaustive]`: new kinds of failure may bring new hints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Hint {
    /// 400: the service found the request malformed: check the ids and the offsets sent.
    FixRequest,
    /// 401, whatever the body: the credentials were refused: check the Cloud API key and secret
    /// (a Kafka cluster API key is refused here).
    CheckCredentials,
    /// 403, whatever the body: the credentials are valid but may not do this: check the role
    /// bindings of the key's account.
    CheckPermissions,
    /// 404: nothing at that path: check the environment, cluster and connector names.
    CheckNames,
    /// 5xx: the service failed: retry later, quoting the request id if it persists.
    RetryLater,
    /// Another status: quote the request id to Confluent support if it persists.
    ContactSupport,
    /// 429: the rate limit was reached: wait, and send fewer requests at once.
    SlowDown,
    /// The request timed out: retry, or allow more time.
    AllowMoreTime,
    /// The service could not be reached: check the base URL and the network.
    CheckEndpoint,
    /// The answer was larger than the client reads: raise the body limit if it is expected.
    RaiseBodyLimit,
    /// The answer was not the documented one: check that the base URL is Confluent Cloud's.
    CheckBaseUrl,
    /// An offsets change failed: read its status for why, fix the offsets, try again.
    ReadAlterStatus,
    /// Waiting for an offsets change gave up: it goes on; follow its status or wait longer.
    FollowAlterStatus,
    /// An offsets entry was refused before sending: fix that entry.
    FixOffsets,
    /// An environment, cluster or connector name was refused before sending: fix it.
    FixNames,
    /// A default header was refused when the client was built: fix its name or value.
    FixHeader,
    /// The client could not be configured: check the base URL and the credentials.
    FixConfig,
    /// Complete or correct the connector's configuration, as the error says.
    FixConnectorConfig,
    /// OAuth: the identity provider refused the client credentials: check the token URL,
    /// client id, secret and scope.
    CheckIdentityProvider,
    /// OAuth: Confluent's token exchange refused the subject token: check the identity pool,
    /// the identity provider's registration, and that the subject token is fresh.
    CheckTokenExchange,
}

impl Error {
    /// What to do about this error (for [`Error::RetriesExhausted`], about its last try).
    ///
    /// ```
    /// use confluent_connect::{ApiError, Error, Hint, StatusCode};
    ///
    /// let error = Error::Api(ApiError::new(StatusCode::UNAUTHORIZED, None, None, None));
    /// assert_eq!(error.hint(), Hint::CheckCredentials);
    /// ```
    pub fn hint(&self) -> Hint {
        match self.last_try() {
            Error::Api(api) => match api.status.as_u16() {
                400 => Hint::FixRequest,
                401 => Hint::CheckCredentials,
                403 => Hint::CheckPermissions,
                404 => Hint::CheckNames,
                500..=599 => Hint::RetryLater,
                _ => Hint::ContactSupport,
            },
            Error::RateLimited(_) => Hint::SlowDown,
            Error::Timeout { .. } => Hint::AllowMoreTime,
            Error::Transport { .. } => Hint::CheckEndpoint,
            Error::BodyTooLarge { .. } => Hint::RaiseBodyLimit,
            Error::Redirected { .. } | Error::MissingField { .. } => Hint::CheckBaseUrl,
            Error::BodyCutOff { .. } => Hint::RetryLater,
            // The status says what went wrong whatever the body was: a gateway's HTML 401 is
            // still a refusal of the credentials.
            Error::UnexpectedResponse { status, .. } | Error::Decode { status, .. } => {
                match status.as_u16() {
                    401 => Hint::CheckCredentials,
                    403 => Hint::CheckPermissions,
                    _ => Hint::CheckBaseUrl,
                }
            }
            Error::AlterFailed { .. } => Hint::ReadAlterStatus,
            Error::AlterTimedOut { .. } | Error::AlterNotSeen { .. } => Hint::FollowAlterStatus,
            Error::InvalidArgument { argument, .. } => match argument {
                Argument::Offsets => Hint::FixOffsets,
                Argument::Config => Hint::FixConnectorConfig,
                Argument::HeaderName | Argument::HeaderValue => Hint::FixHeader,
                Argument::EnvironmentId
                | Argument::KafkaClusterId
                | Argument::ConnectorName
                | Argument::PluginName => Hint::FixNames,
            },
            Error::Config(_) => Hint::FixConfig,
            Error::Credentials(credentials) => match credentials {
                CredentialsError::Unreachable { .. } => Hint::CheckEndpoint,
                _ if credentials.is_transient() => Hint::RetryLater,
                CredentialsError::Refused {
                    side: TokenSide::IdentityProvider,
                    ..
                } => Hint::CheckIdentityProvider,
                CredentialsError::Refused { .. } | CredentialsError::SubjectTokenFile { .. } => {
                    Hint::CheckTokenExchange
                }
                _ => Hint::CheckCredentials,
            },
            // `last_try` never returns this variant; the arm keeps the match whole.
            Error::RetriesExhausted { .. } => Hint::RetryLater,
        }
    }
}

impl fmt::Display for Hint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Hint::FixRequest => {
                "the service found the request malformed: check the environment id (env-...), \
                 the cluster id (lkc-...) and the offsets"
            }
            Hint::CheckCredentials => {
                "check the Cloud API key and its secret; a Kafka cluster API key is refused here"
            }
            Hint::CheckPermissions => {
                "the credentials are valid but may not do this: give the key's account a role on \
                 the environment or the cluster"
            }
            Hint::CheckNames => {
                "check the environment id (env-...), the cluster id (lkc-...) and the connector \
                 name, which is case-sensitive"
            }
            Hint::RetryLater => {
                "the service failed: retry later, and quote the request id if it persists"
            }
            Hint::ContactSupport => "quote the request id to Confluent support if it persists",
            Hint::SlowDown => "wait, then retry with fewer requests at once",
            Hint::AllowMoreTime => {
                "retry; if it keeps timing out, check the network, or raise \
                 ClientBuilder::timeout"
            }
            Hint::CheckEndpoint => "check the base URL and the network",
            Hint::RaiseBodyLimit => {
                "raise ClientBuilder::response_body_limit if so large an answer is expected"
            }
            Hint::CheckBaseUrl => {
                "is the base URL really Confluent Cloud's API? If it is, retry later and quote \
                 the request id to Confluent support if it persists"
            }
            Hint::ReadAlterStatus => {
                "read why with Connector::alter_status, fix the offsets and try again"
            }
            Hint::FollowAlterStatus => {
                "the change goes on: follow it with Connector::alter_status, or wait longer"
            }
            Hint::FixOffsets => "fix that offsets entry; nothing was sent",
            Hint::FixNames => "fix the environment id, cluster id or connector name",
            Hint::FixHeader => "fix the default header's name or value",
            Hint::FixConfig => "check the base URL and the credentials",
            Hint::FixConnectorConfig => {
                "complete the connector's configuration with the keys the error names, then try \
                 again"
            }
            Hint::CheckIdentityProvider => {
                "check the identity provider's token URL, the client id and secret, and the scope"
            }
            Hint::CheckTokenExchange => {
                "check the identity pool id (pool-...), that the identity provider is registered \
                 in Confluent Cloud and its tokens match the pool's filter, and that the subject \
                 token is fresh"
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use reqwest::StatusCode;

    use super::*;
    use crate::{AlterPhase, ApiError, BoxError, RateLimited, RetryStop};

    fn api(status: u16) -> Error {
        Error::Api(ApiError::new(
            StatusCode::from_u16(status).unwrap(),
            None,
            None,
            None,
        ))
    }

    fn invalid(argument: Argument) -> Error {
        Error::InvalidArgument {
            argument,
            value: "..".to_owned(),
            reason: "it is a relative path segment".to_owned(),
        }
    }

    #[test]
    fn an_api_error_is_hinted_by_its_status() {
        let hints = [400, 401, 403, 404, 409, 500, 503].map(|status| api(status).hint());
        assert_eq!(
            hints,
            [
                Hint::FixRequest,
                Hint::CheckCredentials,
                Hint::CheckPermissions,
                Hint::CheckNames,
                Hint::ContactSupport,
                Hint::RetryLater,
                Hint::RetryLater,
            ]
        );
    }

    #[test]
    fn an_invalid_argument_is_hinted_by_which_argument() {
        let hints = [
            Argument::Offsets,
            Argument::ConnectorName,
            Argument::EnvironmentId,
            Argument::KafkaClusterId,
            Argument::HeaderName,
            Argument::HeaderValue,
        ]
        .map(|argument| invalid(argument).hint());
        assert_eq!(
            hints,
            [
                Hint::FixOffsets,
                Hint::FixNames,
                Hint::FixNames,
                Hint::FixNames,
                Hint::FixHeader,
                Hint::FixHeader,
            ]
        );
    }

    #[test]
    fn giving_up_after_retries_is_hinted_as_the_last_try() {
        let error = Error::RetriesExhausted {
            attempts: 3,
            stopped: RetryStop::MaxAttempts { max_attempts: 3 },
            causes: vec!["429".to_owned(); 3],
            last: Box::new(Error::RateLimited(RateLimited::new())),
        };
        assert_eq!(error.hint(), Hint::SlowDown);
    }

    #[test]
    fn the_other_errors_each_have_their_hint() {
        let transport = || -> BoxError { "connection refused".into() };
        let cases = [
            (
                Error::Timeout {
                    status: None,
                    source: transport(),
                },
                Hint::AllowMoreTime,
            ),
            (
                Error::Transport {
                    status: None,
                    source: transport(),
                },
                Hint::CheckEndpoint,
            ),
            (
                Error::BodyTooLarge {
                    status: StatusCode::OK,
                    limit: 10,
                    request_id: None,
                },
                Hint::RaiseBodyLimit,
            ),
            (
                Error::UnexpectedResponse {
                    status: StatusCode::OK,
                    body_excerpt: "<html>".to_owned(),
                    request_id: None,
                },
                Hint::CheckBaseUrl,
            ),
            (
                Error::AlterTimedOut {
                    connector: "orders-sink".to_owned(),
                    phase: AlterPhase::Pending,
                    waited: Duration::from_secs(1),
                },
                Hint::FollowAlterStatus,
            ),
            (Error::Config("no key".to_owned()), Hint::FixConfig),
        ];
        for (error, hint) in cases {
            assert_eq!(error.hint(), hint, "{error:?}");
        }
    }

    #[test]
    fn a_401_or_403_without_the_documented_body_is_hinted_by_its_status() {
        let unexpected = |status: u16| Error::UnexpectedResponse {
            status: StatusCode::from_u16(status).unwrap(),
            body_excerpt: "<html><body>Unauthorized</body></html>".to_owned(),
            request_id: None,
        };
        let undecodable = |status: u16| Error::Decode {
            status: StatusCode::from_u16(status).unwrap(),
            message: "expected value".to_owned(),
            body_excerpt: "{".to_owned(),
            request_id: None,
        };
        let hints = [
            unexpected(401).hint(),
            unexpected(403).hint(),
            unexpected(502).hint(),
            undecodable(401).hint(),
            undecodable(403).hint(),
            undecodable(200).hint(),
        ];
        assert_eq!(
            hints,
            [
                Hint::CheckCredentials,
                Hint::CheckPermissions,
                Hint::CheckBaseUrl,
                Hint::CheckCredentials,
                Hint::CheckPermissions,
                Hint::CheckBaseUrl,
            ]
        );
    }

    #[test]
    fn an_argument_displays_as_its_name_in_the_api() {
        assert_eq!(
            invalid(Argument::KafkaClusterId)
                .to_string()
                .split(' ')
                .nth(1),
            Some("kafka_cluster_id")
        );
    }
}
