//! What a finding is about, independent of line numbers: the key a baseline stores
//! (with the rule, the file and an occurrence index) and SARIF fingerprints hash.
//! Baselines live in users' repositories, so the one text below (`write_subject`, the
//! `Display` of a [`Subject`] and of the [`Key`] a finding keeps) is a persisted format:
//! `tests/fingerprints.rs` holds today's text of every shape.

use std::fmt;

use crate::model::Category;

/// A name a subject holds (an id, a phrase, a rule's name): exactly its length, without
/// the spare room of a `String` (issue 14: every finding keeps its subject for the run).
pub type Name = Box<str>;

/// What a finding is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// `form:F`
    Form { form: Name },
    /// `form:F field:X`
    Field { form: Name, field: Name },
    /// `form:F field:X category:C`
    FieldCategory {
        form: Name,
        field: Name,
        category: Category,
    },
    /// `data:X`
    Data { id: Name },
    /// `data:X category:C`
    DataCategory { id: Name, category: Category },
    /// `personalization:P`
    Personalization { id: Name },
    /// `personalization:P data:X`
    Reads { personalization: Name, data: Name },
    /// `personalization:P uncapped`: outreach with no frequency cap.
    Uncapped { personalization: Name },
    /// `personalization:P over-cap`: a cap above the channel's limit.
    OverCap { personalization: Name },
    /// `personalization:P phrase:T`: a listed phrase in the message.
    Phrase { personalization: Name, phrase: Name },
    /// `personalization:P category:C WHAT`: a personalization that targets a topic.
    Targets {
        personalization: Name,
        topic: Topic,
        by: TargetedBy,
    },
    /// A problem with a file, by its message (`invalid-file`).
    Problem { message: Name },
    /// `no reason: R, S`: an allow without a reason, naming these rules.
    AllowWithoutReason { rules: Name },
    /// `no rule`: an allow that names no rule.
    AllowWithoutRule,
    /// `unknown rule: R`
    AllowUnknownRule { rule: Name },
    /// `suppresses nothing: R`
    AllowUnused { rule: Name },
}

/// What a targeting personalization singles people out by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    Category(Category),
    /// A geofence around a place in the `sensitive-places` list.
    SensitivePlace,
}

impl Topic {
    pub fn as_str(self) -> &'static str {
        match self {
            Topic::Category(c) => c.as_str(),
            Topic::SensitivePlace => "a visit to a sensitive place",
        }
    }
}

impl fmt::Display for Topic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a personalization targets a topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetedBy {
    /// `data:X`: a condition or placeholder on sensitive data.
    Data(Name),
    /// `near:P`: a geofence around a sensitive place.
    Near(Name),
    /// `value:V`: a condition value that names the topic.
    Value(Name),
    /// `message`
    Message,
    /// `explanation`
    Explanation,
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (shape, a, b) = self.parts();
        write_subject(f, shape, a, b)
    }
}

/// A subject's text, from its shape and its names: the one persisted format, written
/// alike for a [`Subject`] and for the [`Key`] a finding keeps of it.
fn write_subject(f: &mut fmt::Formatter<'_>, shape: Shape, a: &str, b: &str) -> fmt::Result {
    match shape {
        Shape::Form => write!(f, "form:{a}"),
        Shape::Field => write!(f, "form:{a} field:{b}"),
        Shape::FieldCategory(category) => write!(f, "form:{a} field:{b} category:{category}"),
        Shape::Data => write!(f, "data:{a}"),
        Shape::DataCategory(category) => write!(f, "data:{a} category:{category}"),
        Shape::Personalization => write!(f, "personalization:{a}"),
        Shape::Reads => write!(f, "personalization:{a} data:{b}"),
        Shape::Uncapped => write!(f, "personalization:{a} uncapped"),
        Shape::OverCap => write!(f, "personalization:{a} over-cap"),
        Shape::Phrase => write!(f, "personalization:{a} phrase:{b}"),
        Shape::Targets(topic, by) => {
            write!(f, "personalization:{a} category:{topic} ")?;
            match by {
                By::Data => write!(f, "data:{b}"),
                By::Near => write!(f, "near:{b}"),
                By::Value => write!(f, "value:{b}"),
                By::Message => f.write_str("message"),
                By::Explanation => f.write_str("explanation"),
            }
        }
        Shape::Problem => f.write_str(a),
        Shape::AllowWithoutReason => write!(f, "no reason: {a}"),
        Shape::AllowWithoutRule => f.write_str("no rule"),
        Shape::AllowUnknownRule => write!(f, "unknown rule: {a}"),
        Shape::AllowUnused => write!(f, "suppresses nothing: {a}"),
    }
}

/// A [`Subject`] as a finding keeps it for the run: one text of exactly its length,
/// a header that says the shape (and where the second name starts) and then the
/// names; 16 bytes instead of the enum's 48 and one block instead of two (issue 14:
/// ~33,000 findings at the 2,001-file project, every one with a subject). The header
/// is a few ASCII bytes, so the names are a `str` without checking. Prints exactly
/// as the [`Subject`] it was made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    text: Name,
}

/// A [`Subject`] without its names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Form,
    Field,
    FieldCategory(Category),
    Data,
    DataCategory(Category),
    Personalization,
    Reads,
    Uncapped,
    OverCap,
    Phrase,
    Targets(Topic, By),
    Problem,
    AllowWithoutReason,
    AllowWithoutRule,
    AllowUnknownRule,
    AllowUnused,
}

/// A [`TargetedBy`] without its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum By {
    Data,
    Near,
    Value,
    Message,
    Explanation,
}

impl Shape {
    /// The header's first bytes: the shape's number, then its category, topic or
    /// `by` (each below 128, so the header is ASCII).
    fn header(self, out: &mut String) {
        let (tag, rest): (u8, &[u8]) = match self {
            Shape::Form => (0, &[]),
            Shape::Field => (1, &[]),
            Shape::FieldCategory(c) => (2, &[c as u8]),
            Shape::Data => (3, &[]),
            Shape::DataCategory(c) => (4, &[c as u8]),
            Shape::Personalization => (5, &[]),
            Shape::Reads => (6, &[]),
            Shape::Uncapped => (7, &[]),
            Shape::OverCap => (8, &[]),
            Shape::Phrase => (9, &[]),
            Shape::Targets(topic, by) => {
                let topic = match topic {
                    Topic::SensitivePlace => 0,
                    Topic::Category(c) => 1 + c as u8,
                };
                out.push(char::from(10));
                out.push(char::from(topic));
                out.push(char::from(by as u8));
                return;
            }
            Shape::Problem => (11, &[]),
            Shape::AllowWithoutReason => (12, &[]),
            Shape::AllowWithoutRule => (13, &[]),
            Shape::AllowUnknownRule => (14, &[]),
            Shape::AllowUnused => (15, &[]),
        };
        out.push(char::from(tag));
        out.extend(rest.iter().map(|b| char::from(*b)));
    }

    /// The shape a header starts with, and the header's length so far.
    fn read(header: &[u8]) -> Option<(Shape, usize)> {
        let category = |i: usize| -> Option<Category> {
            Category::ALL.get(usize::from(*header.get(i)?)).copied()
        };
        let shape = match header.first()? {
            0 => Shape::Form,
            1 => Shape::Field,
            2 => return Some((Shape::FieldCategory(category(1)?), 2)),
            3 => Shape::Data,
            4 => return Some((Shape::DataCategory(category(1)?), 2)),
            5 => Shape::Personalization,
            6 => Shape::Reads,
            7 => Shape::Uncapped,
            8 => Shape::OverCap,
            9 => Shape::Phrase,
            10 => {
                let topic = match header.get(1)? {
                    0 => Topic::SensitivePlace,
                    n => Topic::Category(*Category::ALL.get(usize::from(*n) - 1)?),
                };
                let by = *[By::Data, By::Near, By::Value, By::Message, By::Explanation]
                    .get(usize::from(*header.get(2)?))?;
                return Some((Shape::Targets(topic, by), 3));
            }
            11 => Shape::Problem,
            12 => Shape::AllowWithoutReason,
            13 => Shape::AllowWithoutRule,
            14 => Shape::AllowUnknownRule,
            15 => Shape::AllowUnused,
            _ => return None,
        };
        Some((shape, 1))
    }

    /// Whether the shape has two names (and the header says where the second starts).
    fn two_names(self) -> bool {
        match self {
            Shape::Field | Shape::FieldCategory(_) | Shape::Reads | Shape::Phrase => true,
            Shape::Targets(_, by) => matches!(by, By::Data | By::Near | By::Value),
            _ => false,
        }
    }
}

impl Key {
    fn one(shape: Shape, name: &str) -> Self {
        let mut text = String::with_capacity(4 + name.len());
        shape.header(&mut text);
        text.push_str(name);
        Key {
            text: text.into_boxed_str(),
        }
    }

    /// `first` is a shortened name (at most 800 bytes): where the second starts is two
    /// 7-bit bytes.
    fn two(shape: Shape, first: &str, second: &str) -> Self {
        let mut text = String::with_capacity(6 + first.len() + second.len());
        shape.header(&mut text);
        let split = u16::try_from(first.len()).unwrap_or(u16::MAX).min(0x3fff);
        text.push(char::from(((split >> 7) & 0x7f) as u8));
        text.push(char::from((split & 0x7f) as u8));
        text.push_str(first);
        text.push_str(second);
        Key {
            text: text.into_boxed_str(),
        }
    }

    /// The shape and the names (the second empty when the shape has one).
    fn parts(&self) -> (Option<Shape>, &str, &str) {
        let bytes = self.text.as_bytes();
        let Some((shape, mut at)) = Shape::read(bytes) else {
            return (None, "", "");
        };
        let mut split = None;
        if shape.two_names() {
            let (hi, lo) = (bytes.get(at), bytes.get(at + 1));
            at += 2;
            split = hi
                .zip(lo)
                .map(|(h, l)| (usize::from(*h) << 7 | usize::from(*l)) + at);
        }
        let names = self.text.get(at..).unwrap_or_default();
        match split.and_then(|s| self.text.get(at..s).zip(self.text.get(s..))) {
            Some((a, b)) => (Some(shape), a, b),
            None => (Some(shape), names, ""),
        }
    }
}

/// A name shortened to [`crate::clip::MAX_SUBJECT_CHARS`]: a finding keeps its subject,
/// and a 2 MB form id must not be kept once per field.
fn short(n: &str) -> std::borrow::Cow<'_, str> {
    if n.len() <= crate::clip::MAX_SUBJECT_CHARS {
        return std::borrow::Cow::Borrowed(n);
    }
    std::borrow::Cow::Owned(crate::clip::subject(n.to_string()))
}

impl From<Subject> for Key {
    /// Every name shortened as [`short`] says, except a targeting's `by` name (as
    /// baselines have always stored it).
    fn from(subject: Subject) -> Self {
        let (shape, a, b) = subject.parts();
        let a = short(a);
        if !shape.two_names() {
            return Key::one(shape, &a);
        }
        let b = match shape {
            Shape::Targets(..) => std::borrow::Cow::Borrowed(b),
            _ => short(b),
        };
        Key::two(shape, &a, &b)
    }
}

impl fmt::Display for Key {
    /// The text of the [`Subject`] the key was made from.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.parts() {
            (Some(shape), a, b) => write_subject(f, shape, a, b),
            (None, ..) => Ok(()),
        }
    }
}

impl Subject {
    /// The subject's shape and its names, borrowed (the second empty when it has one).
    fn parts(&self) -> (Shape, &str, &str) {
        match self {
            Subject::Form { form } => (Shape::Form, form, ""),
            Subject::Field { form, field } => (Shape::Field, form, field),
            Subject::FieldCategory {
                form,
                field,
                category,
            } => (Shape::FieldCategory(*category), form, field),
            Subject::Data { id } => (Shape::Data, id, ""),
            Subject::DataCategory { id, category } => (Shape::DataCategory(*category), id, ""),
            Subject::Personalization { id } => (Shape::Personalization, id, ""),
            Subject::Reads {
                personalization,
                data,
            } => (Shape::Reads, personalization, data),
            Subject::Uncapped { personalization } => (Shape::Uncapped, personalization, ""),
            Subject::OverCap { personalization } => (Shape::OverCap, personalization, ""),
            Subject::Phrase {
                personalization,
                phrase,
            } => (Shape::Phrase, personalization, phrase),
            Subject::Targets {
                personalization,
                topic,
                by,
            } => {
                let (by, name) = match by {
                    TargetedBy::Data(n) => (By::Data, &**n),
                    TargetedBy::Near(n) => (By::Near, &**n),
                    TargetedBy::Value(n) => (By::Value, &**n),
                    TargetedBy::Message => (By::Message, ""),
                    TargetedBy::Explanation => (By::Explanation, ""),
                };
                (Shape::Targets(*topic, by), personalization, name)
            }
            Subject::Problem { message } => (Shape::Problem, message, ""),
            Subject::AllowWithoutReason { rules } => (Shape::AllowWithoutReason, rules, ""),
            Subject::AllowWithoutRule => (Shape::AllowWithoutRule, "", ""),
            Subject::AllowUnknownRule { rule } => (Shape::AllowUnknownRule, rule, ""),
            Subject::AllowUnused { rule } => (Shape::AllowUnused, rule, ""),
        }
    }

    pub fn field(form: &str, field: &str) -> Self {
        Subject::Field {
            form: form.into(),
            field: field.into(),
        }
    }
    pub fn data(id: &str) -> Self {
        Subject::Data { id: id.into() }
    }
    pub fn reads(personalization: &str, data: &str) -> Self {
        Subject::Reads {
            personalization: personalization.into(),
            data: data.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_prints_as_baselines_store_it() {
        let p = || Name::from("p");
        let cases = [
            (Subject::Form { form: "f".into() }, "form:f"),
            (Subject::field("f", "x"), "form:f field:x"),
            (
                Subject::FieldCategory {
                    form: "f".into(),
                    field: "x".into(),
                    category: Category::SexLife,
                },
                "form:f field:x category:sex-life",
            ),
            (Subject::data("d"), "data:d"),
            (
                Subject::DataCategory {
                    id: "d".into(),
                    category: Category::Health,
                },
                "data:d category:health",
            ),
            (Subject::Personalization { id: p() }, "personalization:p"),
            (Subject::reads("p", "d"), "personalization:p data:d"),
            (
                Subject::Uncapped {
                    personalization: p(),
                },
                "personalization:p uncapped",
            ),
            (
                Subject::OverCap {
                    personalization: p(),
                },
                "personalization:p over-cap",
            ),
            (
                Subject::Phrase {
                    personalization: p(),
                    phrase: "we noticed".into(),
                },
                "personalization:p phrase:we noticed",
            ),
            (
                Subject::Targets {
                    personalization: p(),
                    topic: Topic::SensitivePlace,
                    by: TargetedBy::Near("clinic".into()),
                },
                "personalization:p category:a visit to a sensitive place near:clinic",
            ),
            (
                Subject::Targets {
                    personalization: p(),
                    topic: Topic::Category(Category::Pregnancy),
                    by: TargetedBy::Explanation,
                },
                "personalization:p category:pregnancy explanation",
            ),
            (
                Subject::Problem {
                    message: "bad `x`".into(),
                },
                "bad `x`",
            ),
            (
                Subject::AllowWithoutReason {
                    rules: "a, b".into(),
                },
                "no reason: a, b",
            ),
            (Subject::AllowWithoutRule, "no rule"),
            (
                Subject::AllowUnknownRule { rule: "r".into() },
                "unknown rule: r",
            ),
            (
                Subject::AllowUnused { rule: "r".into() },
                "suppresses nothing: r",
            ),
        ];
        for (subject, text) in cases {
            assert_eq!(subject.to_string(), text);
            assert_eq!(Key::from(subject).to_string(), text);
        }
    }

    /// Every category, topic and `by` comes back out of a key's header, with names of
    /// any length (a long name is shortened, except a targeting's `by` name, as
    /// baselines have always stored them).
    #[test]
    fn keys_print_every_header() {
        // The subjects with `name` (shortened in a key) and `by` (kept whole).
        let all = |name: &str, by: &str| {
            let n = || Name::from(name);
            let mut subjects = vec![
                Subject::AllowWithoutRule,
                Subject::Problem { message: n() },
                Subject::reads(name, name),
            ];
            for category in Category::ALL.iter().copied() {
                subjects.push(Subject::FieldCategory {
                    form: n(),
                    field: n(),
                    category,
                });
                subjects.push(Subject::DataCategory { id: n(), category });
            }
            let topics = Category::ALL
                .iter()
                .map(|c| Topic::Category(*c))
                .chain([Topic::SensitivePlace]);
            for topic in topics {
                for by in [
                    TargetedBy::Data(by.into()),
                    TargetedBy::Near(by.into()),
                    TargetedBy::Value(by.into()),
                    TargetedBy::Message,
                    TargetedBy::Explanation,
                ] {
                    subjects.push(Subject::Targets {
                        personalization: n(),
                        topic,
                        by,
                    });
                }
            }
            subjects
        };
        let long = format!("start{}end", "é".repeat(300));
        let short = crate::clip::subject(long.clone());
        assert_ne!(short, long);
        for name in ["", "p", "a b"] {
            for subject in all(name, name) {
                assert_eq!(Key::from(subject.clone()).to_string(), subject.to_string());
            }
        }
        for (subject, expected) in all(&long, &long).into_iter().zip(all(&short, &long)) {
            assert_eq!(Key::from(subject).to_string(), expected.to_string());
        }
    }
}
