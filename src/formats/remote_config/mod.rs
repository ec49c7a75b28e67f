//! Firebase Remote Config templates (`remoteconfig.template.json`): each conditional
//! value of a parameter is a personalization chosen by its condition; the condition
//! expressions are parsed and their elements mapped onto data items.

pub mod expr;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use expr::{Comparison, Expr, Op, Val};

use super::Problem;
use super::targeting::{
    Logic, MAX_CONDITIONS, Targeted, json_string_offsets, last_end, loc, map_range, node_text,
};
use super::tree::{Key, Node};
use crate::model::{
    At, Channel, ChannelHow, ChannelInfo, Condition, Frequency, Scalar, Test, Text,
};
use crate::source::{FileId, Span};
use crate::suggest::{Nearest, did_you_mean};

/// Where a Remote Config value reaches the person unless a description says otherwise:
/// a parameter changes what the app shows.
pub const DEFAULT_CHANNEL: Channel = Channel::InApp;

/// Elements that say nothing about the person: the app, its version, the platform,
/// the clock, a random split, and one installation (used to target test devices).
const NOT_PERSONAL: [&str; 10] = [
    "app.id",
    "app.build",
    "app.version",
    "app.firstOpenTimestamp",
    "app.operatingSystemAndVersion",
    "app.browserAndVersion",
    "app.firebaseInstallationId",
    "device.os",
    "device.dateTime",
    "percent",
];
/// Coarse facts read from the device.
const DEVICE_DATA: [&str; 2] = ["device.country", "device.language"];
/// Elements that name a data item by key: `app.userProperty['plan']`.
const KEYED: [&str; 2] = ["app.userProperty", "app.customSignal"];
const AUDIENCES: &str = "app.audiences";
const AUDIENCE_METHODS: [&str; 4] = ["inAtLeastOne", "inAll", "notInAtLeastOne", "notInAll"];
const VALUE_METHODS: [&str; 5] = [
    "contains",
    "notContains",
    "beginsWith",
    "exactlyMatches",
    "matches",
];

fn known_elements() -> impl Iterator<Item = &'static str> + Clone {
    NOT_PERSONAL
        .into_iter()
        .chain(DEVICE_DATA)
        .chain(KEYED)
        .chain(std::iter::once(AUDIENCES))
}

/// The known element an unknown one probably means: close as a whole, or by its last
/// segment (`user.userProperty` is `app.userProperty`).
fn suggest_element(path: &str) -> Option<&'static str> {
    did_you_mean(path, known_elements()).or_else(|| {
        let last = path.rsplit('.').next().unwrap_or(path);
        let by_last = known_elements().map(|k| k.rsplit('.').next().unwrap_or(k));
        let meant = did_you_mean(last, by_last)?;
        known_elements().find(|k| k.ends_with(&format!(".{meant}")) || *k == meant)
    })
}

/// Firebase Remote Config templates.
pub struct RemoteConfigReader;

impl super::Reader for RemoteConfigReader {
    fn name(&self) -> &'static str {
        "remote-config"
    }
    fn extensions(&self) -> &'static [&'static str] {
        &["json"]
    }
    fn sniff(&self, path: &Path, text: &str) -> bool {
        sniff(path, text)
    }
    fn marker(&self, text: &str) -> Option<Span> {
        (text.contains("\"defaultValue\"") && text.contains("\"value\""))
            .then(|| text.find("\"parameters\""))
            .flatten()
            .map(|at| Span::new(at, "\"parameters\"".len()))
    }
    fn read(&self, file: &crate::source::SourceFile, id: FileId) -> super::FileRead {
        super::targeting::read_file(file, id, super::targeting::Format::RemoteConfig)
    }
    fn ids_are_project_wide(&self) -> bool {
        false
    }
}

/// Cheap recognition: the template's file name, or a JSON text that mentions the keys
/// only a template has.
pub fn sniff(path: &Path, text: &str) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if name.ends_with("remoteconfig.template.json") {
        return true;
    }
    name.ends_with(".json")
        && text.contains("\"parameters\"")
        && (text.contains("\"defaultValue\"") || text.contains("\"conditionalValues\""))
}

/// The template's shape: `parameters` or `parameterGroups` holding parameters with a
/// `defaultValue` or `conditionalValues`, or `conditions` with an `expression`.
pub fn is_template(doc: &Node) -> bool {
    // A Remote Config value is an object (`value`, `useInAppDefault`, ...): an ARM
    // template's `defaultValue` is the value itself, and stays skipped.
    const VALUE_KEYS: [&str; 4] = [
        "value",
        "useInAppDefault",
        "rolloutValue",
        "personalizationValue",
    ];
    let is_value = |v: &Node| VALUE_KEYS.iter().any(|k| v.get(k).is_some());
    let is_param = |p: &Node| {
        p.get("defaultValue").is_some_and(is_value)
            || p.get("conditionalValues")
                .and_then(Node::as_map)
                .is_some_and(|m| m.iter().any(|(_, v)| is_value(v)))
    };
    let params = doc
        .get("parameters")
        .and_then(Node::as_map)
        .is_some_and(|m| m.iter().any(|(_, p)| is_param(p)));
    let groups = doc
        .get("parameterGroups")
        .and_then(Node::as_map)
        .is_some_and(|m| {
            m.iter().any(|(_, g)| {
                g.get("parameters")
                    .and_then(Node::as_map)
                    .is_some_and(|ps| ps.iter().any(|(_, p)| is_param(p)))
            })
        });
    let conditions = doc
        .get("conditions")
        .and_then(Node::as_seq)
        .is_some_and(|cs| cs.iter().any(|c| c.get("expression").is_some()));
    params || groups || conditions
}

/// One condition of the template, parsed.
struct Named {
    logic: Logic,
}

/// A template's conditions by name, and their names ready for did-you-mean questions,
/// built at the first conditional value that names none (each such value compared
/// every name: 2,000 of them among 4,000 conditions took 2.6 s, issue 14).
struct Conditions<'c> {
    named: &'c BTreeMap<String, Named>,
    nearest: std::cell::OnceCell<Nearest<'c>>,
}

pub struct Reader<'a> {
    pub file: FileId,
    pub text: &'a str,
    pub problems: Vec<Problem>,
    /// Conditions copied into conditional values so far, against [`MAX_CONDITIONS`].
    emitted: usize,
}

impl<'a> Reader<'a> {
    pub fn new(file: FileId, text: &'a str) -> Self {
        Self {
            file,
            text,
            problems: Vec::new(),
            emitted: 0,
        }
    }

    fn problem(&mut self, span: Span, message: impl Into<String>, help: impl Into<String>) {
        self.problems
            .push(Problem::new(loc(self.file, span), message).help(help));
    }

    /// Every conditional value of the template as a personalization.
    pub fn read(&mut self, doc: &Node) -> Vec<Targeted> {
        let named = self.conditions(doc);
        let conditions = Conditions {
            named: &named,
            nearest: std::cell::OnceCell::new(),
        };
        let mut out = Vec::new();
        if let Some(params) = doc.get("parameters").and_then(Node::as_map) {
            for (key, param) in params {
                self.parameter(key, param, None, &conditions, &mut out);
            }
        }
        for (_, group) in doc
            .get("parameterGroups")
            .and_then(Node::as_map)
            .unwrap_or_default()
        {
            let group_description = group
                .get("description")
                .and_then(|d| node_text(d, self.text, self.file));
            for (key, param) in group
                .get("parameters")
                .and_then(Node::as_map)
                .unwrap_or_default()
            {
                self.parameter(
                    key,
                    param,
                    group_description.as_ref(),
                    &conditions,
                    &mut out,
                );
            }
        }
        out
    }

    fn conditions(&mut self, doc: &Node) -> BTreeMap<String, Named> {
        let mut out: BTreeMap<String, Named> = BTreeMap::new();
        let mut first: BTreeMap<String, Span> = BTreeMap::new();
        for c in doc
            .get("conditions")
            .and_then(Node::as_seq)
            .unwrap_or_default()
        {
            let Some(name_node) = c.get("name") else {
                self.problem(
                    c.head_span(),
                    "this condition has no `name`",
                    "give every condition a `name`: conditional values refer to it",
                );
                continue;
            };
            let Some(name) = name_node.as_str() else {
                continue;
            };
            if let Some(earlier) = first.get(name) {
                self.problems.push(
                    Problem::new(
                        loc(self.file, name_node.span),
                        format!("duplicate condition name `{name}`"),
                    )
                    .label(loc(self.file, *earlier), "first defined here")
                    .help("give each condition its own name"),
                );
                continue;
            }
            first.insert(name.to_string(), name_node.span);
            let logic = match c.get("expression") {
                Some(e) => match e.as_str() {
                    Some(s) => self.expression(e, s),
                    None => {
                        self.problem(
                            e.span,
                            "a condition's `expression` is a string",
                            "write the expression as a string, e.g. \"device.country in ['us']\"",
                        );
                        Logic::All(Vec::new())
                    }
                },
                None => {
                    self.problem(
                        name_node.span,
                        format!("the condition `{name}` has no `expression`"),
                        "add an `expression`, e.g. \"device.country in ['us']\"",
                    );
                    Logic::All(Vec::new())
                }
            };
            out.insert(name.to_string(), Named { logic });
        }
        out
    }

    /// Parse one expression and map it onto conditions; problems point inside the string.
    fn expression(&mut self, node: &Node, s: &str) -> Logic {
        let raw = self.text.get(node.span.start()..).unwrap_or("");
        let offsets = json_string_offsets(raw, node.span.start(), s);
        let at = |r: Range<usize>| map_range(offsets.as_deref(), r, node.span);
        match expr::parse(s) {
            Ok(e) => {
                let mut ctx = ExprCtx {
                    at: &at,
                    file: self.file,
                    problems: Vec::new(),
                };
                let logic = ctx.logic(&e);
                self.problems.extend(ctx.problems);
                logic
            }
            Err(e) => {
                self.problem(
                    at(e.range),
                    format!("this Remote Config condition cannot be parsed: {}", e.message),
                    "fix the expression: Firebase rejects a template whose condition does not parse (see the Remote Config condition reference)",
                );
                Logic::All(Vec::new())
            }
        }
    }

    fn parameter(
        &mut self,
        key: &Key,
        param: &Node,
        group_description: Option<&Text>,
        conditions: &Conditions<'_>,
        out: &mut Vec<Targeted>,
    ) {
        let description = param
            .get("description")
            .and_then(|d| node_text(d, self.text, self.file))
            .or_else(|| group_description.cloned());
        let declared = description.as_ref().and_then(declared_channel);
        let frequency = description.as_ref().and_then(declared_frequency);
        for (cond_key, value) in param
            .get("conditionalValues")
            .and_then(Node::as_map)
            .unwrap_or_default()
        {
            let Some(named) = conditions.named.get(cond_key.text.as_str()) else {
                let hint = conditions
                    .nearest
                    .get_or_init(|| Nearest::new(conditions.named.keys().map(String::as_str)))
                    .find(&cond_key.text)
                    .map_or_else(String::new, |m| format!(": did you mean `{m}`?"));
                self.problem(
                    cond_key.span,
                    format!("no condition is named `{}`{hint}", cond_key.text),
                    "a conditional value names one of the template's `conditions`; add the condition or fix the name",
                );
                continue;
            };
            let before = self.emitted;
            self.emitted += named.logic.count();
            if self.emitted > MAX_CONDITIONS {
                if before <= MAX_CONDITIONS {
                    self.problem(
                        cond_key.span,
                        format!("the conditional values of this template copy more than {MAX_CONDITIONS} conditions"),
                        "simplify the template: creeplint stops reading conditional values here",
                    );
                }
                return;
            }
            let shown = value
                .get("value")
                .or_else(|| value.get("rolloutValue").and_then(|r| r.get("value")))
                .filter(|v| v.as_str().is_some_and(is_plain_text))
                .and_then(|v| node_text(v, self.text, self.file));
            let start = cond_key.span.start();
            let end = last_end(value).max(cond_key.span.end());
            out.push(Targeted {
                id: Text::new(
                    format!("{}[{}]", key.text, cond_key.text),
                    loc(self.file, cond_key.span),
                ),
                description: description.clone(),
                use_: None,
                logic: named.logic.clone(),
                channel: match &declared {
                    Some(c) => ChannelInfo {
                        value: c.value,
                        loc: c.loc,
                        how: ChannelHow::Declared,
                    },
                    None => ChannelInfo {
                        value: DEFAULT_CHANNEL,
                        loc: loc(self.file, cond_key.span),
                        how: ChannelHow::Defaulted,
                    },
                },
                message: shown,
                explanation: None,
                frequency: frequency.clone(),
                item: loc(self.file, Span::new(start, end - start)),
                // Remote Config has no place for an owner.
                owner: None,
            });
        }
    }
}

/// A value shown as words: not a number, a boolean or a JSON document.
fn is_plain_text(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty()
        && !matches!(serde_json::from_str::<serde_json::Value>(t), Ok(v) if !v.is_string())
}

/// `frequency: 1/week` written in a description: Remote Config has no slot for it.
fn declared_frequency(description: &Text) -> Option<At<Frequency>> {
    let lower = description.value.to_ascii_lowercase();
    let at = lower.find("frequency:")?;
    let rest = lower.get(at + "frequency:".len()..)?;
    let skipped = rest.len() - rest.trim_start().len();
    let word: String = rest
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '/')
        .collect();
    let value = Frequency::parse(&word)?;
    let start = at + "frequency:".len() + skipped;
    Some(At {
        value,
        loc: description.sub_loc(start..start + word.len()),
    })
}

/// `channel: push` written in a description: Remote Config has no slot for it.
fn declared_channel(description: &Text) -> Option<At<Channel>> {
    let lower = description.value.to_ascii_lowercase();
    let at = lower.find("channel:")?;
    let rest = lower.get(at + "channel:".len()..)?.trim_start();
    let word: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let value = Channel::parse(&word)?;
    let start = description.value.len() - rest.len();
    Some(At {
        value,
        loc: description.sub_loc(start..start + word.len()),
    })
}

struct ExprCtx<'f> {
    at: &'f dyn Fn(Range<usize>) -> Span,
    file: FileId,
    problems: Vec<Problem>,
}

impl ExprCtx<'_> {
    fn span(&self, r: Range<usize>) -> Span {
        (self.at)(r)
    }

    fn scalar(&self, v: &Val) -> At<Scalar> {
        let value = match v {
            Val::Str(s, _) => Scalar::Str(s.as_str().into()),
            Val::Num(n, _) => Scalar::Num(*n),
            Val::Bool(b, _) => Scalar::Bool(*b),
            Val::List(..) | Val::Call(..) => Scalar::Null,
        };
        At {
            value,
            loc: loc(self.file, self.span(v.range())),
        }
    }

    fn problem(&mut self, r: Range<usize>, message: String, help: &str) {
        let span = self.span(r);
        self.problems
            .push(Problem::new(loc(self.file, span), message).help(help));
    }

    fn logic(&mut self, e: &Expr) -> Logic {
        match e {
            Expr::And(xs) => Logic::All(xs.iter().map(|x| self.logic(x)).collect()),
            Expr::Or(xs) => Logic::Any(xs.iter().map(|x| self.logic(x)).collect()),
            Expr::Not(x) => Logic::Not(Box::new(self.logic(x))),
            Expr::Bool(..) => Logic::All(Vec::new()),
            Expr::Test(c) => self.comparison(c),
        }
    }

    fn comparison(&mut self, c: &Comparison) -> Logic {
        let path = c.element.path.as_str();
        let mut element = path;
        if !known_elements().any(|k| k == path) {
            let guess = suggest_element(path);
            let hint = guess.map_or_else(String::new, |g| format!(": did you mean `{g}`?"));
            self.problem(
                c.element.path_range.clone(),
                format!("unknown Remote Config element `{path}`{hint}"),
                "use an element of the Remote Config condition reference (`device.country`, `app.userProperty['name']`, `app.audiences`, ...); Firebase rejects the template otherwise",
            );
            // Read it as what it was meant to be, or as data named as written.
            element = guess.unwrap_or(path);
        }
        if NOT_PERSONAL.contains(&element) {
            return Logic::All(Vec::new());
        }
        if element == AUDIENCES {
            return self.audiences(c);
        }
        let (id, data_range) = if KEYED.contains(&element) {
            match &c.element.key {
                Some((k, _)) => (format!("{element}.{k}"), c.element.range.clone()),
                None => {
                    self.problem(
                        c.element.range.clone(),
                        format!("`{element}` needs the name of the property: `{element}['name']`"),
                        "name the property in brackets and quotes",
                    );
                    return Logic::All(Vec::new());
                }
            }
        } else {
            // Device data, or an unknown element read as written (its key kept), so the
            // rules still see it.
            let id = match &c.element.key {
                Some((k, _)) => format!("{element}.{k}"),
                None => element.to_string(),
            };
            (id, c.element.range.clone())
        };
        let data = Text::new(id, loc(self.file, self.span(data_range)));
        let test_loc = loc(self.file, self.span(c.op_range.start..c.range.end));
        let item = loc(self.file, self.span(c.range.clone()));
        let cond = |test: Test| Logic::Cond(Condition::new(data.clone(), test, test_loc, item));
        let values: Vec<&Val> = c.values.iter().flat_map(Val::scalars).collect();
        let first = values.first().map(|v| self.scalar(v));
        let number = |v: Option<&&Val>| match v {
            Some(Val::Num(n, r)) => Some(At {
                value: *n,
                loc: loc(self.file, self.span(r.clone())),
            }),
            _ => None,
        };
        let op_at = At {
            value: true,
            loc: loc(self.file, self.span(c.op_range.clone())),
        };
        match &c.op {
            Op::Eq => first.map_or(Logic::All(Vec::new()), |v| cond(Test::Equals(v))),
            Op::Ne => first.map_or(Logic::All(Vec::new()), |v| cond(Test::NotEquals(v))),
            Op::In => cond(Test::In(values.iter().map(|v| self.scalar(v)).collect())),
            Op::Lt | Op::Le => match number(values.first()) {
                Some(n) => cond(Test::Lt(n)),
                None => cond(Test::Exists(op_at)),
            },
            Op::Gt | Op::Ge => match number(values.first()) {
                Some(n) => cond(Test::Gt(n)),
                None => cond(Test::Exists(op_at)),
            },
            Op::Between => {
                let parts = [
                    number(values.first()).map(Test::Gt),
                    number(values.get(1)).map(Test::Lt),
                ];
                Logic::all(parts.into_iter().flatten().map(cond).collect())
            }
            // A prefix is tested like a part of the value: rules read the words.
            Op::Method(m) if m == "contains" || m == "beginsWith" => Logic::any(
                values
                    .iter()
                    .map(|v| cond(Test::Contains(self.scalar(v))))
                    .collect(),
            ),
            Op::Method(m) if m == "notContains" => Logic::Not(Box::new(Logic::any(
                values
                    .iter()
                    .map(|v| cond(Test::Contains(self.scalar(v))))
                    .collect(),
            ))),
            Op::Method(m) if m == "exactlyMatches" => {
                cond(Test::In(values.iter().map(|v| self.scalar(v)).collect()))
            }
            Op::Method(m) if m == "matches" => Logic::any(
                values
                    .iter()
                    .filter_map(|v| match v {
                        Val::Str(s, r) => Some(cond(Test::Matches(Text::new(
                            s.clone(),
                            loc(self.file, self.span(r.clone())),
                        )))),
                        _ => None,
                    })
                    .collect(),
            ),
            Op::Method(m) => {
                let hint = did_you_mean(m, VALUE_METHODS)
                    .map_or_else(String::new, |g| format!(": did you mean `.{g}`?"));
                self.problem(
                    c.op_range.clone(),
                    format!("unknown operator `.{m}` on `{}`{hint}", c.element.path),
                    "use `.contains([...])`, `.notContains([...])`, `.beginsWith([...])`, `.exactlyMatches([...])` or `.matches([...])`",
                );
                cond(Test::Exists(op_at))
            }
        }
    }

    /// `app.audiences.inAtLeastOne(['A', 'B'])`: one condition per audience, each an
    /// item of its own (`app.audiences.A`), so each can be declared.
    fn audiences(&mut self, c: &Comparison) -> Logic {
        let method = match &c.op {
            Op::Method(m) if AUDIENCE_METHODS.contains(&m.as_str()) => m.as_str(),
            other => {
                let shown = match other {
                    Op::Method(m) => format!(".{m}"),
                    _ => "this operator".to_string(),
                };
                let hint = match other {
                    Op::Method(m) => did_you_mean(m, AUDIENCE_METHODS)
                        .map_or_else(String::new, |g| format!(": did you mean `.{g}`?")),
                    _ => String::new(),
                };
                self.problem(
                    c.op_range.clone(),
                    format!("`app.audiences` takes `.inAtLeastOne([...])`, `.inAll`, `.notInAtLeastOne` or `.notInAll`, not `{shown}`{hint}"),
                    "write e.g. `app.audiences.inAtLeastOne(['Purchasers'])`",
                );
                return Logic::All(Vec::new());
            }
        };
        let member = !method.starts_with("not");
        let conds: Vec<Logic> = c
            .values
            .iter()
            .flat_map(Val::scalars)
            .filter_map(|v| match v {
                Val::Str(name, r) => Some(Logic::Cond(Condition::new(
                    Text::new(
                        format!("{AUDIENCES}.{name}"),
                        loc(self.file, self.span(r.clone())),
                    ),
                    Test::Exists(At {
                        value: member,
                        loc: loc(self.file, self.span(c.op_range.clone())),
                    }),
                    loc(self.file, self.span(c.op_range.start..c.range.end)),
                    loc(self.file, self.span(c.range.clone())),
                ))),
                _ => None,
            })
            .collect();
        if method.ends_with("All") {
            Logic::all(conds)
        } else {
            Logic::any(conds)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::tree;

    fn read(text: &str) -> (Vec<Targeted>, Vec<Problem>) {
        let doc = match tree::parse(text, true).remove(0).result {
            Ok(d) => d,
            Err(e) => panic!("{e:?}"),
        };
        assert!(is_template(&doc));
        let mut r = Reader::new(FileId(0), text);
        let out = r.read(&doc);
        (out, r.problems)
    }

    fn template(expression: &str) -> String {
        format!(
            r#"{{"conditions": [{{"name": "c", "expression": {}}}],
"parameters": {{"promo": {{"defaultValue": {{"value": "Hello"}},
  "conditionalValues": {{"c": {{"value": "Hi again"}}}},
  "description": "Greeting on the home screen"}}}}}}"#,
            serde_json::Value::String(expression.to_string())
        )
    }

    fn data_ids(t: &Targeted) -> Vec<String> {
        t.logic
            .conditions()
            .iter()
            .map(|c| c.data.as_str().to_owned())
            .collect()
    }

    fn slice(text: &str, span: Span) -> &str {
        &text[span.start()..span.end()]
    }

    #[test]
    fn each_conditional_value_is_a_personalization() {
        let text = template("device.country in ['de', 'at']");
        let (ps, problems) = read(&text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(ps.len(), 1);
        let p = &ps[0];
        assert_eq!(p.id.as_str(), "promo[c]");
        assert_eq!(slice(&text, p.id.loc.span), "\"c\"");
        assert_eq!(p.channel.value, Channel::InApp);
        assert_eq!(p.message.as_ref().map(|m| m.as_str()), Some("Hi again"));
        assert_eq!(
            p.description.as_ref().map(|d| d.as_str()),
            Some("Greeting on the home screen")
        );
        let conds = p.logic.conditions();
        assert_eq!(conds.len(), 1);
        assert_eq!(conds[0].data.as_str(), "device.country");
        assert_eq!(slice(&text, conds[0].data.loc.span), "device.country");
        match &conds[0].test {
            Test::In(vs) => {
                assert_eq!(vs.len(), 2);
                assert_eq!(slice(&text, vs[1].loc.span), "'at'");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn elements_map_onto_data() {
        for (expression, ids) in [
            ("device.language in ['es-ES']", vec!["device.language"]),
            (
                "app.userProperty['pregnancy_stage'] == 'third'",
                vec!["app.userProperty.pregnancy_stage"],
            ),
            (
                "app.customSignal['plan'].exactlyMatches(['gold'])",
                vec!["app.customSignal.plan"],
            ),
            (
                "app.audiences.inAtLeastOne(['Likely churners', 'Buyers'])",
                vec!["app.audiences.Likely churners", "app.audiences.Buyers"],
            ),
            ("device.os == 'ios' && app.version >= '2.0'", vec![]),
            (
                "app.firstOpenTimestamp <= ('2022-10-31T14:37:47', 'UTC')",
                vec![],
            ),
            ("device.dateTime < dateTime('2025-01-01T00:00:00')", vec![]),
            (
                "percent('seed') between 0 and 20 || app.build > 100",
                vec![],
            ),
            ("app.firebaseInstallationId in ['abc']", vec![]),
            ("app.id == '1:123:ios:abc' || true", vec![]),
        ] {
            let text = template(expression);
            let (ps, problems) = read(&text);
            assert!(problems.is_empty(), "{expression}: {problems:?}");
            let want: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
            assert_eq!(data_ids(&ps[0]), want, "{expression}");
        }
    }

    #[test]
    fn operators_become_tests() {
        let text = template(
            "app.userProperty['age'] > 17 && app.userProperty['age'] <= 30 && app.userProperty['city'] != 'Madrid' && app.userProperty['bio'].contains(['diabetes', 'insulin']) && app.userProperty['mail'].matches(['.*@corp']) && app.customSignal['city'].beginsWith(['San ']) && !app.customSignal['tier'].notContains(['vip'])",
        );
        let (ps, problems) = read(&text);
        assert!(problems.is_empty(), "{problems:?}");
        let tests: Vec<String> = ps[0]
            .logic
            .conditions()
            .iter()
            .map(|c| match &c.test {
                Test::Gt(n) => format!("gt {}", n.value),
                Test::Lt(n) => format!("lt {}", n.value),
                Test::NotEquals(v) => format!("ne {:?}", v.value),
                Test::Contains(v) => format!("contains {:?}", v.value),
                Test::Matches(t) => format!("matches {}", t.value),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(
            tests,
            vec![
                "gt 17",
                "lt 30",
                "ne Str(\"Madrid\")",
                "contains Str(\"diabetes\")",
                "contains Str(\"insulin\")",
                "matches .*@corp",
                "contains Str(\"San \")",
                "contains Str(\"vip\")",
            ]
        );
        // `||` and `!` keep their shape.
        let (ps, _) = read(&template(
            "device.country == 'us' || !(app.userProperty['x'] == 'y')",
        ));
        assert!(matches!(&ps[0].logic, Logic::Any(alts) if matches!(alts[1], Logic::Not(_))));
    }

    #[test]
    fn malformed_expressions_point_inside_the_string() {
        let text = template("device.country in ['us' && device.os == \"ios\"");
        let (_, problems) = read(&text);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].message.contains("cannot be parsed"),
            "{problems:?}"
        );
        assert_eq!(slice(&text, problems[0].loc.span), "&&");

        // After an escaped quote, offsets still land on the right bytes.
        let text = template("device.os == \"ios\" && device.country ~ 'us'");
        let (_, problems) = read(&text);
        assert_eq!(slice(&text, problems[0].loc.span), "~");
    }

    #[test]
    fn unknown_elements_and_methods_are_problems_with_a_suggestion() {
        let text = template("user.userProperty['role'] == 'admin'");
        let (ps, problems) = read(&text);
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].message,
            "unknown Remote Config element `user.userProperty`: did you mean `app.userProperty`?"
        );
        assert_eq!(slice(&text, problems[0].loc.span), "user.userProperty");
        // Still read as what it meant, so the other rules see the data.
        assert_eq!(data_ids(&ps[0]), vec!["app.userProperty.role"]);

        let text = template("app.userProperty['plan'].exactMatches(['gold'])");
        let (_, problems) = read(&text);
        assert!(
            problems[0]
                .message
                .contains("did you mean `.exactlyMatches`?"),
            "{problems:?}"
        );
        assert_eq!(slice(&text, problems[0].loc.span), ".exactMatches");

        let text = template("app.audiences.contains(['x'])");
        let (_, problems) = read(&text);
        assert!(problems[0].message.contains("inAtLeastOne"), "{problems:?}");
    }

    #[test]
    fn groups_descriptions_channels_and_unknown_condition_names() {
        let text = r#"{
  "conditions": [{"name": "expecting", "expression": "app.audiences.inAtLeastOne(['Expecting parents'])"}],
  "parameterGroups": {
    "baby": {
      "description": "Baby club offers. channel: push, frequency: 1/week",
      "parameters": {
        "offer": {"defaultValue": {"value": ""}, "conditionalValues": {
          "expecting": {"value": "Congratulations! 20% off strollers"},
          "expectng": {"value": "x"}}}
      }
    }
  },
  "version": {"updateUser": {"email": "editor@example.com"}}
}"#;
        let (ps, problems) = read(text);
        assert_eq!(ps.len(), 1);
        assert_eq!(ps[0].channel.value, Channel::Push);
        let freq = ps[0]
            .frequency
            .as_ref()
            .map(|f| (f.value.to_string(), slice(text, f.loc.span)));
        assert_eq!(freq, Some(("1/week".to_string(), "1/week")));
        assert_eq!(
            ps[0].description.as_ref().map(|d| d.as_str()),
            Some("Baby club offers. channel: push, frequency: 1/week")
        );
        assert_eq!(data_ids(&ps[0]), vec!["app.audiences.Expecting parents"]);
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].message,
            "no condition is named `expectng`: did you mean `expecting`?"
        );
        // The editor's address is metadata about the template, never data about users.
        for p in &ps {
            assert!(
                p.logic
                    .conditions()
                    .iter()
                    .all(|c| !c.data.value.contains("email"))
            );
        }
    }

    #[test]
    fn copying_a_big_condition_into_many_values_stops_with_one_problem() {
        let big = vec!["app.userProperty['a'] == 'x'"; 500].join(" && ");
        let values: Vec<String> = (0..200)
            .map(|i| format!(r#""p{i}": {{"defaultValue": {{"value": ""}}, "conditionalValues": {{"c": {{"value": "v"}}}}}}"#))
            .collect();
        let text = format!(
            r#"{{"conditions": [{{"name": "c", "expression": "{big}"}}], "parameters": {{{}}}}}"#,
            values.join(",")
        );
        let (ps, problems) = read(&text);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("more than"), "{problems:?}");
        assert_eq!(ps.len(), MAX_CONDITIONS / 500);
    }

    #[test]
    fn values_that_are_not_words_are_not_messages() {
        assert!(is_plain_text("Welcome back"));
        assert!(!is_plain_text("true"));
        assert!(!is_plain_text("120"));
        assert!(!is_plain_text("{\"a\": 1}"));
        assert!(!is_plain_text(""));
    }

    #[test]
    fn recognition() {
        assert!(sniff(Path::new("x/remoteconfig.template.json"), ""));
        assert!(sniff(
            Path::new("rc.json"),
            r#"{"parameters": {"a": {"defaultValue": {}}}}"#
        ));
        assert!(!sniff(
            Path::new("package.json"),
            r#"{"name": "x", "parameters": 1}"#
        ));
        let doc = tree::parse(r#"{"parameters": {"a": 1}}"#, true)
            .remove(0)
            .result;
        assert!(doc.is_ok_and(|d| !is_template(&d)));
    }
}
