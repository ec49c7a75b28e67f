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

impl Subject {
    /// The same subject with every name shortened to [`crate::clip::MAX_SUBJECT_CHARS`]:
    /// a finding keeps its subject, and a 2 MB form id must not be kept once per field.
    pub fn shortened(self) -> Self {
        let c = |n: Name| Name::from(crate::clip::subject(n.into_string()));
        match self {
            Subject::Form { form } => Subject::Form { form: c(form) },
            Subject::Field { form, field } => Subject::Field {
                form: c(form),
                field: c(field),
            },
            Subject::FieldCategory {
                form,
                field,
                category,
            } => Subject::FieldCategory {
                form: c(form),
                field: c(field),
                category,
            },
            Subject::Data { id } => Subject::Data { id: c(id) },
            Subject::DataCategory { id, category } => Subject::DataCategory {
                id: c(id),
                category,
            },
            Subject::Personalization { id } => Subject::Personalization { id: c(id) },
            Subject::Reads {
                personalization,
                data,
            } => Subject::Reads {
                personalization: c(personalization),
                data: c(data),
            },
            Subject::Uncapped { personalization } => Subject::Uncapped {
                personalization: c(personalization),
            },
            Subject::OverCap { personalization } => Subject::OverCap {
                personalization: c(personalization),
            },
            Subject::Phrase {
                personalization,
                phrase,
            } => Subject::Phrase {
                personalization: c(personalization),
                phrase: c(phrase),
            },
            Subject::Targets {
                personalization,
                topic,
                by,
            } => Subject::Targets {
                personalization: c(personalization),
                topic,
                by,
            },
            Subject::Problem { message } => Subject::Problem {
                message: c(message),
            },
            Subject::AllowWithoutReason { rules } => {
                Subject::AllowWithoutReason { rules: c(rules) }
            }
            Subject::AllowWithoutRule => Subject::AllowWithoutRule,
            Subject::AllowUnknownRule { rule } => Subject::AllowUnknownRule { rule: c(rule) },
            Subject::AllowUnused { rule } => Subject::AllowUnused { rule: c(rule) },
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
        }
    }
}
