//! What a field collects, from its `autocomplete` token: the WHATWG autofill field names
//! (table in `rules/patterns/autocomplete.yaml`), shared by the HTML and JSON Schema
//! form readers and by `autocomplete-mismatch`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::vocab::words;

#[derive(Deserialize)]
struct TableFile {
    #[allow(dead_code)]
    name: String,
    #[serde(default)]
    #[allow(dead_code)]
    description: String,
    concepts: Vec<ConceptEntry>,
    tokens: Vec<TokenEntry>,
}

#[derive(Deserialize)]
struct ConceptEntry {
    concept: String,
    #[serde(default)]
    asks: Option<String>,
    words: Vec<String>,
    #[serde(default)]
    agrees: Vec<String>,
}

#[derive(Deserialize)]
struct TokenEntry {
    token: String,
    concept: String,
    collects: String,
    #[serde(default)]
    contact: bool,
    #[serde(default)]
    agrees: Vec<String>,
}

/// One autofill field name of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldName {
    pub token: String,
    pub concept: String,
    /// "the person's first (given) name".
    pub collects: String,
    /// Takes a `home`/`work`/`mobile`/`fax`/`pager` prefix.
    pub contact: bool,
    /// Concepts a label may name without contradicting this token.
    pub agrees: Vec<String>,
}

/// A parsed `autocomplete` attribute value.
#[derive(Debug, Clone, PartialEq)]
pub enum Token<'t> {
    /// `off` or `on`: no statement about what the field collects.
    OffOn,
    /// An autofill field name, with the byte range of the field name in the value.
    Field {
        name: &'t FieldName,
        range: std::ops::Range<usize>,
    },
    /// Not a valid autofill detail token list (browsers ignore it).
    Unknown,
}

/// A phrase a label can contain, and the concept it names.
struct Phrase {
    words: Vec<String>,
    concept: usize,
}

pub struct Table {
    pub fields: Vec<FieldName>,
    by_token: BTreeMap<String, usize>,
    concepts: Vec<String>,
    concept_asks: Vec<Option<String>>,
    concept_agrees: Vec<Vec<String>>,
    /// Phrases by their first word.
    phrases: BTreeMap<String, Vec<Phrase>>,
    pub errors: Vec<String>,
}

impl Table {
    pub fn builtin() -> &'static Table {
        static T: OnceLock<Table> = OnceLock::new();
        T.get_or_init(|| Table::parse(crate::embedded::parse("patterns/autocomplete.yaml")))
    }

    fn parse(file: Result<TableFile, String>) -> Table {
        let mut table = Table {
            fields: Vec::new(),
            by_token: BTreeMap::new(),
            concepts: Vec::new(),
            concept_asks: Vec::new(),
            concept_agrees: Vec::new(),
            phrases: BTreeMap::new(),
            errors: Vec::new(),
        };
        let file = match file {
            Ok(f) => f,
            Err(e) => {
                table.errors.push(e);
                return table;
            }
        };
        for c in file.concepts {
            let index = table.concepts.len();
            for w in &c.words {
                let ws: Vec<String> = words(w).into_iter().map(|w| w.norm).collect();
                if let Some(first) = ws.first().cloned() {
                    table.phrases.entry(first).or_default().push(Phrase {
                        words: ws,
                        concept: index,
                    });
                }
            }
            table.concepts.push(c.concept);
            table.concept_asks.push(c.asks);
            table.concept_agrees.push(c.agrees);
        }
        for t in file.tokens {
            if !table.concepts.contains(&t.concept) {
                table.errors.push(format!(
                    "autocomplete token `{}`: unknown concept `{}`",
                    t.token, t.concept
                ));
            }
            table.by_token.insert(t.token.clone(), table.fields.len());
            table.fields.push(FieldName {
                token: t.token,
                concept: t.concept,
                collects: t.collects,
                contact: t.contact,
                agrees: t.agrees,
            });
        }
        table
    }

    pub fn field(&self, token: &str) -> Option<&FieldName> {
        self.by_token.get(token).and_then(|i| self.fields.get(*i))
    }

    /// Parse an `autocomplete` value: `[section-x] [shipping|billing] [home|work|mobile|fax|pager]
    /// field [webauthn]`, case-insensitively.
    pub fn parse_value<'t>(&'t self, value: &str) -> Token<'t> {
        let mut parts: Vec<(usize, &str)> = Vec::new();
        let mut offset = 0;
        for piece in value.split_inclusive(|c: char| c.is_ascii_whitespace()) {
            let word = piece.trim_end();
            if !word.is_empty() {
                parts.push((offset, word));
            }
            offset += piece.len();
        }
        let lower: Vec<String> = parts.iter().map(|(_, w)| w.to_ascii_lowercase()).collect();
        match lower.as_slice() {
            [] => return Token::Unknown,
            [one] if one == "off" || one == "on" => return Token::OffOn,
            _ => {}
        }
        let mut i = 0;
        if lower.get(i).is_some_and(|w| w.starts_with("section-")) {
            i += 1;
        }
        if lower
            .get(i)
            .is_some_and(|w| w == "shipping" || w == "billing")
        {
            i += 1;
        }
        let contact = lower
            .get(i)
            .is_some_and(|w| matches!(w.as_str(), "home" | "work" | "mobile" | "fax" | "pager"));
        if contact {
            i += 1;
        }
        let (Some(name), Some((at, raw))) = (lower.get(i), parts.get(i)) else {
            return Token::Unknown;
        };
        let rest = lower.get(i + 1..).unwrap_or_default();
        if !(rest.is_empty() || rest == ["webauthn"]) {
            return Token::Unknown;
        }
        match self.field(name) {
            Some(f) if !contact || f.contact => Token::Field {
                name: f,
                range: *at..*at + raw.len(),
            },
            _ => Token::Unknown,
        }
    }

    /// The concepts a label (or a field name) asks for, longest phrase first, with the
    /// byte range of each phrase in `text`.
    pub fn concepts_in(&self, text: &str) -> Vec<(&str, std::ops::Range<usize>)> {
        let ws = words(text);
        let mut out = Vec::new();
        let mut i = 0;
        while let Some(w) = ws.get(i) {
            let best = self
                .phrases
                .get(&w.norm)
                .into_iter()
                .flatten()
                .filter(|p| {
                    ws.get(i..i + p.words.len()).is_some_and(|window| {
                        window.iter().zip(&p.words).all(|(a, b)| a.norm == *b)
                    })
                })
                .max_by_key(|p| p.words.len());
            match best {
                Some(p) => {
                    let end = ws
                        .get(i + p.words.len() - 1)
                        .map_or(w.range.end, |l| l.range.end);
                    if let Some(c) = self.concepts.get(p.concept) {
                        out.push((c.as_str(), w.range.start..end));
                    }
                    i += p.words.len();
                }
                None => i += 1,
            }
        }
        out
    }

    /// What a concept asks for, in words: its own `asks`, else what its first token collects.
    pub fn asks(&self, concept: &str) -> String {
        let own = self
            .concepts
            .iter()
            .position(|c| c == concept)
            .and_then(|i| self.concept_asks.get(i).cloned().flatten());
        own.or_else(|| {
            self.fields
                .iter()
                .find(|f| f.concept == concept)
                .map(|f| f.collects.clone())
        })
        .unwrap_or_else(|| concept.replace('-', " "))
    }

    /// The token for what a concept asks, when one exists (`given-name` for a first name).
    pub fn token_for(&self, concept: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.concept == concept)
            .map(|f| f.token.as_str())
    }

    /// Whether a label naming `concept` agrees with the token `field`.
    pub fn agrees(&self, field: &FieldName, concept: &str) -> bool {
        field.concept == concept
            || field.agrees.iter().any(|a| a == concept)
            || self
                .concepts
                .iter()
                .position(|c| *c == concept)
                .and_then(|i| self.concept_agrees.get(i))
                .is_some_and(|a| a.contains(&field.concept))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> &'static Table {
        let t = Table::builtin();
        assert!(t.errors.is_empty(), "{:?}", t.errors);
        t
    }

    fn token(value: &str) -> Option<String> {
        match table().parse_value(value) {
            Token::Field { name, .. } => Some(name.token.clone()),
            Token::OffOn => Some("off/on".into()),
            Token::Unknown => None,
        }
    }

    #[test]
    fn every_whatwg_field_name_is_in_the_table() {
        for name in [
            "name",
            "honorific-prefix",
            "given-name",
            "additional-name",
            "family-name",
            "honorific-suffix",
            "nickname",
            "username",
            "new-password",
            "current-password",
            "one-time-code",
            "organization-title",
            "organization",
            "street-address",
            "address-line1",
            "address-line2",
            "address-line3",
            "address-level4",
            "address-level3",
            "address-level2",
            "address-level1",
            "country",
            "country-name",
            "postal-code",
            "cc-name",
            "cc-given-name",
            "cc-additional-name",
            "cc-family-name",
            "cc-number",
            "cc-exp",
            "cc-exp-month",
            "cc-exp-year",
            "cc-csc",
            "cc-type",
            "transaction-currency",
            "transaction-amount",
            "language",
            "bday",
            "bday-day",
            "bday-month",
            "bday-year",
            "sex",
            "url",
            "photo",
            "tel",
            "tel-country-code",
            "tel-national",
            "tel-area-code",
            "tel-local",
            "tel-local-prefix",
            "tel-local-suffix",
            "tel-extension",
            "email",
            "impp",
        ] {
            assert!(table().field(name).is_some(), "{name} missing");
        }
    }

    #[test]
    fn prefixes_and_case() {
        assert_eq!(
            token("shipping postal-code").as_deref(),
            Some("postal-code")
        );
        assert_eq!(
            token("section-blue billing street-address").as_deref(),
            Some("street-address")
        );
        assert_eq!(token("work email").as_deref(), Some("email"));
        assert_eq!(token("Given-Name").as_deref(), Some("given-name"));
        assert_eq!(token("username webauthn").as_deref(), Some("username"));
        assert_eq!(token("off").as_deref(), Some("off/on"));
        // `home` only goes with contact fields; `address` is not a field name.
        assert_eq!(token("home given-name"), None);
        assert_eq!(token("address"), None);
        assert_eq!(token("email tel"), None);
        assert_eq!(token(""), None);
    }

    #[test]
    fn label_concepts_longest_phrase_first() {
        let c: Vec<&str> = table()
            .concepts_in("Last name")
            .into_iter()
            .map(|c| c.0)
            .collect();
        assert_eq!(c, ["family-name"]);
        let c: Vec<&str> = table()
            .concepts_in("Email address")
            .into_iter()
            .map(|c| c.0)
            .collect();
        assert_eq!(c, ["email"]);
        let c: Vec<&str> = table()
            .concepts_in("Fecha de nacimiento")
            .into_iter()
            .map(|c| c.0)
            .collect();
        assert_eq!(c, ["bday"]);
        let c: Vec<&str> = table()
            .concepts_in("firstName")
            .into_iter()
            .map(|c| c.0)
            .collect();
        assert_eq!(c, ["given-name"]);
    }

    #[test]
    fn agreement() {
        let t = table();
        let f = |n| t.field(n).unwrap_or_else(|| panic!("{n}"));
        assert!(t.agrees(f("given-name"), "name"));
        assert!(t.agrees(f("username"), "email"));
        assert!(!t.agrees(f("family-name"), "given-name"));
        assert!(!t.agrees(f("bday"), "national-id"));
    }
}
