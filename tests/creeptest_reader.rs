//! A new format is one reader file and its registration. This file is the whole of a
//! made-up INI-like format, `.creeptest`, registered only through the registry API
//! (`Registry::builtin().with(&CREEPTEST)` as `pipeline::Options.readers`): no line of
//! the library knows it. It fills forms, data items and personalizations (with `or` /
//! `not` conditions and a defaulted channel), reports its problems with spans and
//! reads its own suppressions; the test then shows every registered rule fires on a
//! project written in it.
//!
//! The format:
//!
//! ```text
//! # creeplint: allow RULE -- reason        (a comment covers the next item)
//! [form signup]                            (a section: form, field, data, personalization)
//! uses = account
//! [field email]                            (a field of the form above it)
//! type = email
//! why = So we can send your receipts.      (the purpose slot is called `why`)
//! [personalization near-store]
//! when = geo.position near stores within 200m or not member.tier = gold
//! allow = unused-data -- reason            (an allow entry on the item)
//! ```
//!
//! A personalization with no `channel` shows in the app (a defaulted channel).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use creeplint::formats::{FileModel, FileRead, Reader, Registry};
use creeplint::model::{
    At, Category, Channel, ChannelHow, ChannelInfo, Condition, DataDecl, DataExtra, Field,
    FieldExtra, FieldKind, FieldLists, FieldOption, FieldType, Form, Frequency, Logic, Near,
    Personalization, Precision, Problem, Purpose, Scalar, Source, Test, Text, Use,
};
use creeplint::pipeline::{Options, Outcome, run};
use creeplint::source::{FileId, Language, Loc, SourceFile, Span};
use creeplint::suppress::{self, Allow, CommentSyntax};

// ---------------------------------------------------------------------------------
// The reader
// ---------------------------------------------------------------------------------

pub struct CreepTest;

pub static CREEPTEST: CreepTest = CreepTest;

/// The kinds of section.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Form,
    Field,
    Data,
    Personalization,
}

impl Kind {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "form" => Kind::Form,
            "field" => Kind::Field,
            "data" => Kind::Data,
            "personalization" => Kind::Personalization,
            _ => return None,
        })
    }
    fn as_str(self) -> &'static str {
        match self {
            Kind::Form => "form",
            Kind::Field => "field",
            Kind::Data => "data",
            Kind::Personalization => "personalization",
        }
    }
    fn keys(self) -> &'static [&'static str] {
        match self {
            Kind::Form => &["title", "why", "uses", "allow"],
            Kind::Field => &[
                "label",
                "type",
                "required",
                "why",
                "uses",
                "default",
                "options",
                "retention",
                "sensitive",
                "source",
                "help",
                "autocomplete",
                "allow",
            ],
            Kind::Data => &[
                "source",
                "description",
                "uses",
                "sensitive",
                "location",
                "retention",
                "allow",
            ],
            Kind::Personalization => &[
                "description",
                "use",
                "channel",
                "when",
                "message",
                "explanation",
                "frequency",
                "allow",
            ],
        }
    }
}

/// One `key = value` line, with where the line starts.
struct Entry {
    key: Text,
    value: Text,
    line: Span,
}

/// One `[kind name]` section and its lines.
struct Section {
    kind: Kind,
    name: Text,
    entries: Vec<Entry>,
    /// From the `[` to the end of the last line.
    span: Span,
}

impl Section {
    fn get(&self, key: &str) -> Option<&Text> {
        self.entries
            .iter()
            .find(|e| e.key.as_str() == key)
            .map(|e| &e.value)
    }
    fn line(&self, key: &str) -> Option<Span> {
        self.entries
            .iter()
            .find(|e| e.key.as_str() == key)
            .map(|e| e.line)
    }
}

/// Reads one file: everything it finds goes into `model`, `problems` and `allows`.
struct FileReader {
    id: FileId,
    model: FileModel,
    problems: Vec<Problem>,
    entries: Vec<Allow>,
}

/// A value written verbatim at `offset`.
fn text(value: &str, id: FileId, offset: usize) -> Text {
    let mut t = Text::new(
        value,
        Loc {
            file: id,
            span: Span::new(offset, value.len()),
        },
    );
    t.set_verbatim_at(Some(offset));
    t
}

/// A part of a verbatim text, by byte range.
fn part(t: &Text, start: usize, len: usize) -> Text {
    let loc = t.sub_loc(start..start + len);
    let value = t.value.get(start..start + len).unwrap_or("");
    text(value, loc.file, loc.span.start())
}

/// Words of a verbatim text separated by `sep`, trimmed, each with its own span.
fn split(t: &Text, sep: char) -> Vec<Text> {
    let mut out = Vec::new();
    let mut start = 0;
    for piece in t.value.split(sep) {
        let lead = piece.len() - piece.trim_start().len();
        let word = piece.trim();
        if !word.is_empty() {
            out.push(part(t, start + lead, word.len()));
        }
        start += piece.len() + sep.len_utf8();
    }
    out
}

impl FileReader {
    fn loc(&self, span: Span) -> Loc {
        Loc {
            file: self.id,
            span,
        }
    }

    fn problem(&mut self, at: Loc, message: String, help: &str) {
        self.problems.push(Problem::new(at, message).help(help));
    }

    /// The sections of the file, with a problem for every line that is neither.
    fn sections(&mut self, source: &str) -> Vec<Section> {
        let mut sections: Vec<Section> = Vec::new();
        let mut offset = 0;
        for raw in source.split_inclusive('\n') {
            let line_start = offset;
            offset += raw.len();
            let line = raw.trim_end_matches(['\n', '\r']);
            let lead = line.len() - line.trim_start().len();
            let content = line.trim();
            let at = line_start + lead;
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            let line_span = Span::new(line_start, line.len());
            if let Some(inner) = content.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
                let inner_t = text(inner, self.id, at + 1);
                let words = split(&inner_t, ' ');
                let (Some(kind_word), Some(name), None) =
                    (words.first(), words.get(1), words.get(2))
                else {
                    self.problem(
                        self.loc(line_span),
                        format!("`{content}` is not a section header"),
                        "write `[form NAME]`, `[field NAME]`, `[data NAME]` or `[personalization NAME]`",
                    );
                    continue;
                };
                let Some(kind) = Kind::parse(&kind_word.value) else {
                    self.problem(
                        kind_word.loc,
                        format!("unknown section kind `{}`", kind_word.value),
                        "a section is a `form`, `field`, `data` or `personalization`",
                    );
                    continue;
                };
                sections.push(Section {
                    kind,
                    name: name.clone(),
                    entries: Vec::new(),
                    span: Span::new(at, content.len()),
                });
                continue;
            }
            let Some((key, value)) = content.split_once('=') else {
                self.problem(
                    self.loc(line_span),
                    "a line that is neither `[kind name]` nor `key = value`".to_string(),
                    "write `key = value`, or start the line with `#` to make it a comment",
                );
                continue;
            };
            let key_t = text(key.trim_end(), self.id, at);
            let value_lead = value.len() - value.trim_start().len();
            let value_t = text(value.trim(), self.id, at + key.len() + 1 + value_lead);
            let Some(section) = sections.last_mut() else {
                self.problem(
                    key_t.loc,
                    format!("`{}` comes before any section", key_t.value),
                    "start the file with a section header such as `[form signup]`",
                );
                continue;
            };
            if !section.kind.keys().contains(&key_t.as_str()) {
                let message = format!(
                    "unknown key `{}` in a `{}` section",
                    key_t.value,
                    section.kind.as_str()
                );
                let help = format!("this section takes {}", section.kind.keys().join(", "));
                self.problems
                    .push(Problem::new(key_t.loc, message).help(help));
                continue;
            }
            section.span = Span::new(
                section.span.start(),
                line_start + line.len() - section.span.start(),
            );
            section.entries.push(Entry {
                key: key_t,
                value: value_t,
                line: Span::new(at, content.len()),
            });
        }
        sections
    }

    /// A vocabulary value, or a problem naming what is allowed.
    fn vocab<T>(
        &mut self,
        t: Option<&Text>,
        parse: fn(&str) -> Option<T>,
        names: fn() -> Vec<&'static str>,
    ) -> Option<At<T>> {
        let t = t?;
        match parse(&t.value) {
            Some(value) => Some(At { value, loc: t.loc }),
            None => {
                let message = format!("unknown value `{}`", t.value);
                let help = format!("use one of {}", names().join(", "));
                self.problems.push(Problem::new(t.loc, message).help(help));
                None
            }
        }
    }

    fn uses(&mut self, s: &Section) -> (Vec<At<Use>>, Option<Loc>) {
        let Some(t) = s.get("uses") else {
            return (Vec::new(), None);
        };
        let uses = split(t, ',')
            .iter()
            .filter_map(|u| self.vocab(Some(u), Use::parse, Use::names))
            .collect();
        (uses, s.line("uses").map(|l| self.loc(l)))
    }

    fn purpose(s: &Section) -> Purpose {
        match s.get("why") {
            Some(t) => Purpose::Stated {
                key: &"why",
                text: t.clone(),
            },
            None => Purpose::Missing { key: &"why" },
        }
    }

    fn allows(&mut self, s: &Section) {
        let item = self.loc(s.span);
        for e in s.entries.iter().filter(|e| e.key.as_str() == "allow") {
            let (rules, reason) = match e.value.value.split_once("--") {
                Some((rules, reason)) => {
                    let start = e.value.value.len() - reason.len();
                    let lead = reason.len() - reason.trim_start().len();
                    let reason = part(&e.value, start + lead, reason.trim().len());
                    (split(&part(&e.value, 0, rules.len()), ','), Some(reason))
                }
                None => (split(&e.value, ','), None),
            };
            for rule in rules {
                let at = self.loc(e.line);
                self.entries
                    .push(suppress::entry(item, rule, reason.as_ref(), at));
            }
        }
    }

    fn form(&mut self, s: &Section) -> Form {
        let (uses, _) = self.uses(s);
        self.allows(s);
        Form {
            id: s.name.clone(),
            title: s.get("title").cloned(),
            purpose: Self::purpose(s),
            uses,
            fields: Vec::new(),
            item: self.loc(s.span),
        }
    }

    fn field(&mut self, s: &Section) -> Field {
        let (uses, uses_loc) = self.uses(s);
        self.allows(s);
        let field_type = self.vocab(s.get("type"), field_type, field_type_names);
        let required = s.get("required").and_then(|t| {
            let value = match t.as_str() {
                "true" => true,
                "false" => false,
                other => {
                    let message = format!("`required` is `true` or `false`, not `{other}`");
                    self.problem(
                        t.loc,
                        message,
                        "write `required = true` or `required = false`",
                    );
                    return None;
                }
            };
            Some(At { value, loc: t.loc })
        });
        Field {
            id: s.name.clone(),
            label: s.get("label").cloned(),
            kind: FieldKind::new(
                field_type.clone().unwrap_or(At {
                    value: FieldType::Text,
                    loc: s.name.loc,
                }),
                field_type.is_some(),
                required,
            ),
            purpose: Self::purpose(s),
            retention: s.get("retention").cloned(),
            extra: FieldExtra {
                default: s.get("default").map(|t| At {
                    value: scalar(&t.value),
                    loc: t.loc,
                }),
                sensitive: self.vocab(s.get("sensitive"), Category::parse, Category::names),
                source: self.vocab(s.get("source"), Source::parse, Source::names),
                help: s.get("help").cloned(),
                autocomplete: s.get("autocomplete").cloned(),
            }
            .boxed(),
            lists: FieldLists {
                uses: uses.into(),
                uses_loc,
                options: s
                    .get("options")
                    .map(|t| split(t, ','))
                    .unwrap_or_default()
                    .into_iter()
                    .map(|value| FieldOption { value, label: None })
                    .collect(),
            }
            .boxed(),
            item: self.loc(s.span),
        }
    }

    fn data(&mut self, s: &Section) -> Option<DataDecl> {
        let (uses, uses_loc) = self.uses(s);
        self.allows(s);
        let Some(source) = self.vocab(s.get("source"), Source::parse, Source::names) else {
            if s.get("source").is_none() {
                let message = format!("data item `{}` has no `source`", s.name.value);
                self.problem(
                    s.name.loc,
                    message,
                    "add `source = volunteered`, `observed`, `inferred`, `third-party` or `device`",
                );
            }
            return None;
        };
        Some(DataDecl {
            id: s.name.clone(),
            source,
            description: s.get("description").cloned(),
            uses,
            uses_loc,
            sensitive: self.vocab(s.get("sensitive"), Category::parse, Category::names),
            retention: s.get("retention").cloned(),
            item: self.loc(s.span),
            used_elsewhere: false,
            extra: DataExtra {
                location: self.vocab(s.get("location"), Precision::parse, Precision::names),
                ..DataExtra::default()
            }
            .boxed(),
        })
    }

    fn personalization(&mut self, s: &Section) -> Personalization {
        self.allows(s);
        let item = self.loc(s.span);
        // No channel: the format shows it in the app.
        let channel = match s.get("channel") {
            Some(t) => self
                .vocab(Some(t), Channel::parse, Channel::names)
                .map(|c| ChannelInfo {
                    value: c.value,
                    loc: c.loc,
                    how: ChannelHow::Declared,
                }),
            None => Some(ChannelInfo {
                value: Channel::InApp,
                loc: item,
                how: ChannelHow::Defaulted,
            }),
        };
        let mut when = Vec::new();
        let logic = match s.get("when") {
            Some(t) => {
                let words = split(t, ' ');
                let mut parser = Conditions {
                    words: &words,
                    at: 0,
                    when: &mut when,
                };
                let logic = parser.any();
                match (logic, words.get(parser.at)) {
                    (Some(logic), None) => logic,
                    (_, stray) => {
                        let at = stray.map_or(t.loc, |w| w.loc);
                        let message = format!("cannot read the condition `{}`", t.value);
                        self.problem(
                            at,
                            message,
                            "write `ID > N`, `ID < N`, `ID = V`, `ID != V`, `ID exists`, `ID on EVENT` or `ID near PLACE [within DIST]`, joined by `and`, `or`, `not`",
                        );
                        when.clear();
                        Logic::Every
                    }
                }
            }
            None => Logic::Every,
        };
        let message = s.get("message").cloned();
        let explanation = s.get("explanation").cloned();
        // Found as the built-in readers find them, so every rule sees the same references.
        let placeholders =
            creeplint::formats::native::placeholders_of(message.as_ref(), explanation.as_ref());
        let frequency = s
            .get("frequency")
            .and_then(|t| match Frequency::parse(&t.value) {
                Some(value) => Some(At { value, loc: t.loc }),
                None => {
                    let message = format!("`{}` is not a frequency", t.value);
                    self.problem(
                        t.loc,
                        message,
                        "write a count per day, week or month: `1/week`",
                    );
                    None
                }
            });
        Personalization {
            id: s.name.clone(),
            description: s.get("description").cloned().map(Box::new),
            use_: self.vocab(s.get("use"), Use::parse, Use::names),
            when: when.into(),
            logic: logic.into(),
            channel,
            message,
            explanation: explanation.map(Box::new),
            frequency,
            placeholders,
            item,
            unreadable: Default::default(),
        }
    }
}

/// `a or b`, `a and b`, `not a`, leaves `ID OP VALUE`: every leaf is pushed to `when`
/// in source order and named by its index.
struct Conditions<'w, 'm> {
    words: &'w [Text],
    at: usize,
    when: &'m mut Vec<Condition>,
}

impl Conditions<'_, '_> {
    fn peek(&self) -> Option<&str> {
        self.words.get(self.at).map(|w| w.as_str())
    }

    fn any(&mut self) -> Option<Logic> {
        let mut branches = vec![self.all()?];
        while self.peek() == Some("or") {
            self.at += 1;
            branches.push(self.all()?);
        }
        Some(if branches.len() == 1 {
            branches.pop()?
        } else {
            Logic::Any(branches)
        })
    }

    fn all(&mut self) -> Option<Logic> {
        let mut parts = vec![self.not()?];
        while self.peek() == Some("and") {
            self.at += 1;
            parts.push(self.not()?);
        }
        Some(if parts.len() == 1 {
            parts.pop()?
        } else {
            Logic::All(parts)
        })
    }

    fn not(&mut self) -> Option<Logic> {
        if self.peek() == Some("not") {
            self.at += 1;
            return Some(Logic::Not(Box::new(self.not()?)));
        }
        self.leaf()
    }

    fn leaf(&mut self) -> Option<Logic> {
        let data = self.words.get(self.at)?.clone();
        let op = self.words.get(self.at + 1)?.clone();
        let value = self.words.get(self.at + 2);
        let number = |v: Option<&Text>| {
            v.and_then(|v| {
                Some(At {
                    value: v.value.parse::<f64>().ok()?,
                    loc: v.loc,
                })
            })
        };
        let (test, used) = match op.as_str() {
            ">" => (Test::Gt(number(value)?), 3),
            "<" => (Test::Lt(number(value)?), 3),
            "=" => (Test::Equals(scalar_at(value?)), 3),
            "!=" => (Test::NotEquals(scalar_at(value?)), 3),
            "on" => (Test::Trigger(value?.clone()), 3),
            "exists" => (
                Test::Exists(At {
                    value: true,
                    loc: op.loc,
                }),
                2,
            ),
            "near" => {
                let place = value?.clone();
                let within = match self.words.get(self.at + 3).map(|w| w.as_str()) {
                    Some("within") => Some(self.words.get(self.at + 4)?),
                    _ => None,
                };
                let within_at = within.and_then(|w| {
                    Some(At {
                        value: metres(&w.value)?,
                        loc: w.loc,
                    })
                });
                if within.is_some() && within_at.is_none() {
                    return None;
                }
                let used = if within.is_some() { 5 } else { 3 };
                (
                    Test::Near(Box::new(Near {
                        place,
                        within: within_at,
                    })),
                    used,
                )
            }
            _ => return None,
        };
        let last = self.words.get(self.at + used - 1)?.loc;
        let span = |from: Loc| Loc {
            file: from.file,
            span: Span::new(from.span.start(), last.span.end() - from.span.start()),
        };
        self.at += used;
        let (test_loc, item) = (span(op.loc), span(data.loc));
        self.when.push(Condition::new(data, test, test_loc, item));
        Some(Logic::Condition(self.when.len() - 1))
    }
}

fn scalar(s: &str) -> Scalar {
    match s {
        "true" => Scalar::Bool(true),
        "false" => Scalar::Bool(false),
        _ => s
            .parse()
            .map_or_else(|_| Scalar::Str(s.into()), Scalar::Num),
    }
}

fn scalar_at(t: &Text) -> At<Scalar> {
    At {
        value: scalar(&t.value),
        loc: t.loc,
    }
}

/// `200m`, `2km`.
fn metres(s: &str) -> Option<f64> {
    match s.strip_suffix("km") {
        Some(n) => n.parse::<f64>().ok().map(|n| n * 1000.0),
        None => s.strip_suffix('m')?.parse().ok(),
    }
}

const FIELD_TYPES: [(&str, FieldType); 14] = [
    ("text", FieldType::Text),
    ("longtext", FieldType::LongText),
    ("email", FieldType::Email),
    ("phone", FieldType::Phone),
    ("url", FieldType::Url),
    ("number", FieldType::Number),
    ("date", FieldType::Date),
    ("secret", FieldType::Secret),
    ("choice", FieldType::Choice),
    ("multichoice", FieldType::MultiChoice),
    ("boolean", FieldType::Boolean),
    ("file", FieldType::File),
    ("hidden", FieldType::Hidden),
    ("location", FieldType::Location),
];

fn field_type(s: &str) -> Option<FieldType> {
    FIELD_TYPES.iter().find(|(n, _)| *n == s).map(|(_, t)| *t)
}

fn field_type_names() -> Vec<&'static str> {
    FIELD_TYPES.iter().map(|(n, _)| *n).collect()
}

impl Reader for CreepTest {
    fn name(&self) -> &'static str {
        "creeptest"
    }

    fn extensions(&self) -> &'static [&'static str] {
        &["creeptest"]
    }

    fn sniff(&self, path: &Path, _text: &str) -> bool {
        path.extension().is_some_and(|e| e == "creeptest")
    }

    fn read(&self, file: &SourceFile, id: FileId) -> FileRead {
        let mut r = FileReader {
            id,
            model: FileModel::default(),
            problems: Vec::new(),
            entries: Vec::new(),
        };
        for s in r.sections(&file.text) {
            match s.kind {
                Kind::Form => {
                    let form = r.form(&s);
                    r.model.forms.push(form);
                }
                Kind::Field => {
                    let field = r.field(&s);
                    match r.model.forms.last_mut() {
                        Some(form) => {
                            form.item.span = Span::new(
                                form.item.span.start(),
                                s.span.end() - form.item.span.start(),
                            );
                            form.fields.push(field);
                        }
                        None => r.problem(
                            s.name.loc,
                            format!("field `{}` belongs to no form", s.name.value),
                            "put a `[form NAME]` section before its fields",
                        ),
                    }
                }
                Kind::Data => {
                    if let Some(d) = r.data(&s) {
                        r.model.data.push(d);
                    }
                }
                Kind::Personalization => {
                    let p = r.personalization(&s);
                    r.model.personalizations.push(p);
                }
            }
        }
        let mut allows = suppress::comments(file, id, &r.model.item_spans(), CommentSyntax::Hash);
        allows.extend(r.entries);
        FileRead {
            language: Language::Other("creeptest"),
            model: r.model,
            problems: r.problems,
            allows,
            documents: 1,
            pending: None,
        }
    }
}

// ---------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------

/// A baby-and-home shop that does everything wrong, in the made-up format.
const SHOP: &str = "\
# The shop's sign-up form.
[form signup]
title = Join the club
uses = account

[field email]
label = Email address
type = email
required = true
why = So we can send you your receipts and delivery updates.
uses = transactional, third-party-sharing
retention = until you close your account

[field birthday]
label = Date of birth
type = date
required = true
why = for marketing
uses = marketing
retention = 12 months

[field offers]
label = Send me offers
type = boolean
default = true
why = We email you our weekly offers so you never miss a sale.
uses = marketing
retention = until you unsubscribe

# creeplint: allow missing-purpose, missing-purpos -- the phone is optional and explained on the page
[field phone]
label = Mobile phone
type = phone
autocomplete = email
retention = until you close your account

[field device_id]
type = hidden
source = device
retention = 30 days
lable = Device

[data browsing.history]
source = observed
description = Pages the shopper viewed in the last 90 days
uses = analytics
retention = 90 days

[data predicted.expecting_parent]
source = inferred
sensitive = pregnancy
description = Model score that the shopper is expecting a baby
uses = marketing

[data geo.position]
source = device
location = precise
description = GPS position from the mobile app, read in the background
uses = marketing
retention = 24 hours

[data loyalty.tier]
source = volunteered
description = The loyalty tier the member picked when joining
uses = personalization
retention = until you leave the club
allow = unused-data

[personalization baby-sms]
use = marketing
channel = sms
when = predicted.expecting_parent > 0.8 or not browsing.history exists
message = Congratulations! We saw you looking at {{ browsing.history }}

[personalization near-store]
use = marketing
when = geo.position near stores within 200m
explanation = You see this because you turned on store alerts.

[personalization catalog]
use = analytics
channel = mail
frequency = 1/month
when = browsing.history exists and member.segment = vip
explanation = You get our catalog because you browse our home range.
";

fn project(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("tempdir: {e}"),
    };
    for (name, text) in files {
        if let Err(e) = std::fs::write(dir.path().join(name), text) {
            panic!("write {name}: {e}");
        }
    }
    let root = dir.path().to_path_buf();
    (dir, root)
}

/// A finding's rule name, whatever type carries it.
fn rule(f: &creeplint::Finding) -> String {
    f.rule.to_string()
}

fn options() -> Options {
    Options {
        readers: Registry::builtin().with(&CREEPTEST),
        ..Options::default()
    }
}

fn check(root: PathBuf, options: &Options) -> Outcome {
    match run(&[root], options) {
        Ok(o) => o,
        Err(e) => panic!("run failed: {e}"),
    }
}

/// One line per finding: `severity line:col rule: message -- label [labels] (help)`.
fn rows(o: &Outcome) -> String {
    let mut out = String::new();
    for f in &o.findings {
        let at = o.sources.line_col(f.primary.loc);
        let labels: Vec<String> = f
            .secondary
            .iter()
            .map(|l| {
                let lc = o.sources.line_col(l.loc);
                format!("{}:{}: {}", lc.line, lc.column, l.message)
            })
            .collect();
        out.push_str(&format!(
            "{} {}:{} {}: {} -- {} [{}]\n",
            f.severity,
            at.line,
            at.column,
            f.rule,
            f.message,
            f.primary.message,
            labels.join("; ")
        ));
    }
    out
}

#[test]
fn every_rule_fires_on_a_project_in_a_format_the_library_does_not_know() {
    let (_dir, root) = project(&[("shop.creeptest", SHOP)]);
    let o = check(root, &options());
    let fired: BTreeSet<String> = o.findings.iter().map(rule).collect();
    let every: BTreeSet<String> = creeplint::rules::names().map(String::from).collect();
    assert_eq!(
        every.difference(&fired).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "rules that did not fire on the creeptest project:\n{}",
        rows(&o)
    );
    assert_eq!(fired, every);
    insta::assert_snapshot!(rows(&o));
}

#[test]
fn the_reader_is_asked_only_when_registered() {
    let (_dir, root) = project(&[("shop.creeptest", SHOP)]);
    let o = check(root, &Options::default());
    assert_eq!(
        o.sources.len(),
        0,
        "the built-in readers walked a .creeptest file"
    );
    assert!(o.findings.is_empty());
    assert!(Registry::builtin().names().all(|n| n != "creeptest"));
    assert_eq!(
        options().readers.names().collect::<Vec<_>>(),
        std::iter::once("creeptest")
            .chain(Registry::builtin().names())
            .collect::<Vec<_>>()
    );
}

#[test]
fn the_model_holds_alternatives_negations_and_a_defaulted_channel() {
    let (_dir, root) = project(&[("shop.creeptest", SHOP)]);
    let o = check(root, &options());
    let languages: Vec<Language> = o.sources.iter().map(|(_, f)| f.language).collect();
    assert_eq!(languages, [Language::Other("creeptest")]);
    let p = &o.project.personalizations;
    let ids: Vec<&str> = p.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["baby-sms", "near-store", "catalog"]);
    // `a > 0.8 or not b exists`: both conditions are in `when`, the logic says how.
    assert_eq!(
        p[0].logic,
        Logic::Any(vec![
            Logic::Condition(0),
            Logic::Not(Box::new(Logic::Condition(1))),
        ])
    );
    let data: Vec<&str> = p[0].conditions().map(|c| c.data.as_str()).collect();
    assert_eq!(data, ["predicted.expecting_parent", "browsing.history"]);
    assert_eq!(
        p[2].logic,
        Logic::All(vec![Logic::Condition(0), Logic::Condition(1)])
    );
    // No `channel`: shown in the app, and the model says it was assumed.
    let channel = p[1].channel.as_ref().map(|c| (c.value, c.how, c.loc));
    assert_eq!(
        channel,
        Some((Channel::InApp, ChannelHow::Defaulted, p[1].item))
    );
    assert_eq!(
        p[0].channel.as_ref().map(|c| (c.value, c.how)),
        Some((Channel::Sms, ChannelHow::Declared))
    );
    // A location trigger in the app is a warning, not the error an sms would be.
    let location: Vec<(String, String)> = o
        .findings
        .iter()
        .filter(|f| rule(f) == "location-trigger")
        .map(|f| (f.severity.to_string(), f.message.to_string()))
        .collect();
    assert_eq!(
        location,
        [(
            "warning".to_string(),
            "`near-store` personalizes the app for people based on where they are".to_string()
        )]
    );
    // The purpose slot is `why`, and the help says so.
    let fields = o
        .project
        .forms
        .first()
        .map(|f| f.fields.as_slice())
        .unwrap_or_default();
    assert!(matches!(
        fields.get(3).map(|f| &f.purpose),
        Some(Purpose::Missing { key }) if **key == "why"
    ));
    let help: Vec<&str> = o
        .findings
        .iter()
        .filter(|f| rule(f) == "missing-purpose")
        .filter_map(|f| f.help.as_deref())
        .collect();
    assert_eq!(help.len(), 1, "{help:?}");
    assert!(help[0].starts_with("add a `why:`"), "{}", help[0]);
}

#[test]
fn the_readers_own_comments_suppress_with_a_reason() {
    let (_dir, root) = project(&[("shop.creeptest", SHOP)]);
    let o = check(root, &options());
    let suppressed: Vec<(String, String, &str)> = o
        .suppressed
        .iter()
        .map(|s| {
            (
                s.finding.rule.to_string(),
                s.finding.message.to_string(),
                s.reason.as_str(),
            )
        })
        .collect();
    assert_eq!(
        suppressed,
        [(
            "missing-purpose".to_string(),
            "form `signup` asks for `phone` without saying why".to_string(),
            "the phone is optional and explained on the page"
        )]
    );
    assert_eq!(o.summary.suppressed, 1);
}

#[test]
fn problems_are_invalid_file_findings_at_their_place() {
    let text = "uses = account\n[form f]\n[widget w]\nnonsense\n[personalization p]\nwhen = a >\nfrequency = often\n";
    let (_dir, root) = project(&[("bad.creeptest", text)]);
    let o = check(root, &options());
    let problems: Vec<(usize, usize, &str)> = o
        .findings
        .iter()
        .filter(|f| rule(f) == "invalid-file")
        .map(|f| {
            let at = o.sources.line_col(f.primary.loc);
            (at.line, at.column, &*f.message)
        })
        .collect();
    assert_eq!(
        problems,
        [
            (1, 1, "`uses` comes before any section"),
            (3, 2, "unknown section kind `widget`"),
            (
                4,
                1,
                "a line that is neither `[kind name]` nor `key = value`"
            ),
            (6, 8, "cannot read the condition `a >`"),
            (7, 13, "`often` is not a frequency"),
        ]
    );
}
