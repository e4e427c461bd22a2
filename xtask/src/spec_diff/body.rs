//! An operation's request body and the media types of any content.

use serde_json::Value;

use super::{Differ, Direction, Severity, keys, new_or_null, object, resolve};

impl Differ<'_> {
    pub(super) fn request_body(&mut self, label: &str, old: &Value, new: &Value) {
        let location = format!("{label} > request body");
        let old = resolve(self.old, old).unwrap_or(&Value::Null);
        let new = match resolve(self.new, new) {
            Ok(new) => new,
            Err(reference) => return self.broken(&location, &reference),
        };
        match (old.is_null(), new.is_null()) {
            (true, true) => return,
            (true, false) => {
                return self.push(
                    Severity::Breaking,
                    &location,
                    "request body added".to_string(),
                    "the generated method gains a body argument",
                );
            }
            (false, true) => {
                return self.push(
                    Severity::Breaking,
                    &location,
                    "request body removed".to_string(),
                    "the generated method loses its body argument",
                );
            }
            (false, false) => {}
        }
        let required = |v: &Value| v.get("required") == Some(&Value::Bool(true));
        if required(old) != required(new) {
            self.push(
                Severity::Breaking,
                &location,
                if required(new) {
                    "now required".to_string()
                } else {
                    "no longer required".to_string()
                },
                "the generated body argument changes between `T` and `Option<T>`",
            );
        }
        self.content(
            &location,
            Direction::Request,
            &old["content"],
            &new["content"],
        );
        self.other_keys(&location, old, new, &["required", "content"]);
    }

    /// Compares the media types of a body; `location` names the request or response.
    pub(super) fn content(
        &mut self,
        location: &str,
        direction: Direction,
        old: &Value,
        new: &Value,
    ) {
        let (a, b) = (object(old), object(new));
        for media in keys(old, new) {
            let at = format!("{location} > {media}");
            match (a.get(&media), b.get(&media)) {
                (Some(_), None) => self.push(
                    Severity::Breaking,
                    &at,
                    "media type removed".to_string(),
                    if is_json(&media) {
                        "the generated code no longer decodes or sends this body as JSON"
                    } else {
                        "a body of this type is no longer documented"
                    },
                ),
                (None, Some(_)) => {
                    let (severity, why) = if is_json(&media) && !a.keys().any(|m| is_json(m)) {
                        (
                            Severity::Breaking,
                            "a JSON body where there was none: the generated type of this body \
                             changes",
                        )
                    } else {
                        (
                            Severity::Additive,
                            "another media type for the same body; the generated code keeps \
                             using JSON",
                        )
                    };
                    self.push(severity, &at, "media type added".to_string(), why);
                }
                (Some(x), Some(y)) => {
                    self.schema(
                        &format!("{at} > body"),
                        direction,
                        &new_or_null(x, "schema"),
                        &new_or_null(y, "schema"),
                        0,
                    );
                    self.other_keys(&at, x, y, &["schema"]);
                }
                (None, None) => {}
            }
        }
    }
}

pub(super) fn is_json(media_type: &str) -> bool {
    media_type == "application/json" || media_type.starts_with("application/json;")
}
