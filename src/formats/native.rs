//! The native `kind: form | data | personalization` documents, read from the spanned
//! tree into the model. Validation is the schema's job; this reads leniently what is
//! there, so one bad value does not hide the rest of the file from the rules.

use std::path::Path;
use std::sync::OnceLock;

use regex::Regex;

pub(crate) use super::tree::last_end;
use super::tree::{self, Key, Node, Value};
use super::{FileModel, FileRead, Problem};
use crate::model::{
    At, Category, Channel, ChannelHow, ChannelInfo, Condition, DataDecl, DataExtra, Field,
    FieldExtra, FieldKind, FieldLists, FieldOption, FieldType, Form, Frequency, Logic, Near, Owner,
    Personalization, Placeholder, Precision, Purpose, Scalar, Source, Test, Text, Use,
};
use crate::source::{FileId, Language, Loc, SourceFile, Span};
use crate::suggest::edit_distance;
use crate::suppress::{self, Allow, CommentSyntax};

/// The kinds of native document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Form,
    Data,
    Personalization,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Form, Kind::Data, Kind::Personalization];

    /// The name written after `kind:`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Form => "form",
            Kind::Data => "data",
            Kind::Personalization => "personalization",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The kind a `kind` value names (`true`) or nearly names (`false`, a typo).
    pub fn classify(got: &str) -> Option<(Kind, bool)> {
        if let Some(k) = Kind::parse(got) {
            return Some((k, true));
        }
        let lower = got.to_lowercase();
        Kind::ALL
            .into_iter()
            .map(|k| (edit_distance(&lower, k.as_str()), k))
            .filter(|(d, _)| *d <= 2)
            .min()
            .map(|(_, k)| (k, false))
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a document's `kind` says about it.
#[derive(Debug, PartialEq)]
pub enum Detected<'a> {
    Native(Kind),
    /// A typo of a native kind: an error, so a typo never leaves a file unchecked.
    NearMiss {
        got: &'a str,
        meant: Kind,
        span: Span,
    },
    NotOurs,
}

/// The name of the native kind a `kind` value names or nearly names.
pub fn classify_kind(got: &str) -> Option<(&'static str, bool)> {
    Kind::classify(got).map(|(k, exact)| (k.as_str(), exact))
}

pub fn detect(doc: &Node) -> Detected<'_> {
    let Some(kind) = doc.get("kind") else {
        return Detected::NotOurs;
    };
    let Some(got) = kind.as_str() else {
        return Detected::NotOurs;
    };
    match Kind::classify(got) {
        Some((k, true)) => Detected::Native(k),
        Some((meant, false)) => Detected::NearMiss {
            got,
            meant,
            span: kind.span,
        },
        None => Detected::NotOurs,
    }
}

/// A `kind:` line naming a native kind or a near miss, found in raw text: used to decide
/// whether a file that cannot be parsed is creeplint's (report it) or not (skip it).
fn kind_line(text: &str) -> Option<Span> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let re = RE
        .get_or_init(|| {
            Regex::new(r#"(?m)(?:^|[\s{,])["']?kind["']?[ \t]*:[ \t]*["']?([A-Za-z_-]+)"#).ok()
        })
        .as_ref()?;
    re.captures_iter(text).find_map(|c| {
        let m = c.get(1)?;
        Kind::classify(m.as_str()).map(|_| Span::new(m.start(), m.len()))
    })
}

fn is_json(path: &Path, text: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || text.trim_start().starts_with('{')
}

/// creeplint's own format: YAML or JSON documents with `kind: form | data |
/// personalization`. It reads any YAML or JSON file it is given and skips the documents
/// that are not its own, so it is the last reader of those extensions.
pub struct NativeReader;

impl super::Reader for NativeReader {
    fn name(&self) -> &'static str {
        "native"
    }

    fn extensions(&self) -> &'static [&'static str] {
        &["yaml", "yml", "json"]
    }

    fn sniff(&self, _path: &Path, _text: &str) -> bool {
        true
    }

    fn marker(&self, text: &str) -> Option<Span> {
        kind_line(text)
    }

    fn read(&self, source: &SourceFile, file: FileId) -> FileRead {
        let at = |span| Loc { file, span };
        let json = is_json(&source.path, &source.text);
        let mut out = FileRead {
            language: if json { Language::Json } else { Language::Yaml },
            ..FileRead::default()
        };
        let mut entries = Vec::new();
        for doc in tree::parse(&source.text, json) {
            let node = match doc.result {
                Ok(node) => node,
                Err(e) => {
                    let doc_text = source.slice(doc.span).unwrap_or("");
                    if kind_line(doc_text).is_some() {
                        out.documents += 1;
                        out.problems.push(
                            Problem::new(
                                at(e.span),
                                format!("{} {}", if json { "JSON" } else { "YAML" }, e.message),
                            )
                            .help(e.help.unwrap_or_else(|| {
                                "fix the syntax; the other files are still checked".to_string()
                            })),
                        );
                    }
                    continue;
                }
            };
            match detect(&node) {
                Detected::NotOurs => {}
                Detected::NearMiss { got, meant, span } => {
                    out.documents += 1;
                    out.problems.push(
                        Problem::new(at(span), format!("unknown kind `{got}`: did you mean `{meant}`?"))
                            .help(format!(
                                "creeplint reads `kind: form`, `kind: data` and `kind: personalization`; write `kind: {meant}` so this file is checked"
                            )),
                    );
                }
                Detected::Native(kind) => {
                    out.documents += 1;
                    out.problems
                        .extend(super::schema::validate(kind, &node, file));
                    let mut reader = DocReader {
                        file,
                        text: &source.text,
                        problems: Vec::new(),
                        allows: Vec::new(),
                        scope: None,
                        owners: Vec::new(),
                    };
                    reader.read(kind, &node, &mut out.model);
                    out.problems.extend(reader.problems);
                    out.model.owners.extend(reader.owners);
                    entries.extend(reader.allows);
                }
            }
        }
        // Comments only in YAML files that hold a document of ours: JSON has none, and a
        // workflow or a README quoting an allow is not ours.
        if out.documents > 0 && !json {
            out.allows =
                suppress::comments(source, file, &out.model.item_spans(), CommentSyntax::Hash);
        }
        out.allows.extend(entries);
        out
    }
}

/// Reads one native document of a known kind into `out`.
struct DocReader<'a> {
    file: FileId,
    text: &'a str,
    problems: Vec<Problem>,
    allows: Vec<Allow>,
    /// The `x-owner` of the document (or form) being read: the owner of every item in it
    /// that names none.
    scope: Option<Text>,
    owners: Vec<Owner>,
}

impl DocReader<'_> {
    /// Record who answers for `item`: its own `x-owner`, else the enclosing one.
    fn own(&mut self, node: &Node, item: Loc) {
        let name = self
            .text(node.get("x-owner"))
            .filter(|t| !t.is_blank())
            .or_else(|| self.scope.clone());
        if let Some(name) = name {
            self.owners.push(Owner { name, item });
        }
    }

    fn loc(&self, span: Span) -> Loc {
        Loc {
            file: self.file,
            span,
        }
    }

    /// A `matches:` pattern that is not a valid regular expression is an
    /// `invalid-file` problem, at the pattern inside its quotes.
    fn check_regex(&mut self, pattern: &Text, node_span: Span) {
        let Err(e) = regex::Regex::new(&pattern.value) else {
            return;
        };
        let span = match pattern.verbatim_at() {
            Some(at) => Span::new(at, pattern.value.len()),
            None => node_span,
        };
        let reason = e
            .to_string()
            .lines()
            .rev()
            .find(|l| l.starts_with("error:"))
            .map_or_else(
                || e.to_string(),
                |l| l.trim_start_matches("error:").trim().to_string(),
            );
        self.problems.push(
            Problem::new(
                self.loc(span),
                format!("`{}` is not a valid regular expression: {reason}", pattern.value),
            )
            .help("fix the pattern (Rust regex syntax); escape `.`, `(` and `[` to match them literally"),
        );
    }

    fn text(&self, node: Option<&Node>) -> Option<Text> {
        super::node_text(node?, self.text, self.file)
    }

    fn vocab<T: Copy>(&self, node: Option<&Node>, parse: fn(&str) -> Option<T>) -> Option<At<T>> {
        let node = node?;
        let value = parse(node.as_str()?)?;
        Some(At {
            value,
            loc: self.loc(node.span),
        })
    }

    /// A `uses` list with a value that is no use (the schema's problem) is read as no
    /// list at all: rules that compare uses leave undeclared ones alone, where a list
    /// missing the misspelt use would give a second finding for the same mistake.
    fn uses(&self, node: Option<&Node>) -> Vec<At<Use>> {
        node.and_then(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .map(|n| self.vocab(Some(n), Use::parse))
            .collect::<Option<Vec<_>>>()
            .unwrap_or_default()
    }

    fn uses_loc(&self, item: &Node) -> Option<Loc> {
        item.entry("uses").map(|(k, v)| {
            let mut end = last_end(v).max(k.span.end());
            // A flow list reports only its opening bracket: take in the closing one.
            if let Some(rest) = self.text.get(end..) {
                let trimmed = rest.trim_start_matches([' ', '\t']);
                if trimmed.starts_with(']') {
                    end += rest.len() - trimmed.len() + 1;
                }
            }
            self.loc(Span::new(k.span.start(), end - k.span.start()))
        })
    }

    fn scalar(&self, node: &Node) -> At<Scalar> {
        super::scalar(node, self.file)
    }

    /// A whole item: from its first key to the end of its last value. Reading an
    /// item's span is also where its `x-creeplint-allow` entries are collected.
    fn item_loc(&mut self, node: &Node) -> Loc {
        let start = node.head_span().start();
        let end = last_end(node).max(start);
        let item = self.loc(Span::new(start, end - start));
        self.allows_of(node, item);
        item
    }

    fn allows_of(&mut self, node: &Node, item: Loc) {
        self.allows
            .extend(super::allow_entries(node, item, self.text, self.file));
    }

    fn read(&mut self, kind: Kind, doc: &Node, out: &mut FileModel) {
        self.scope = self.text(doc.get("x-owner")).filter(|t| !t.is_blank());
        match kind {
            Kind::Form => {
                if let Some(f) = self.form(doc) {
                    out.forms.push(f);
                }
            }
            Kind::Data => {
                // A document-level allow covers the whole document.
                self.item_loc(doc);
                for item in doc.get("items").and_then(Node::as_seq).unwrap_or_default() {
                    if let Some(d) = self.data_item(item) {
                        out.data.push(d);
                    }
                }
            }
            Kind::Personalization => {
                self.item_loc(doc);
                for p in doc
                    .get("personalizations")
                    .and_then(Node::as_seq)
                    .unwrap_or_default()
                {
                    if let Some(p) = self.personalization(p) {
                        out.personalizations.push(p);
                    }
                }
            }
        }
    }

    fn purpose(&self, node: Option<&Node>) -> Purpose {
        match self.text(node) {
            Some(text) => Purpose::Stated {
                key: &"purpose",
                text,
            },
            None => Purpose::Missing { key: &"purpose" },
        }
    }

    fn form(&mut self, doc: &Node) -> Option<Form> {
        let id = self.text(doc.get("id"))?;
        let fields = doc
            .get("fields")
            .and_then(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(|f| self.field(f))
            .collect();
        let item = self.item_loc(doc);
        self.own(doc, item);
        Some(Form {
            id,
            title: self.text(doc.get("title")),
            purpose: self.purpose(doc.get("purpose")),
            uses: self.uses(doc.get("uses")),
            fields,
            item,
        })
    }

    fn field(&mut self, node: &Node) -> Option<Field> {
        let id = self.text(node.get("id"))?;
        let type_node = node.get("type");
        let field_type = self.vocab(type_node, field_type).unwrap_or(At {
            value: FieldType::Text,
            loc: id.loc,
        });
        let options = node
            .get("options")
            .and_then(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(|o| match &o.value {
                Value::Map(_) => Some(FieldOption {
                    value: self.text(o.get("value"))?,
                    label: self.text(o.get("label")).map(Box::new),
                }),
                _ => Some(FieldOption {
                    value: self.text(Some(o))?,
                    label: None,
                }),
            })
            .collect();
        let item = self.item_loc(node);
        self.own(node, item);
        Some(Field {
            id,
            label: self.text(node.get("label")),
            kind: FieldKind::new(
                field_type,
                type_node.is_some(),
                node.get("required").and_then(|r| {
                    Some(At {
                        value: r.as_bool()?,
                        loc: self.loc(r.span),
                    })
                }),
            ),
            purpose: self.purpose(node.get("purpose")),
            retention: self.text(node.get("retention")),
            extra: FieldExtra {
                default: node.get("default").map(|d| self.scalar(d)),
                sensitive: self.vocab(node.get("sensitive"), Category::parse),
                source: self.vocab(node.get("source"), Source::parse),
                help: self.text(node.get("help")),
                autocomplete: None,
            }
            .boxed(),
            lists: FieldLists {
                uses: self.uses(node.get("uses")).into(),
                uses_loc: self.uses_loc(node),
                options,
            }
            .boxed(),
            item,
        })
    }

    fn data_item(&mut self, node: &Node) -> Option<DataDecl> {
        let id = self.text(node.get("id"))?;
        // A missing or unknown source is the schema's problem; the item stays declared
        // (or the data it names would be reported as undeclared and unused too), and
        // counts as volunteered, the source that claims least, until it is fixed.
        let source_node = node.get("source");
        let source = self
            .vocab(source_node, Source::parse)
            .unwrap_or_else(|| At {
                value: Source::Volunteered,
                loc: source_node.map_or(id.loc, |n| self.loc(n.span)),
            });
        let item = self.item_loc(node);
        self.own(node, item);
        Some(DataDecl {
            id,
            source,
            description: self.text(node.get("description")),
            uses: self.uses(node.get("uses")),
            uses_loc: self.uses_loc(node),
            sensitive: self.vocab(node.get("sensitive"), Category::parse),
            retention: self.text(node.get("retention")),
            item,
            used_elsewhere: false,
            extra: DataExtra {
                location: self.vocab(node.get("location"), Precision::parse),
                ..DataExtra::default()
            }
            .boxed(),
        })
    }

    fn personalization(&mut self, node: &Node) -> Option<Personalization> {
        let id = self.text(node.get("id"))?;
        // A missing or unknown channel is the schema's problem: the personalization is
        // still read (it reads data), with no channel to judge.
        let channel = self
            .vocab(node.get("channel"), Channel::parse)
            .map(|channel| ChannelInfo {
                value: channel.value,
                loc: channel.loc,
                how: ChannelHow::Declared,
            });
        let mut unreadable = Vec::new();
        let when: Vec<Condition> = node
            .get("when")
            .and_then(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(|c| self.condition(c))
            .collect();
        let message = self.text(node.get("message"));
        let explanation = self.text(node.get("explanation"));
        let placeholders = placeholders_of(message.as_ref(), explanation.as_ref());
        let frequency = node.get("frequency").and_then(|f| {
            let value = f.as_str().and_then(Frequency::parse);
            if value.is_none() {
                unreadable.push("frequency");
            }
            Some(At {
                value: value?,
                loc: self.loc(f.span),
            })
        });
        let item = self.item_loc(node);
        self.own(node, item);
        Some(Personalization {
            id,
            description: self.text(node.get("description")).map(Box::new),
            use_: self.vocab(node.get("use"), Use::parse),
            logic: Logic::Every.into(),
            when: when.into_boxed_slice(),
            channel,
            message,
            explanation: explanation.map(Box::new),
            frequency,
            placeholders,
            item,
            unreadable: unreadable.into(),
        })
    }

    fn condition(&mut self, node: &Node) -> Option<Condition> {
        let data = self.text(node.get("data"))?;
        let map = node.as_map().unwrap_or_default();
        let tests: Vec<(&Key, &Node)> = map
            .iter()
            .filter(|(k, _)| CONDITION_TESTS.contains(&k.text.as_str()))
            .map(|(k, v)| (k, v))
            .collect();
        let item = self.item_loc(node);
        if let Some((extra, _)) = tests.get(1) {
            self.problems.push(
                Problem::new(
                    self.loc(extra.span),
                    format!(
                        "a condition has exactly one test, and this one also has `{}`",
                        tests.first().map_or("", |(k, _)| k.text.as_str())
                    ),
                )
                .help("split it into two conditions: all conditions must hold"),
            );
        }
        let within = node.entry("within");
        // A test that cannot be read still leaves a condition that reads its data (or
        // the data would be reported as unused too): it counts as `exists: true`.
        let exists = |loc: Loc| Test::Exists(At { value: true, loc });
        let Some(&(key, value)) = tests.first() else {
            // A misspelt test (`equal:`) is already an unknown key with a did-you-mean.
            let misspelt = map.iter().any(|(k, _)| {
                !k.text.starts_with("x-") && !matches!(k.text.as_str(), "data" | "within")
            });
            if !misspelt {
                self.problems.push(
                    Problem::new(data.loc, format!("the condition on `{}` has no test", data.value)).help(
                        "add one of `equals`, `not_equals`, `in`, `not_in`, `contains`, `matches`, `gt`, `lt`, `exists`, `near`, `trigger`",
                    ),
                );
            }
            let at = data.loc;
            return Some(Condition::new(data, exists(at), at, item));
        };
        if key.text != "near"
            && let Some((wk, _)) = within
        {
            self.problems.push(
                Problem::new(self.loc(wk.span), "`within` only goes with `near`")
                    .help("add `near: PLACE` or remove `within`"),
            );
        }
        let test_loc = self.loc(Span::new(
            key.span.start(),
            value.span.end().max(key.span.end()) - key.span.start(),
        ));
        let seq = |r: &Self| -> Vec<At<Scalar>> {
            value
                .as_seq()
                .unwrap_or_default()
                .iter()
                .map(|v| r.scalar(v))
                .collect()
        };
        let num = |r: &Self| -> Option<At<f64>> {
            Some(At {
                value: value.as_f64()?,
                loc: r.loc(value.span),
            })
        };
        let test = match key.text.as_str() {
            "equals" => Some(Test::Equals(self.scalar(value))),
            "not_equals" => Some(Test::NotEquals(self.scalar(value))),
            "in" => Some(Test::In(seq(self))),
            "not_in" => Some(Test::NotIn(seq(self))),
            "contains" => Some(Test::Contains(self.scalar(value))),
            "matches" => self.text(Some(value)).map(|pattern| {
                self.check_regex(&pattern, value.span);
                Test::Matches(pattern)
            }),
            "gt" => num(self).map(Test::Gt),
            "lt" => num(self).map(Test::Lt),
            "exists" => value.as_bool().map(|b| {
                Test::Exists(At {
                    value: b,
                    loc: self.loc(value.span),
                })
            }),
            "near" => self.text(Some(value)).map(|place| {
                Test::Near(Box::new(Near {
                    place,
                    within: within.and_then(|(_, w)| {
                        Some(At {
                            value: parse_distance(w.as_str()?)?,
                            loc: self.loc(w.span),
                        })
                    }),
                }))
            }),
            "trigger" => self.text(Some(value)).map(Test::Trigger),
            _ => None,
        };
        Some(Condition::new(
            data,
            test.unwrap_or_else(|| exists(self.loc(value.span))),
            test_loc,
            item,
        ))
    }
}

/// The keys of a condition that are its test: exactly one of them is written (the
/// schema's `oneOf` says the same).
pub const CONDITION_TESTS: [&str; 11] = [
    "equals",
    "not_equals",
    "in",
    "not_in",
    "contains",
    "matches",
    "gt",
    "lt",
    "exists",
    "near",
    "trigger",
];

/// The native `type:` names, mapped onto the format-neutral field types.
pub(crate) fn field_type(name: &str) -> Option<FieldType> {
    Some(match name {
        "text" => FieldType::Text,
        "textarea" => FieldType::LongText,
        "email" => FieldType::Email,
        "tel" => FieldType::Phone,
        "number" => FieldType::Number,
        "date" => FieldType::Date,
        "select" | "radio" => FieldType::Choice,
        "multiselect" => FieldType::MultiChoice,
        "checkbox" => FieldType::Boolean,
        "file" => FieldType::File,
        "url" => FieldType::Url,
        "password" => FieldType::Secret,
        "hidden" => FieldType::Hidden,
        "location" => FieldType::Location,
        _ => return None,
    })
}

/// A distance like `200m`, `1.5 km`, `1850ft`, `1mi`, in metres.
pub fn parse_distance(s: &str) -> Option<f64> {
    let s = s.trim();
    let split = s.find(|c: char| c.is_alphabetic())?;
    let (n, unit) = s.split_at(split);
    let n: f64 = n.trim().parse().ok()?;
    let factor = match unit.trim() {
        "m" => 1.0,
        "km" => 1000.0,
        "ft" => 0.3048,
        "mi" => 1609.344,
        _ => return None,
    };
    Some(n * factor)
}

/// The `{{placeholders}}` of a personalization's message, then of its explanation, in
/// source order: with its conditions' data, every data reference it makes
/// ([`Personalization::refs`]). Every reader of personalizations finds them through this
/// one function.
pub fn placeholders_of(message: Option<&Text>, explanation: Option<&Text>) -> Box<[Placeholder]> {
    let mut out: Vec<Placeholder> = Vec::new();
    for (text, in_explanation) in [(message, false), (explanation, true)] {
        if let Some(t) = text {
            out.extend(
                placeholder_ranges(t)
                    .filter_map(|(id, loc)| Placeholder::new(id, loc, in_explanation)),
            );
        }
    }
    out.into_boxed_slice()
}

/// `{{ data.id }}` placeholders of a message, with the span of each id.
pub fn placeholders(text: &Text) -> Vec<(String, Loc)> {
    placeholder_ranges(text)
        .filter_map(|(range, loc)| Some((text.value.get(range)?.to_string(), loc)))
        .collect()
}

/// `{{ data.id }}` placeholders of a message: the byte range of each id in the value,
/// and its span in the file.
fn placeholder_ranges(text: &Text) -> impl Iterator<Item = (std::ops::Range<usize>, Loc)> + '_ {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let re = RE
        .get_or_init(|| Regex::new(r"\{\{\s*([^{}\s]+)\s*\}\}").ok())
        .as_ref();
    // The whole matches, found without captures (which cost four times as much, issue
    // 14): the name is what lies between the braces less the white space around it, as
    // it has neither braces nor white space (`\s` and `char::is_whitespace` are both
    // Unicode's White_Space).
    re.into_iter()
        .flat_map(|re| re.find_iter(&text.value))
        .filter_map(|m| {
            let inner = m.as_str().get(2..m.as_str().len().checked_sub(2)?)?;
            let name = inner.trim_matches(char::is_whitespace);
            let start =
                m.start() + 2 + (inner.len() - inner.trim_start_matches(char::is_whitespace).len());
            let range = start..start + name.len();
            Some((range.clone(), text.sub_loc(range)))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A personalization's references are its conditions' data, then the placeholders
    /// of its message, then of its explanation, each where it is written; a native
    /// personalization's conditions must all hold, and a `near` test keeps its place
    /// and distance.
    #[test]
    fn references_come_from_conditions_then_placeholders() {
        use crate::model::RefKind;
        let text = concat!(
            "kind: personalization\n",
            "personalizations:\n",
            "  - id: p\n",
            "    use: marketing\n",
            "    channel: email\n",
            "    when:\n",
            "      - data: cart_total\n",
            "        gt: 50\n",
            "      - data: geo\n",
            "        near: stores\n",
            "        within: 200m\n",
            "    message: \"Hi {{ first_name }}, {{cart_total}}\"\n",
            "    explanation: \"Because of {{city}}\"\n",
        );
        let registry = super::super::Registry::builtin();
        let read = super::super::read_text("p.yaml".into(), text.to_string(), FileId(0), &registry);
        let Some(p) = read.read.model.personalizations.first() else {
            panic!("no personalization: {:?}", read.read.problems);
        };
        let at = |span: Span| text.get(span.start()..span.end()).unwrap_or_default();
        let refs: Vec<(&str, &str, RefKind)> =
            p.refs().map(|r| (r.id, at(r.loc.span), r.kind)).collect();
        assert_eq!(
            refs,
            [
                ("cart_total", "cart_total", RefKind::Condition(0)),
                ("geo", "geo", RefKind::Condition(1)),
                ("first_name", "first_name", RefKind::Message),
                ("cart_total", "cart_total", RefKind::Message),
                ("city", "city", RefKind::Explanation),
            ]
        );
        assert_eq!(p.logic, Logic::Every);
        let Some(Test::Near(near)) = p.when.get(1).map(|c| &c.test) else {
            panic!("{:?}", p.when);
        };
        assert_eq!(near.place.as_str(), "stores");
        assert_eq!(near.within.as_ref().map(|w| w.value), Some(200.0));
    }

    proptest::proptest! {
        /// The placeholders found from the whole matches are those the pattern's group
        /// captures: the same names at the same places, with white space of every kind
        /// around them, braces, and text that is not a placeholder.
        #[test]
        fn placeholders_are_the_captured_names(
            value in "[a-z_{} \t\u{a0}\u{2003}.]{0,40}"
        ) {
            let text = Text::new(value.as_str(), Loc {
                file: crate::source::FileId(0),
                span: crate::source::Span::new(0, value.len()),
            });
            let re = Regex::new(r"\{\{\s*([^{}\s]+)\s*\}\}").unwrap_or_else(|e| panic!("{e}"));
            let captured: Vec<(String, Loc)> = re
                .captures_iter(&value)
                .filter_map(|c| {
                    let m = c.get(1)?;
                    Some((m.as_str().to_string(), text.sub_loc(m.range())))
                })
                .collect();
            proptest::prop_assert_eq!(placeholders(&text), captured);
        }
    }

    #[test]
    fn near_misses_of_kinds() {
        assert_eq!(classify_kind("form"), Some(("form", true)));
        assert_eq!(classify_kind("Form"), Some(("form", false)));
        assert_eq!(classify_kind("forms"), Some(("form", false)));
        assert_eq!(classify_kind("from"), Some(("form", false)));
        assert_eq!(
            classify_kind("personalisation"),
            Some(("personalization", false))
        );
        assert_eq!(classify_kind("Deployment"), None);
        assert_eq!(classify_kind("Job"), None);
    }

    #[test]
    fn distances() {
        assert_eq!(parse_distance("200m"), Some(200.0));
        assert_eq!(parse_distance("1.5 km"), Some(1500.0));
        assert_eq!(parse_distance("1850ft").map(|m| m.round()), Some(564.0));
        assert_eq!(parse_distance("3 parsecs"), None);
    }
}
