//! Thresholds and word lists that rules compare against, kept as data next to each
//! rule's documentation: the `parameters:` of `rules/<rule>.yaml` (validated by
//! `rules/rule.schema.json`), embedded at build time and read once per process.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::model::{Channel, Frequency};

mod written;

use written::{Doc, Written};

/// The parameters of a rule doc, prepared by `build.rs` from its YAML.
struct Prepared {
    precise_radius_m: Option<f64>,
    place_events: &'static [&'static str],
    geofence_words: &'static [&'static str],
    contact_words: &'static [&'static str],
    min_words: Option<usize>,
    default_limits: &'static [(&'static str, &'static str)],
}

// `PREPARED`: each rule doc of `rules/` by name, with its prepared parameters, `None`
// for a doc that did not read at build time (the run reads it, with its errors).
include!(concat!(env!("OUT_DIR"), "/params.rs"));

impl Prepared {
    fn written(&self) -> Written {
        let strings = |words: &[&str]| words.iter().map(|w| (*w).to_string()).collect();
        Written {
            precise_radius_m: self.precise_radius_m,
            place_events: strings(self.place_events),
            geofence_words: strings(self.geofence_words),
            contact_words: strings(self.contact_words),
            min_words: self.min_words,
            default_limits: self
                .default_limits
                .iter()
                .map(|(c, f)| ((*c).to_string(), (*f).to_string()))
                .collect(),
        }
    }
}

/// Every rule parameter, typed.
#[derive(Debug, Default)]
pub struct Params {
    /// `location-trigger`: a `near:` radius up to this many metres is precise
    /// geolocation in law (CPRA §1798.140(w): 1,850 ft).
    pub precise_radius_m: f64,
    /// `location-trigger`: words of trigger events that mean "the person is at a place"
    /// (with another word: `store_enter`, `beacon-nearby`).
    pub place_events: Vec<String>,
    /// `location-trigger`: words that make any trigger event a place event alone.
    pub geofence_words: Vec<String>,
    /// `third-party-sharing`: words of a data id that name contact data.
    pub contact_words: Vec<String>,
    /// `vague-purpose`: a purpose of fewer words cannot say what is done with the data
    /// and what the person gets.
    pub min_purpose_words: usize,
    /// `aggressive-frequency`: the cap per outreach channel when the configuration
    /// sets none.
    pub default_limits: BTreeMap<Channel, Frequency>,
    /// What failed to load; a test keeps this empty.
    pub errors: Vec<String>,
}

/// A rule's parameters: prepared at build time (the YAML is not parsed at every run),
/// else read from the embedded doc.
fn written(rule: &str, errors: &mut Vec<String>) -> Written {
    if let Some((_, Some(prepared))) = PREPARED.iter().find(|(name, _)| *name == rule) {
        return prepared.written();
    }
    let path = format!("{rule}.yaml");
    match crate::embedded::parse::<Doc>(&path) {
        Ok(doc) => doc.parameters,
        Err(e) => {
            errors.push(e);
            Written::default()
        }
    }
}

impl Params {
    /// The parameters of the built-in rules.
    pub fn builtin() -> &'static Params {
        static P: OnceLock<Params> = OnceLock::new();
        P.get_or_init(Self::load)
    }

    fn load() -> Params {
        let mut errors = Vec::new();
        let location = written(super::location_trigger::RULE.name, &mut errors);
        let sharing = written(super::third_party_sharing::RULE.name, &mut errors);
        let frequency = written(super::aggressive_frequency::RULE.name, &mut errors);
        let purpose = written(super::vague_purpose::RULE.name, &mut errors);
        let min_purpose_words = purpose.min_words.unwrap_or_else(|| {
            errors.push("rules/vague-purpose.yaml: no `min-words`".into());
            0
        });
        let mut default_limits = BTreeMap::new();
        for (channel, limit) in &frequency.default_limits {
            match (Channel::parse(channel), Frequency::parse(limit)) {
                (Some(c), Some(f)) => {
                    default_limits.insert(c, f);
                }
                _ => errors.push(format!(
                    "rules/aggressive-frequency.yaml: bad default limit `{channel}: {limit}`"
                )),
            }
        }
        let precise_radius_m = location.precise_radius_m.unwrap_or_else(|| {
            errors.push("rules/location-trigger.yaml: no `precise-radius-m`".into());
            0.0
        });
        let norm = |words: Vec<String>| -> Vec<String> {
            words.iter().map(|w| crate::vocab::normalize(w)).collect()
        };
        Params {
            precise_radius_m,
            place_events: norm(location.place_events),
            geofence_words: norm(location.geofence_words),
            contact_words: norm(sharing.contact_words),
            min_purpose_words,
            default_limits,
            errors,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The prepared parameters are the ones the YAML says (parsed here as the run
    /// parsed them before `build.rs` prepared them).
    #[test]
    fn the_prepared_parameters_are_the_ones_of_the_yaml() {
        for rule in [
            super::super::location_trigger::RULE.name,
            super::super::third_party_sharing::RULE.name,
            super::super::aggressive_frequency::RULE.name,
            super::super::vague_purpose::RULE.name,
        ] {
            let prepared = PREPARED
                .iter()
                .find(|(name, _)| *name == rule)
                .and_then(|(_, p)| p.as_ref())
                .unwrap_or_else(|| panic!("{rule}: not prepared"));
            let parsed = crate::embedded::parse::<Doc>(&format!("{rule}.yaml"))
                .unwrap_or_else(|e| panic!("{e}"))
                .parameters;
            assert_eq!(prepared.written(), parsed, "{rule}");
        }
        // Every rule doc is prepared, and the ones without parameters say none.
        assert!(PREPARED.len() >= 20, "{} docs", PREPARED.len());
        for (rule, prepared) in PREPARED {
            let parsed = crate::embedded::parse::<Doc>(&format!("{rule}.yaml"))
                .unwrap_or_else(|e| panic!("{e}"))
                .parameters;
            assert_eq!(
                prepared.as_ref().map(Prepared::written),
                Some(parsed),
                "{rule}"
            );
        }
    }

    #[test]
    fn the_parameters_load_with_the_values_rules_were_written_with() {
        let p = Params::builtin();
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert!((p.precise_radius_m - 563.88).abs() < 1e-9);
        assert_eq!(
            p.place_events,
            [
                "geofence",
                "enter",
                "exit",
                "dwell",
                "beacon",
                "nearby",
                "arrive",
                "proximity"
            ]
        );
        assert_eq!(p.geofence_words, ["geofence", "geofencing"]);
        assert_eq!(p.min_purpose_words, 4);
        assert_eq!(
            p.contact_words,
            ["email", "phone", "mobile", "tel", "correo", "telefono"]
        );
        let limits: Vec<String> = p
            .default_limits
            .iter()
            .map(|(c, f)| format!("{c} {f}"))
            .collect();
        assert_eq!(
            limits,
            [
                "email 3/week",
                "sms 1/day",
                "push 1/day",
                "phone 1/day",
                "mail 1/week"
            ]
        );
    }
}
