//! Media types: what progenitor 0.15 can take, and how the normalisation brings the others to it.
//!
//! progenitor generates a request body for exactly one media type among `application/json`,
//! `application/octet-stream` (a `string` of `format: binary`),
//! `application/x-www-form-urlencoded`, `text/plain` and `text/x-markdown`; with more than one
//! it panics (`todo!("more media types than expected")`), with another it refuses the spec. Of
//! a response it reads `application/json` and streams anything else.
//!
//! So, for a request body, one media type is chosen, in this order: `application/json`, a
//! type of the JSON family (`application/vnd.x+json`, `application/merge-patch+json`,
//! `application/json-patch+json`: any `+json`), `application/x-www-form-urlencoded`,
//! `application/octet-stream`, another binary type (`image/*`, `audio/*`, `video/*`, any
//! `application/*` that is not text), then text. The others are left out. When the chosen type
//! is not one progenitor knows, it is given to progenitor as the kind it belongs to
//! (`application/json`, or `application/octet-stream` with a binary schema), and the type
//! itself is recorded on the operation under [`SENT_AS`], where codegen's post-pass finds it to
//! send it as the request's `Content-Type`. Both show in the normalised spec's snapshot.
//!
//! For a response, when there is `application/json` only it is kept; else the first type of the
//! JSON family is read as JSON; else the media types are left as they are (streamed).

use indexmap::IndexMap;
use openapiv3::{MediaType, ReferenceOr, Schema, SchemaKind, StringFormat, StringType, Type};

use crate::{CodegenError, OperationRef};

/// The operation extension holding the media type a request body is sent as, when progenitor
/// was given another (see the module documentation).
pub const SENT_AS: &str = "x-codegen-sent-as";

/// The kinds of media types, in the order a request body's is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Json,
    JsonFamily,
    Form,
    OctetStream,
    Binary,
    Text,
    Unsupported,
}

fn kind(media_type: &str) -> Kind {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "application/json" => Kind::Json,
        "application/x-www-form-urlencoded" => Kind::Form,
        "application/octet-stream" => Kind::OctetStream,
        "text/plain" | "text/x-markdown" => Kind::Text,
        _ if essence.ends_with("+json") => Kind::JsonFamily,
        _ if essence.starts_with("multipart/") || essence.starts_with("text/") => Kind::Unsupported,
        _ if ["image/", "audio/", "video/", "font/", "application/"]
            .iter()
            .any(|prefix| essence.starts_with(prefix)) =>
        {
            Kind::Binary
        }
        _ => Kind::Unsupported,
    }
}

/// Leaves one media type in a request body's `content`, as the module documentation says, and
/// returns the type it is to be sent as when progenitor is given another.
pub(crate) fn normalize_request_body(
    content: &mut IndexMap<String, MediaType>,
    at: &OperationRef,
) -> Result<Option<String>, CodegenError> {
    let Some((chosen, chosen_kind)) = content
        .keys()
        .map(|media_type| (media_type.clone(), kind(media_type)))
        .min_by_key(|(_, kind)| *kind)
    else {
        return Ok(None);
    };
    if chosen_kind == Kind::Unsupported {
        return Err(CodegenError::Unsupported {
            operation: at.clone(),
            construct: format!(
                "a request body of {}",
                content.keys().cloned().collect::<Vec<_>>().join(", ")
            ),
            hint: "progenitor 0.15 sends JSON, form-urlencoded, binary and plain-text bodies \
                   only: describe the body with one of those"
                .to_string(),
        });
    }
    let Some(mut media) = content.shift_remove(&chosen) else {
        return Ok(None);
    };
    content.clear();
    let (given, sent_as) = match chosen_kind {
        Kind::JsonFamily => ("application/json".to_string(), Some(chosen)),
        Kind::Binary => {
            media.schema = Some(ReferenceOr::Item(binary_string()));
            ("application/octet-stream".to_string(), Some(chosen))
        }
        _ => (chosen, None),
    };
    content.insert(given, media);
    Ok(sent_as)
}

/// Reads the first type of the JSON family as JSON when a response has no `application/json`,
/// and leaves only the JSON one when it has.
pub(crate) fn normalize_response_content(content: &mut IndexMap<String, MediaType>) {
    let json = content
        .keys()
        .map(|media_type| (media_type.clone(), kind(media_type)))
        .filter(|(_, kind)| matches!(kind, Kind::Json | Kind::JsonFamily))
        .min_by_key(|(_, kind)| *kind);
    let Some((chosen, _)) = json else {
        return;
    };
    if let Some(media) = content.shift_remove(&chosen) {
        content.clear();
        content.insert("application/json".to_string(), media);
    }
}

/// `type: string, format: binary`: what progenitor takes as an octet-stream body.
fn binary_string() -> Schema {
    Schema {
        schema_data: Default::default(),
        schema_kind: SchemaKind::Type(Type::String(StringType {
            format: openapiv3::VariantOrUnknownOrEmpty::Item(StringFormat::Binary),
            ..Default::default()
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_are_ranked_as_a_request_body_is_chosen() {
        assert_eq!(kind("application/json; charset=utf-8"), Kind::Json);
        assert_eq!(kind("application/merge-patch+json"), Kind::JsonFamily);
        assert_eq!(kind("application/vnd.connect.v1+json"), Kind::JsonFamily);
        assert_eq!(kind("image/png"), Kind::Binary);
        assert_eq!(kind("application/pdf"), Kind::Binary);
        assert_eq!(kind("text/plain"), Kind::Text);
        assert_eq!(kind("multipart/form-data"), Kind::Unsupported);
        assert_eq!(kind("text/csv"), Kind::Unsupported);
    }
}
