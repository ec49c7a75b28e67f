//! What the rules need to know of a data reference: where the data comes from,
//! whether it places the person, and which sensitive categories it touches, each
//! with how sure we are and the evidence to show.

use std::sync::OnceLock;

use regex::Regex;
use serde::Deserialize;

use super::Ctx;
use crate::finding::Confidence;
use crate::model::{Category, ItemInfo, Precision, Source};
use crate::source::Loc;

/// A data id resolved against the project.
#[derive(Debug, Clone)]
pub struct Resolved<'c, 'a> {
    pub id: &'c str,
    pub info: Option<&'c ItemInfo<'a>>,
    /// `None` when undeclared and no name pattern recognises it.
    pub source: Option<Source>,
    pub source_confidence: Confidence,
    /// The declaration, or the name guess, that says where it comes from.
    pub source_why: String,
    pub source_loc: Option<Loc>,
    pub location: Option<LocationClass>,
}

#[derive(Debug, Clone)]
pub struct LocationClass {
    pub precision: Precision,
    pub confidence: Confidence,
    pub loc: Option<Loc>,
    pub why: String,
}

#[derive(Debug, Clone)]
pub struct SensitiveHit {
    pub category: String,
    pub confidence: Confidence,
    pub loc: Loc,
    /// "declared `sensitive: health`" or "`medication` is in the health list".
    pub why: String,
    /// The matched term, when from a word list.
    pub term: Option<String>,
}

#[derive(Deserialize)]
struct GuessFile {
    #[allow(dead_code)]
    name: String,
    #[serde(default)]
    #[allow(dead_code)]
    description: String,
    guesses: Vec<GuessEntry>,
}

#[derive(Deserialize)]
struct GuessEntry {
    pattern: String,
    source: String,
    #[serde(default)]
    location: Option<String>,
    why: String,
}

pub struct Guess {
    re: Regex,
    pub source: Source,
    pub location: Option<Precision>,
    pub why: String,
}

/// Name patterns from `rules/patterns/names.yaml`.
pub struct NameGuesses {
    pub guesses: Vec<Guess>,
    pub errors: Vec<String>,
}

impl NameGuesses {
    pub fn builtin() -> &'static NameGuesses {
        static G: OnceLock<NameGuesses> = OnceLock::new();
        G.get_or_init(|| {
            let mut out = NameGuesses {
                guesses: Vec::new(),
                errors: Vec::new(),
            };
            let text = crate::embedded::file("patterns/names.yaml").unwrap_or("");
            match serde_saphyr::from_str::<GuessFile>(text) {
                Ok(file) => {
                    for g in file.guesses {
                        let re = Regex::new(&format!("(?i){}", g.pattern));
                        match (re, Source::parse(&g.source)) {
                            (Ok(re), Some(source)) => out.guesses.push(Guess {
                                re,
                                source,
                                location: g.location.as_deref().and_then(Precision::parse),
                                why: g.why,
                            }),
                            _ => out
                                .errors
                                .push(format!("bad guess pattern `{}`", g.pattern)),
                        }
                    }
                }
                Err(e) => out.errors.push(format!("rules/patterns/names.yaml: {e}")),
            }
            out
        })
    }

    pub fn guess(&self, id: &str) -> Option<&Guess> {
        self.guesses.iter().find(|g| g.re.is_match(id))
    }
}

impl<'a> Ctx<'a> {
    pub fn resolve<'c>(&'c self, id: &'c str) -> Resolved<'c, 'a> {
        match self.item(id) {
            Some(info) => {
                let why = match (&info.data, &info.field) {
                    (Some(_), _) => format!("declared `source: {}` here", info.source),
                    (None, Some(f)) if f.is_hidden() && f.source.is_none() => {
                        "a hidden field: filled in without the person knowing".to_string()
                    }
                    (None, Some(f)) if f.is_hidden() => {
                        format!("a hidden field with `source: {}`", info.source)
                    }
                    _ => "asked for in a form".to_string(),
                };
                Resolved {
                    id,
                    info: Some(info),
                    source: Some(info.source),
                    source_confidence: Confidence::High,
                    source_why: why,
                    source_loc: Some(info.source_loc),
                    location: self.location_of_declared(info),
                }
            }
            None => {
                let guess = self.guesses.guess(id);
                let location = guess.and_then(|g| {
                    g.location.map(|precision| LocationClass {
                        precision,
                        confidence: Confidence::Medium,
                        loc: None,
                        why: g.why.clone(),
                    })
                });
                let location = location.or_else(|| self.location_name(id, None));
                Resolved {
                    id,
                    info: None,
                    source: guess.map(|g| g.source),
                    source_confidence: Confidence::Medium,
                    source_why: guess.map_or_else(
                        || "not declared, and its name does not say".to_string(),
                        |g| format!("not declared; {}", g.why),
                    ),
                    source_loc: None,
                    location,
                }
            }
        }
    }

    /// A location-looking id (`location-names` list), for data the person did not type in.
    fn location_name(&self, id: &str, loc: Option<Loc>) -> Option<LocationClass> {
        let m = self.vocab.find("location-names", id)?;
        Some(LocationClass {
            precision: Precision::Precise,
            confidence: Confidence::Medium,
            loc,
            why: format!(
                "`{}` looks like a location: `{}` is in the location-names list",
                id, m.term.text
            ),
        })
    }

    fn location_of_declared(&self, info: &ItemInfo<'a>) -> Option<LocationClass> {
        if let Some(l) = &info.location {
            return Some(LocationClass {
                precision: l.value,
                confidence: Confidence::High,
                loc: Some(l.loc),
                why: format!("declared `location: {}` here", l.value),
            });
        }
        if let Some(s) = info
            .sensitive
            .as_ref()
            .filter(|s| s.value == Category::PreciseLocation)
        {
            return Some(LocationClass {
                precision: Precision::Precise,
                confidence: Confidence::High,
                loc: Some(s.loc),
                why: "declared `sensitive: precise-location` here".to_string(),
            });
        }
        // An address a person types to get a delivery is not a tracked position.
        if info.source == Source::Volunteered {
            return None;
        }
        self.location_name(info.id, Some(info.decl))
    }

    /// Sensitive categories of a declared item: its declaration, then its words.
    pub fn sensitive_of_item(&self, info: &ItemInfo<'_>) -> Vec<SensitiveHit> {
        let mut hits = Vec::new();
        if let Some(s) = &info.sensitive {
            hits.push(SensitiveHit {
                category: s.value.as_str().to_string(),
                confidence: Confidence::High,
                loc: s.loc,
                why: format!("declared `sensitive: {}` here", s.value),
                term: None,
            });
        }
        let mut texts = vec![(info.id.to_string(), info.decl, Confidence::Medium)];
        if let Some(f) = info.field {
            texts.extend(
                f.label
                    .iter()
                    .map(|t| (t.value.clone(), t.loc, Confidence::Medium)),
            );
        }
        if let Some(d) = info.data.and_then(|d| d.description.as_ref()) {
            texts.push((d.value.clone(), d.loc, Confidence::Low));
        }
        for (text, loc, confidence) in texts {
            for m in self.vocab.sensitive_in(&text) {
                if hits.iter().any(|h: &SensitiveHit| h.category == m.list) {
                    continue;
                }
                hits.push(SensitiveHit {
                    category: m.list.to_string(),
                    confidence,
                    loc,
                    why: format!("`{}` is in the {} list", m.term.text, m.list),
                    term: Some(m.term.text.clone()),
                });
            }
        }
        hits
    }

    /// Sensitive categories of any data id: a declared item's, or, for an undeclared
    /// one, what its name says (pointing at the reference `at`).
    pub fn sensitive_of(&self, id: &str, at: Loc) -> Vec<SensitiveHit> {
        match self.item(id) {
            Some(info) => self.sensitive_of_item(info),
            None => self
                .vocab
                .sensitive_in(id)
                .into_iter()
                .map(|m| SensitiveHit {
                    category: m.list.to_string(),
                    confidence: Confidence::Medium,
                    loc: at,
                    why: format!("`{}` is in the {} list", m.term.text, m.list),
                    term: Some(m.term.text.clone()),
                })
                .collect(),
        }
    }
}
