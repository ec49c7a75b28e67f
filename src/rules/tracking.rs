//! Patterns by which a message tells the person something about themselves that
//! they did not give (`rules/patterns/tracking.yaml`): a distance or a time measured
//! from them, what they viewed, searched, clicked or opened and how often, their
//! activity on other networks, what a model thinks of them. English and Spanish
//! words stand side by side in every row of the file.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use foldhash::fast::FixedState;
use serde::Deserialize;

use crate::vocab::{Match, Term, TermList, Token, tokens, written};

/// One concept with its words in each language.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Row {
    pub concept: String,
    pub en: Vec<String>,
    pub es: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrackingFile {
    pub name: String,
    pub description: String,
    pub quantities: Vec<Row>,
    pub distance_units: Vec<Row>,
    pub time_units: Vec<Row>,
    pub count_units: Vec<Row>,
    pub relative: Vec<Row>,
    pub presence: Vec<Row>,
    pub presence_other: Vec<Row>,
    pub place_after: Vec<Row>,
    pub watch_verbs: Vec<Row>,
    pub watch_exclude: Vec<Row>,
    pub watched_nouns: Vec<Row>,
    pub possessives: Vec<Row>,
    pub model: Vec<Row>,
    pub networks: Vec<Row>,
    pub social_nouns: Vec<Row>,
    pub social_actions: Vec<Row>,
    pub network_invitations: Vec<Row>,
    pub past_exclude: Vec<Row>,
}

impl TrackingFile {
    /// Every group of rows, by its key in the file.
    pub fn groups(&self) -> Vec<(&'static str, &[Row])> {
        vec![
            ("quantities", &self.quantities),
            ("distance_units", &self.distance_units),
            ("time_units", &self.time_units),
            ("count_units", &self.count_units),
            ("relative", &self.relative),
            ("presence", &self.presence),
            ("presence_other", &self.presence_other),
            ("place_after", &self.place_after),
            ("watch_verbs", &self.watch_verbs),
            ("watch_exclude", &self.watch_exclude),
            ("watched_nouns", &self.watched_nouns),
            ("possessives", &self.possessives),
            ("model", &self.model),
            ("networks", &self.networks),
            ("social_nouns", &self.social_nouns),
            ("social_actions", &self.social_actions),
            ("network_invitations", &self.network_invitations),
            ("past_exclude", &self.past_exclude),
        ]
    }
}

fn compile(name: &str, rows: &[Row], excludes: &[Row]) -> TermList {
    let mut l = TermList::named(name);
    for r in rows {
        for t in &r.en {
            l.add(t, "en");
        }
        for t in &r.es {
            l.add(t, "es");
        }
    }
    for r in excludes {
        for t in &r.en {
            l.add_exclusion(t, "en");
        }
        for t in &r.es {
            l.add_exclusion(t, "es");
        }
    }
    l
}

/// The compiled patterns.
pub struct Tracking {
    pub file: Option<TrackingFile>,
    pub error: Option<String>,
    quantities: TermList,
    distance: TermList,
    time: TermList,
    count: TermList,
    relative: TermList,
    presence: TermList,
    presence_other: TermList,
    place_after: TermList,
    watch: TermList,
    watched_nouns: TermList,
    possessives: TermList,
    model: TermList,
    networks: TermList,
    social_nouns: TermList,
    social_actions: TermList,
    invitations: TermList,
    past_exclude: TermList,
    /// The lists a word can start a term of, as bits (see [`Tracking::lists`]): a
    /// sentence's words are looked up once here, and a list none of them starts is not
    /// read (each word was looked up in five lists or more, issue 14).
    starts: HashMap<Box<str>, u32, FixedState>,
    /// The lists with a term that can start at any word (a one-word prefix).
    anywhere: u32,
}

/// The bits of the lists a sentence's words are looked up in (see [`Tracking::lists`]).
const QUANTITIES: u32 = 1;
const DISTANCE: u32 = 1 << 1;
const TIME: u32 = 1 << 2;
const COUNT: u32 = 1 << 3;
const RELATIVE: u32 = 1 << 4;
const PRESENCE: u32 = 1 << 5;
const PRESENCE_OTHER: u32 = 1 << 6;
const PLACE_AFTER: u32 = 1 << 7;
const WATCH: u32 = 1 << 8;
const WATCHED_NOUNS: u32 = 1 << 9;
const POSSESSIVES: u32 = 1 << 10;
const MODEL: u32 = 1 << 11;
const NETWORKS: u32 = 1 << 12;
const SOCIAL_NOUNS: u32 = 1 << 13;
const SOCIAL_ACTIONS: u32 = 1 << 14;
const INVITATIONS: u32 = 1 << 15;

/// A sentence's words with, for each, the lists a term of which can start at it.
struct Words<'s, 'w> {
    ws: &'s [Token<'w>],
    starts: Vec<u32>,
}

impl Words<'_, '_> {
    /// Whether a term of the list whose bit is `bit` can start at word `at`.
    fn may_start(&self, bit: u32, at: usize) -> bool {
        self.starts.get(at).is_some_and(|s| s & bit != 0)
    }

    /// The longest term of `list` (whose bit is `bit`) that starts at word `at`: what
    /// [`TermList::term_at`] says, without reading a list that cannot start there.
    fn term_at<'l>(&self, list: &'l TermList, bit: u32, at: usize) -> Option<&'l Term> {
        if self.may_start(bit, at) {
            list.term_at(self.ws, at)
        } else {
            None
        }
    }

    /// The matches of `list` in the sentence: [`TermList::find_in_words`], reading the
    /// list only at the words that can start one of its terms.
    fn find<'l>(&self, list: &'l TermList, bit: u32) -> Vec<Match<'l>> {
        list.find_in_words_where(self.ws, |at| self.may_start(bit, at))
    }
}

/// What a message reveals, and where.
#[derive(Debug, Clone)]
pub struct Reveal {
    pub range: Range<usize>,
    pub why: String,
}

impl Tracking {
    pub fn builtin() -> &'static Tracking {
        static T: OnceLock<Tracking> = OnceLock::new();
        T.get_or_init(
            || match crate::embedded::parse::<TrackingFile>("patterns/tracking.yaml") {
                Ok(f) => Self::new(Some(f), None),
                Err(e) => Self::new(None, Some(e)),
            },
        )
    }

    fn new(file: Option<TrackingFile>, error: Option<String>) -> Self {
        let empty: Vec<Row> = Vec::new();
        let g = |f: fn(&TrackingFile) -> &Vec<Row>| file.as_ref().map_or(&empty, f).clone();
        let mut t = Self {
            quantities: compile("quantities", &g(|f| &f.quantities), &[]),
            distance: compile("distance units", &g(|f| &f.distance_units), &[]),
            time: compile("time units", &g(|f| &f.time_units), &[]),
            count: compile("count units", &g(|f| &f.count_units), &[]),
            relative: compile("relative", &g(|f| &f.relative), &[]),
            presence: compile("presence", &g(|f| &f.presence), &[]),
            presence_other: compile("presence of others", &g(|f| &f.presence_other), &[]),
            place_after: compile("place after", &g(|f| &f.place_after), &[]),
            watch: compile(
                "watching verbs",
                &g(|f| &f.watch_verbs),
                &g(|f| &f.watch_exclude),
            ),
            watched_nouns: compile("watched activities", &g(|f| &f.watched_nouns), &[]),
            possessives: compile("possessives", &g(|f| &f.possessives), &[]),
            model: compile("model guesses", &g(|f| &f.model), &[]),
            networks: compile("networks", &g(|f| &f.networks), &[]),
            social_nouns: compile("social nouns", &g(|f| &f.social_nouns), &[]),
            social_actions: compile("social actions", &g(|f| &f.social_actions), &[]),
            invitations: compile("invitations", &g(|f| &f.network_invitations), &[]),
            past_exclude: compile("past exclude", &g(|f| &f.past_exclude), &[]),
            file,
            error,
            starts: HashMap::default(),
            anywhere: 0,
        };
        let mut starts: HashMap<Box<str>, u32, FixedState> = HashMap::default();
        let mut anywhere = 0;
        for (list, bit) in t.lists() {
            let (words, any) = list.starts();
            for w in words {
                *starts.entry(w.into()).or_default() |= bit;
            }
            if any {
                anywhere |= bit;
            }
        }
        t.starts = starts;
        t.anywhere = anywhere;
        t
    }

    /// The lists a sentence's words are looked up in, with their bits.
    fn lists(&self) -> [(&TermList, u32); 16] {
        [
            (&self.quantities, QUANTITIES),
            (&self.distance, DISTANCE),
            (&self.time, TIME),
            (&self.count, COUNT),
            (&self.relative, RELATIVE),
            (&self.presence, PRESENCE),
            (&self.presence_other, PRESENCE_OTHER),
            (&self.place_after, PLACE_AFTER),
            (&self.watch, WATCH),
            (&self.watched_nouns, WATCHED_NOUNS),
            (&self.possessives, POSSESSIVES),
            (&self.model, MODEL),
            (&self.networks, NETWORKS),
            (&self.social_nouns, SOCIAL_NOUNS),
            (&self.social_actions, SOCIAL_ACTIONS),
            (&self.invitations, INVITATIONS),
        ]
    }

    /// Everything a message reveals, in text order.
    pub fn reveals(&self, text: &str) -> Vec<Reveal> {
        let mut out = Vec::new();
        for (start, sentence) in sentences(text) {
            // Borrowed words (no copy of a lower-case word), moved to the message's offsets.
            let mut ws = tokens(sentence);
            for w in &mut ws {
                w.range = w.range.start + start..w.range.end + start;
            }
            self.in_sentence(text, &ws, &mut out);
        }
        out.sort_by_key(|r| r.range.start);
        out
    }

    fn span(ws: &[Token<'_>], from: usize, to: usize) -> Range<usize> {
        let s = ws.get(from).map_or(0, |w| w.range.start);
        let e = ws.get(to.saturating_sub(1)).map_or(s, |w| w.range.end);
        s..e
    }

    /// Whether the person did something in the past tense in this sentence: "you
    /// liked", "you've posted", "compartiste", "has publicado".
    fn second_person_past(&self, ws: &[Token<'_>]) -> bool {
        let excluded = |i: usize| self.past_exclude.term_at(ws, i).is_some();
        ws.iter().enumerate().any(|(i, w)| {
            let next = ws.get(i + 1).map_or("", |n| &*n.norm);
            let en = w.norm == "you"
                && ((next.len() >= 5 && next.ends_with("ed") && !excluded(i + 1))
                    || next == "ve"
                    || next == "have");
            let es_simple = w.norm.len() >= 6
                && (w.norm.ends_with("aste") || w.norm.ends_with("iste"))
                && !excluded(i);
            let es_perfect = w.norm == "has"
                && (next.ends_with("ado") || next.ends_with("ido"))
                && next.len() > 4;
            en || es_simple || es_perfect
        })
    }

    /// What one sentence reveals; `ws` are its words with their ranges in `text`, the
    /// whole message, whose words are quoted as written.
    fn in_sentence(&self, text: &str, ws: &[Token<'_>], out: &mut Vec<Reveal>) {
        let words = Words {
            ws,
            starts: ws
                .iter()
                .map(|w| self.starts.get(&*w.norm).copied().unwrap_or(0) | self.anywhere)
                .collect(),
        };
        // A distance or a time measured from the person, or a count of what they did.
        for i in 0..ws.len() {
            let qty = match ws.get(i) {
                Some(w) if w.norm.chars().all(|c| c.is_ascii_digit()) => 1,
                _ => match words.term_at(&self.quantities, QUANTITIES, i) {
                    Some(t) => t.len(),
                    None => continue,
                },
            };
            let u = i + qty;
            let (unit, kind) = if let Some(t) = words.term_at(&self.distance, DISTANCE, u) {
                (t.len(), "distance")
            } else if let Some(t) = words.term_at(&self.time, TIME, u) {
                (t.len(), "time")
            } else if let Some(t) = words.term_at(&self.count, COUNT, u) {
                (t.len(), "count")
            } else {
                continue;
            };
            let end = u + unit;
            let quantity = Self::span(ws, i, end);
            if kind == "count" {
                if self.second_person_past(ws) {
                    out.push(Reveal {
                        range: quantity,
                        why: "says how many times the person did something".into(),
                    });
                }
                continue;
            }
            let relative = words
                .term_at(&self.relative, RELATIVE, end)
                .map(|t| end + t.len());
            let before = |list: &TermList, bit: u32| {
                (i.saturating_sub(3)..i).find_map(|j| {
                    words
                        .term_at(list, bit, j)
                        .filter(|t| j + t.len() <= i && i - (j + t.len()) <= 1)
                        .map(|_| j)
                })
            };
            let to_a_place = words.term_at(&self.place_after, PLACE_AFTER, end).is_some();
            let presence = before(&self.presence, PRESENCE)
                .or_else(|| before(&self.presence_other, PRESENCE_OTHER).filter(|_| !to_a_place));
            if let Some(to) = relative {
                out.push(Reveal {
                    range: Self::span(ws, i, to),
                    why: format!("a {kind} measured from the person: where they are"),
                });
            } else if let Some(from) = presence {
                out.push(Reveal {
                    range: Self::span(ws, from, end),
                    why: if kind == "distance" {
                        "a distance from where the person is right now".into()
                    } else {
                        "a time measured from where the person is, or how long they spent".into()
                    },
                });
            }
        }
        // Second person verbs of watching, and what a model concluded.
        for (list, bit, why) in [
            (&self.watch, WATCH, "says what the person was seen doing"),
            (
                &self.model,
                MODEL,
                "says what was concluded about the person",
            ),
        ] {
            for m in words.find(list, bit) {
                out.push(Reveal {
                    range: m.range.clone(),
                    why: format!("`{}` {why}", m.written(text)),
                });
            }
        }
        // "your searches", "tu búsqueda".
        for i in 0..ws.len() {
            if words.term_at(&self.possessives, POSSESSIVES, i).is_some()
                && let Some(t) = words.term_at(&self.watched_nouns, WATCHED_NOUNS, i + 1)
            {
                let noun = Self::span(ws, i + 1, i + 1 + t.len());
                out.push(Reveal {
                    range: Self::span(ws, i, i + 1 + t.len()),
                    why: format!(
                        "`{}` is the person's watched activity",
                        written(text, noun).unwrap_or_else(|| t.text.to_string())
                    ),
                });
            }
        }
        // A named network or other site with the person's activity there.
        let network = words.find(&self.networks, NETWORKS).into_iter().next();
        if let Some(n) = network
            && words.find(&self.invitations, INVITATIONS).is_empty()
        {
            let social = (0..ws.len()).any(|i| {
                words.term_at(&self.possessives, POSSESSIVES, i).is_some()
                    && words
                        .term_at(&self.social_nouns, SOCIAL_NOUNS, i + 1)
                        .is_some()
            });
            if social
                || !words.find(&self.social_actions, SOCIAL_ACTIONS).is_empty()
                || self.second_person_past(ws)
            {
                out.push(Reveal {
                    range: n.range.clone(),
                    why: format!("tells the person what they did on `{}`", n.written(text)),
                });
            }
        }
    }
}

/// Sentences of a text with their byte offsets: split at `.`, `!`, `?`, `¡`, `¿`,
/// `;` and line breaks (a `.` inside a number such as `2.5` does not split).
pub fn sentences(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    // Byte by byte: every character that splits is ASCII or starts with a byte of its
    // own (no copy of the text's characters).
    for (i, c) in text.char_indices() {
        let split = match c {
            '!' | '?' | '¡' | '¿' | ';' | '\n' => true,
            '.' => !text
                .as_bytes()
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_digit()),
            _ => false,
        };
        if split {
            if let Some(s) = text.get(start..i) {
                out.push((start, s));
            }
            start = i + c.len_utf8();
        }
    }
    if let Some(s) = text.get(start..) {
        out.push((start, s));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_on_punctuation_but_not_inside_numbers() {
        let s: Vec<&str> = sentences("¿Estás a 2.5 km? Pásate. Hoy")
            .into_iter()
            .map(|(_, s)| s)
            .collect();
        assert_eq!(s, ["", "Estás a 2.5 km", " Pásate", " Hoy"]);
    }

    #[test]
    fn a_distance_is_measured_from_the_person_or_from_a_place() {
        let t = Tracking::builtin();
        assert!(t.error.is_none(), "{:?}", t.error);
        assert!(
            !t.reveals("A runner you follow is 400 m away now")
                .is_empty()
        );
        assert!(!t.reveals("Estás a 5 minutos de la tienda").is_empty());
        assert!(t.reveals("La tienda está a 2 km de la estación").is_empty());
        assert!(
            t.reveals("Your order arrives in about 20 minutes")
                .is_empty()
        );
        assert!(
            t.reveals("You are 200 points away from a free coffee")
                .is_empty()
        );
    }

    #[test]
    fn networks_need_the_persons_activity_there() {
        let t = Tracking::builtin();
        assert!(
            !t.reveals("Because you liked a bakery's page on Instagram")
                .is_empty()
        );
        assert!(!t.reveals("A tus amigos de Facebook les encanta").is_empty());
        assert!(
            t.reveals("Follow us on Instagram for behind-the-scenes photos")
                .is_empty()
        );
    }
}
