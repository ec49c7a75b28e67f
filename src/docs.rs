//! Rule documentation from `rules/<name>.yaml`: what `rules`, `explain`, SARIF and the
//! report show, and the examples the doc tests run.

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDoc {
    pub name: String,
    pub severity: String,
    pub summary: String,
    pub why: String,
    pub instead: String,
    /// Thresholds and word lists, read by `rules::params`.
    #[serde(default)]
    pub parameters: Option<serde::de::IgnoredAny>,
    pub examples: Examples,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    pub fires: Vec<Example>,
    pub quiet: Vec<Example>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub title: String,
    pub files: BTreeMap<String, String>,
}

/// The doc of a rule, if its file exists and parses.
pub fn get(name: &str) -> Result<RuleDoc, String> {
    crate::embedded::parse(&format!("{name}.yaml"))
}

/// Every rule doc file under `rules/` (top level only), by name.
pub fn all_files() -> Vec<(&'static str, &'static str)> {
    crate::embedded::FILES
        .iter()
        .filter(|(p, _)| !p.contains('/') && p.ends_with(".yaml"))
        .map(|(p, t)| (p.trim_end_matches(".yaml"), *t))
        .collect()
}

/// The rule's page in the repository (`repository` in Cargo.toml, the one place that
/// names where creeplint is hosted): SARIF `helpUri`, JSON `doc_url`, the human
/// and GitHub help lines and `creeplint rules --format json` link to it.
pub fn url(name: &str) -> String {
    format!(
        "{}/blob/main/rules/{name}.yaml",
        env!("CARGO_PKG_REPOSITORY").trim_end_matches('/')
    )
}

/// [`url`], built once per process for the rules of [`crate::rules::RULES`]: outputs
/// that link every finding to its rule's page ask for it thousands of times.
pub fn url_of(name: &str) -> std::borrow::Cow<'static, str> {
    static URLS: std::sync::OnceLock<Vec<(&'static str, String)>> = std::sync::OnceLock::new();
    let urls = URLS.get_or_init(|| crate::rules::names().map(|n| (n, url(n))).collect());
    match urls.iter().find(|(n, _)| *n == name) {
        Some((_, u)) => std::borrow::Cow::Borrowed(u.as_str()),
        None => std::borrow::Cow::Owned(url(name)),
    }
}
