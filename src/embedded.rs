//! The rule data under `rules/`, embedded at build time by `build.rs`.

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// The text of an embedded file, by its path relative to `rules/`.
pub fn file(path: &str) -> Option<&'static str> {
    FILES.iter().find(|(p, _)| *p == path).map(|(_, t)| *t)
}

/// An embedded YAML file as `T`: from the JSON that `build.rs` converted it to, which
/// parses about ten times faster, else from the YAML itself (a value JSON types
/// differently, such as a number where `T` wants a string, or a file that did not
/// convert), whose errors are the ones to report.
pub fn parse<T: serde::de::DeserializeOwned>(path: &str) -> Result<T, String> {
    let at = FILES.iter().position(|(p, _)| *p == path);
    let json = at.and_then(|i| JSON.get(i).copied().flatten());
    if let Some(Ok(value)) = json.map(serde_json::from_str::<T>) {
        return Ok(value);
    }
    let text = at
        .and_then(|i| FILES.get(i))
        .map(|(_, t)| *t)
        .ok_or_else(|| format!("rules/{path} is missing"))?;
    serde_saphyr::from_str(text).map_err(|e| format!("rules/{path}: {e}"))
}
