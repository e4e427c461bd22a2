//! Credentials and the client: where the key and its secret come from, and where requests go.

use std::fs;
use std::path::Path;

use confluent_connect::{API_KEY_VAR, API_SECRET_VAR, BASE_URL_VAR, Client};

use crate::cli::ConnectionArgs;
use crate::failure::Failure;
use crate::interrupt::{Interrupts, blocking};
use crate::terminal::Terminal;

/// The ways to give the secret, for hints.
const SECRET_SOURCES: &str = "put the secret in CONFLUENT_CLOUD_API_SECRET, in a file given with \
                              --api-secret-file, or run at a terminal to be asked for it";

/// Builds the client from the flags and the environment, asking for the secret at a terminal
/// when it is given nowhere else.
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
    let key = args
        .api_key
        .as_deref()
        .map(str::trim)
        .filter(|key| !key.is_empty());
    let secret_from_env = std::env::var(API_SECRET_VAR)
        .ok()
        .filter(|secret| !secret.trim().is_empty());
    let Some(key) = key else {
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
                     or pass --api-key KEY and {}",
                        SECRET_SOURCES.trim_start_matches("put ")
                    ),
                )
            },
        );
    };
    let secret = match (&args.api_secret_file, secret_from_env) {
        (Some(path), _) => read_secret_file(path)?,
        (None, Some(secret)) => secret,
        (None, None) if terminal.can_prompt() => prompt_secret(key, interrupts).await?,
        (None, None) => {
            return Err(Failure::usage(
                format!("no secret for the API key {key}, and no terminal to ask for it at"),
                SECRET_SOURCES,
            ));
        }
    };
    let mut builder = Client::builder()
        .api_key(key, secret)
        .user_agent(concat!("connect-offsets/", env!("CARGO_PKG_VERSION")));
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

/// The first line of the file, without its line break.
fn read_secret_file(path: &Path) -> Result<String, Failure> {
    let text = fs::read_to_string(path).map_err(|error| {
        Failure::usage(
            format!("cannot read the secret file {}: {error}", path.display()),
            "check the path given to --api-secret-file and its permissions",
        )
    })?;
    let secret = text.lines().next().unwrap_or_default().trim().to_owned();
    if secret.is_empty() {
        return Err(Failure::usage(
            format!("the secret file {} is empty", path.display()),
            "write the API key's secret on its first line",
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
