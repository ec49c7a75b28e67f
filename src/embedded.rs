//! The rule data under `rules/`, embedded at build time by `build.rs`.

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// The text of an embedded file, by its path relative to `rules/`.
pub fn file(path: &str) -> Option<&'static str> {
    FILES.iter().find(|(p, _)| *p == path).map(|(_, t)| *t)
}
