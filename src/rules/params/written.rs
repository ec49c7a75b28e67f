//! The `parameters:` of a rule doc as written: read by the run (`rules/params.rs`)
//! and by `build.rs`, which prepares them as static values (`params.rs` in `OUT_DIR`).

use std::collections::BTreeMap;

use serde::Deserialize;

/// The `parameters:` key of a rule doc, as written.
#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Written {
    pub precise_radius_m: Option<f64>,
    #[serde(default)]
    pub place_events: Vec<String>,
    #[serde(default)]
    pub geofence_words: Vec<String>,
    #[serde(default)]
    pub contact_words: Vec<String>,
    pub min_words: Option<usize>,
    #[serde(default)]
    pub default_limits: BTreeMap<String, String>,
}

/// A rule doc, for its parameters only.
#[derive(Deserialize)]
pub struct Doc {
    #[serde(default)]
    pub parameters: Written,
}
