//! What a finding is about, independent of line numbers: the key a baseline stores
//! (with the rule, the file and an occurrence index) and SARIF fingerprints hash.
//! Baselines live in users' repositories, so the one `Display` below is a persisted
//! format: `tests/fingerprints.rs` holds today's text of every shape.

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

impl fmt::Display for TargetedBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TargetedBy::Data(id) => write!(f, "data:{id}"),
            TargetedBy::Near(place) => write!(f, "near:{place}"),
            TargetedBy::Value(v) => write!(f, "value:{v}"),
            TargetedBy::Message => f.write_str("message"),
            TargetedBy::Explanation => f.write_str("explanation"),
        }
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Subject::Form { form } => write!(f, "form:{form}"),
            Subject::Field { form, field } => write!(f, "form:{form} field:{field}"),
            Subject::FieldCategory {
                form,
                field,
                category,
            } => write!(f, "form:{form} field:{field} category:{category}"),
            Subject::Data { id } => write!(f, "data:{id}"),
            Subject::DataCategory { id, category } => write!(f, "data:{id} category:{category}"),
            Subject::Personalization { id } => write!(f, "personalization:{id}"),
            Subject::Reads {
                personalization,
                data,
            } => write!(f, "personalization:{personalization} data:{data}"),
            Subject::Uncapped { personalization } => {
                write!(f, "personalization:{personalization} uncapped")
            }
            Subject::OverCap { personalization } => {
                write!(f, "personalization:{personalization} over-cap")
            }
            Subject::Phrase {
                personalization,
                phrase,
            } => write!(f, "personalization:{personalization} phrase:{phrase}"),
            Subject::Targets {
                personalization,
                topic,
                by,
            } => write!(f, "personalization:{personalization} category:{topic} {by}"),
            Subject::Problem { message } => f.write_str(message),
            Subject::AllowWithoutReason { rules } => write!(f, "no reason: {rules}"),
            Subject::AllowWithoutRule => f.write_str("no rule"),
            Subject::AllowUnknownRule { rule } => write!(f, "unknown rule: {rule}"),
            Subject::AllowUnused { rule } => write!(f, "suppresses nothing: {rule}"),
        }
    }
}

/// A [`Subject`] as a finding keeps it for the run: its names in one text of exactly
/// their length and its shape beside them, 24 bytes instead of the enum's 48 and one
/// block instead of two (issue 14: ~33,000 findings at the 2,001-file project, every
/// one with a subject). Prints exactly as the [`Subject`] it was made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// The first name, then the second (when the shape has one).
    names: Name,
    /// Where the second name starts in `names`.
    split: u32,
    shape: Shape,
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

impl Key {
    fn one(shape: Shape, name: Name) -> Self {
        let split = u32::try_from(name.len()).unwrap_or(u32::MAX);
        Key {
            names: name,
            split,
            shape,
        }
    }

    fn two(shape: Shape, first: &str, second: &str) -> Self {
        let mut names = String::with_capacity(first.len() + second.len());
        names.push_str(first);
        names.push_str(second);
        Key {
            names: names.into_boxed_str(),
            split: u32::try_from(first.len()).unwrap_or(u32::MAX),
            shape,
        }
    }

    fn first(&self) -> &str {
        self.names.get(..self.split as usize).unwrap_or(&self.names)
    }

    fn second(&self) -> &str {
        self.names.get(self.split as usize..).unwrap_or_default()
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

/// `n` shortened, reusing its block when it is short enough.
fn short_owned(n: Name) -> Name {
    if n.len() <= crate::clip::MAX_SUBJECT_CHARS {
        return n;
    }
    Name::from(crate::clip::subject(n.into_string()))
}

impl From<Subject> for Key {
    /// Every name shortened as [`short`] says, except a targeting's `by` name (as
    /// baselines have always stored it).
    fn from(subject: Subject) -> Self {
        let one = |shape, n: Name| Key::one(shape, short_owned(n));
        let two = |shape, a: &str, b: &str| Key::two(shape, &short(a), &short(b));
        match subject {
            Subject::Form { form } => one(Shape::Form, form),
            Subject::Field { form, field } => two(Shape::Field, &form, &field),
            Subject::FieldCategory {
                form,
                field,
                category,
            } => two(Shape::FieldCategory(category), &form, &field),
            Subject::Data { id } => one(Shape::Data, id),
            Subject::DataCategory { id, category } => one(Shape::DataCategory(category), id),
            Subject::Personalization { id } => one(Shape::Personalization, id),
            Subject::Reads {
                personalization,
                data,
            } => two(Shape::Reads, &personalization, &data),
            Subject::Uncapped { personalization } => one(Shape::Uncapped, personalization),
            Subject::OverCap { personalization } => one(Shape::OverCap, personalization),
            Subject::Phrase {
                personalization,
                phrase,
            } => two(Shape::Phrase, &personalization, &phrase),
            Subject::Targets {
                personalization,
                topic,
                by,
            } => {
                let (by, name) = match by {
                    TargetedBy::Data(n) => (By::Data, Some(n)),
                    TargetedBy::Near(n) => (By::Near, Some(n)),
                    TargetedBy::Value(n) => (By::Value, Some(n)),
                    TargetedBy::Message => (By::Message, None),
                    TargetedBy::Explanation => (By::Explanation, None),
                };
                let shape = Shape::Targets(topic, by);
                match name {
                    Some(n) => Key::two(shape, &short(&personalization), &n),
                    None => one(shape, personalization),
                }
            }
            Subject::Problem { message } => one(Shape::Problem, message),
            Subject::AllowWithoutReason { rules } => one(Shape::AllowWithoutReason, rules),
            Subject::AllowWithoutRule => Key::one(Shape::AllowWithoutRule, Name::default()),
            Subject::AllowUnknownRule { rule } => one(Shape::AllowUnknownRule, rule),
            Subject::AllowUnused { rule } => one(Shape::AllowUnused, rule),
        }
    }
}

impl fmt::Display for Key {
    /// The text of the [`Subject`] the key was made from.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (a, b) = (self.first(), self.second());
        match self.shape {
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
}

impl Subject {
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
}
