//! Credentials and the client: where the key and its secret come from, and where requests go.

use std::fs;
use std::path::Path;

use confluent_connect::{
    API_KEY_VAR, API_SECRET_VAR, BASE_URL_VAR, Client, ClientBuilder, OAUTH_CLIENT_ID_VAR,
    OAUTH_CLIENT_SECRET_VAR, OAUTH_IDENTITY_POOL_ID_VAR, OAUTH_TOKEN_URL_VAR, OAuth,
};

use crate::cli::ConnectionArgs;
use crate::failure::Failure;
use crate::interrupt::{Interrupts, blocking};
use crate::terminal::Terminal;

/// The ways to give the secret, for hints.
const SECRET_SOURCES: &str = "put the secret in CONFLUENT_CLOUD_API_SECRET, in a file given with \
                              --api-secret-file, or run at a terminal to be asked for it";

/// The ways to give the OAuth client secret, for hints.
const OAUTH_SECRET_SOURCES: &str = "put the client secret in \
                                    CONFLUENT_CLOUD_OAUTH_EXTERNAL_CLIENT_SECRET or in a file given \
                                    with --oauth-client-secret-file";

/// Builds the client from the flags and the environment: a Cloud API key (asking for the
/// secret at a terminal when it is given nowhere else), or OAuth.
pub async fn client(
    args: &ConnectionArgs,
    terminal: &Terminal,
    interrupts: &mut Interrupts,
) -> Result<Client, Failure> {
    if args.api_secret.is_some() {
        return Err(Failure::usage(
            "--api-secret is refused: a secret given as a flag's value lands in the shell \
             history and the process list",
            format!(
                "{SECRET_SOURCES}; if that was a real secret, rotate the key, as it is now in \
                 your shell history"
            ),
        ));
    }
    if args.oauth_client_secret.is_some() {
        return Err(Failure::usage(
            "--oauth-client-secret is refused: a secret given as a flag's value lands in the \
             shell history and the process list",
            format!(
                "{OAUTH_SECRET_SOURCES}; if that was a real secret, rotate it at the identity \
                 provider, as it is now in your shell history"
            ),
        ));
    }
    let builder = match oauth(args)? {
        Some(oauth) => {
            if given(&args.api_key).is_some() || secret_from_env(API_SECRET_VAR).is_some() {
                return Err(Failure::usage(
                    "both a Cloud API key and OAuth settings are given",
                    format!(
                        "use one of them: unset {API_KEY_VAR} and {API_SECRET_VAR} (or drop \
                         --api-key), or the OAuth flags and CONFLUENT_CLOUD_OAUTH_* variables"
                    ),
                ));
            }
            Client::builder().oauth(oauth)
        }
        None => api_key(args, terminal, interrupts).await?,
    };
    let mut builder = builder.user_agent(concat!("connect-offsets/", env!("CARGO_PKG_VERSION")));
    if let Some(url) = args
        .base_url
        .as_deref()
        .filter(|url| !url.trim().is_empty())
    {
        if has_user_info(url) {
            // The facade would refuse it too, but quoting the URL, password and all.
            return Err(Failure::usage(
                "the base URL carries credentials (user:password@), which are never sent that way",
                format!(
                    "remove them from --base-url (or {BASE_URL_VAR}) and give the key as \
                     {API_KEY_VAR} or --api-key"
                ),
            ));
        }
        builder = builder.base_url(url);
    }
    if let Some(timeout) = args.request_timeout {
        builder = builder.timeout(timeout);
    }
    if let Some(bytes) = args.max_body_size {
        builder = builder.response_body_limit(usize::try_from(bytes).unwrap_or(usize::MAX));
    }
    // `get -o json|yaml` prints the answer as the service sent it, fields the spec lacks and all.
    builder.keep_answer_text(true).build().map_err(|error| {
        Failure::usage(
            error.to_string(),
            format!("check --base-url (or {BASE_URL_VAR}) and the credentials"),
        )
    })
}

/// A flag's value, trimmed, when it is not empty.
fn given(value: &Option<String>) -> Option<&str> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|value| !value.is_empty())
}

/// A secret from the environment, when set and not blank.
fn secret_from_env(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .filter(|secret| !secret.trim().is_empty())
}

/// The Cloud API key of the flags and the environment, its secret asked for at a terminal
/// when it is given nowhere else.
async fn api_key(
    args: &ConnectionArgs,
    terminal: &Terminal,
    interrupts: &mut Interrupts,
) -> Result<ClientBuilder, Failure> {
    let secret_from_env = secret_from_env(API_SECRET_VAR);
    let Some(key) = given(&args.api_key) else {
        return Err(
            if args.api_secret_file.is_some() || secret_from_env.is_some() {
                Failure::usage(
                    "an API secret is given but no API key",
                    format!("set {API_KEY_VAR} or pass --api-key KEY"),
                )
            } else {
                Failure::usage(
                    "no Confluent Cloud credentials",
                    format!(
                        "set {API_KEY_VAR} and {API_SECRET_VAR} to a Cloud API key and its secret, \
                     or pass --api-key KEY and {}; or use OAuth (--oauth-token-url, \
                     --oauth-client-id, --identity-pool-id)",
                        SECRET_SOURCES.trim_start_matches("put ")
                    ),
                )
            },
        );
    };
    let secret = match (&args.api_secret_file, secret_from_env) {
        (Some(path), _) => read_secret_file(path, "--api-secret-file", "the API key's secret")?,
        (None, Some(secret)) => secret,
        (None, None) if terminal.can_prompt() => prompt_secret(key, interrupts).await?,
        (None, None) => {
            return Err(Failure::usage(
                format!("no secret for the API key {key}, and no terminal to ask for it at"),
                SECRET_SOURCES,
            ));
        }
    };
    Ok(Client::builder().api_key(key, secret))
}

/// The OAuth settings of the flags and the environment, if any is given.
fn oauth(args: &ConnectionArgs) -> Result<Option<OAuth>, Failure> {
    let token_url = given(&args.oauth_token_url);
    let client_id = given(&args.oauth_client_id);
    let pool = given(&args.identity_pool_id);
    let secret_from_env = secret_from_env(OAUTH_CLIENT_SECRET_VAR);
    let any = token_url.is_some()
        || client_id.is_some()
        || pool.is_some()
        || given(&args.oauth_scope).is_some()
        || args.subject_token_file.is_some()
        || args.oauth_client_secret_file.is_some()
        || secret_from_env.is_some();
    if !any {
        return Ok(None);
    }
    let Some(pool) = pool else {
        return Err(Failure::usage(
            "OAuth settings are given but no identity pool",
            format!("pass --identity-pool-id pool-... or set {OAUTH_IDENTITY_POOL_ID_VAR}"),
        ));
    };
    let oauth = match (&args.subject_token_file, token_url) {
        (Some(_), Some(_)) => {
            return Err(Failure::usage(
                "both --subject-token-file and --oauth-token-url are given",
                "the subject token comes from a file or from the identity provider: give one \
                 of them",
            ));
        }
        (Some(file), None) => OAuth::subject_token_file(file, pool),
        (None, Some(url)) => {
            let Some(id) = client_id else {
                return Err(Failure::usage(
                    "--oauth-token-url is given but no client id",
                    format!("pass --oauth-client-id ID or set {OAUTH_CLIENT_ID_VAR}"),
                ));
            };
            let secret = match (&args.oauth_client_secret_file, secret_from_env) {
                (Some(path), _) => {
                    read_secret_file(path, "--oauth-client-secret-file", "the client secret")?
                }
                (None, Some(secret)) => secret,
                (None, None) => {
                    return Err(Failure::usage(
                        format!("no client secret for the OAuth client {id}"),
                        OAUTH_SECRET_SOURCES,
                    ));
                }
            };
            let oauth = OAuth::client_credentials(url, id, secret, pool);
            match given(&args.oauth_scope) {
                Some(scope) => oauth.scope(scope),
                None => oauth,
            }
        }
        (None, None) => {
            return Err(Failure::usage(
                "OAuth settings are given but not where the subject token comes from",
                format!(
                    "pass --oauth-token-url URL and --oauth-client-id ID (or set \
                     {OAUTH_TOKEN_URL_VAR} and {OAUTH_CLIENT_ID_VAR}), or --subject-token-file \
                     PATH"
                ),
            ));
        }
    };
    Ok(Some(oauth))
}

/// The first line of the file, without its line break.
fn read_secret_file(path: &Path, flag: &str, what: &str) -> Result<String, Failure> {
    let text = fs::read_to_string(path).map_err(|error| {
        Failure::usage(
            format!("cannot read the secret file {}: {error}", path.display()),
            format!("check the path given to {flag} and its permissions"),
        )
    })?;
    let secret = text.lines().next().unwrap_or_default().trim().to_owned();
    if secret.is_empty() {
        return Err(Failure::usage(
            format!("the secret file {} is empty", path.display()),
            format!("write {what} on its first line"),
        ));
    }
    Ok(secret)
}

/// Asks for the secret without echoing it.
async fn prompt_secret(key: &str, interrupts: &mut Interrupts) -> Result<String, Failure> {
    let prompt = format!("Secret of the Cloud API key {key}: ");
    let answer = blocking(interrupts, move || rpassword::prompt_password(prompt)).await?;
    let secret = answer.map_err(|error| {
        if error.kind() == std::io::ErrorKind::Interrupted {
            return Failure::interrupted(None);
        }
        Failure::usage(
            format!("cannot read the secret from the terminal: {error}"),
            SECRET_SOURCES,
        )
    })?;
    let secret = secret.trim().to_owned();
    if secret.is_empty() {
        return Err(Failure::usage("no secret was typed", SECRET_SOURCES));
    }
    Ok(secret)
}

/// Whether a URL's authority has `user@` or `user:password@` in it.
fn has_user_info(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    authority.contains('@')
}

#[cfg(test)]
mod tests {
    use super::has_user_info;

    #[test]
    fn user_info_is_found_in_the_authority_only() {
        assert!(has_user_info("https://key:secret@api.confluent.cloud"));
        assert!(!has_user_info("http://127.0.0.1:8080"));
        assert!(!has_user_info("https://proxy.example/a@b"));
    }
}
