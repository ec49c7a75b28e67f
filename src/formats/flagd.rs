//! OpenFeature flagd flag definitions (JSON or YAML): each flag is a personalization;
//! its JsonLogic `targeting` is walked completely (`$ref`s into `$evaluators` included)
//! and every `var` it reads becomes a condition on that data item.

use std::collections::BTreeMap;
use std::path::Path;

use super::Problem;
use super::targeting::{Logic, MAX_CONDITIONS, Targeted, last_end, loc, node_text, scalar};
use super::tree::{Key, Node, Value};
use crate::model::{At, Channel, ChannelHow, ChannelInfo, Condition, Frequency, Test, Text, Use};
use crate::source::{FileId, Span};
use crate::suggest::{Nearest, did_you_mean};
use std::collections::HashMap;

/// Where a flag reaches the person unless its metadata says otherwise: what a flag
/// changes is shown in the product.
pub const DEFAULT_CHANNEL: Channel = Channel::InApp;

/// JsonLogic's operators and flagd's own, with the number of arguments each takes.
const OPERATORS: &[(&str, usize, Option<usize>)] = &[
    ("var", 0, Some(2)),
    ("missing", 0, None),
    ("missing_some", 2, Some(2)),
    ("if", 2, None),
    ("?:", 3, Some(3)),
    ("==", 2, Some(2)),
    ("===", 2, Some(2)),
    ("!=", 2, Some(2)),
    ("!==", 2, Some(2)),
    ("!", 1, Some(1)),
    ("!!", 1, Some(1)),
    ("or", 1, None),
    ("and", 1, None),
    (">", 2, Some(2)),
    (">=", 2, Some(2)),
    ("<", 2, Some(3)),
    ("<=", 2, Some(3)),
    ("max", 1, None),
    ("min", 1, None),
    ("+", 0, None),
    ("-", 1, Some(2)),
    ("*", 1, None),
    ("/", 2, Some(2)),
    ("%", 2, Some(2)),
    ("map", 2, Some(2)),
    ("filter", 2, Some(2)),
    ("reduce", 2, Some(3)),
    ("all", 2, Some(2)),
    ("none", 2, Some(2)),
    ("some", 2, Some(2)),
    ("merge", 0, None),
    ("in", 2, Some(2)),
    ("cat", 0, None),
    ("substr", 2, Some(3)),
    ("log", 1, Some(1)),
    ("fractional", 1, None),
    // The name flagd used before `fractional`; older flag files still carry it.
    ("fractionalEvaluation", 1, None),
    ("starts_with", 2, Some(2)),
    ("ends_with", 2, Some(2)),
    ("sem_ver", 3, Some(3)),
];

const SEM_VER_OPS: [&str; 8] = ["=", "!=", "<", "<=", ">", ">=", "^", "~"];

/// OpenFeature flagd flag sets (JSON or YAML), and OpenFeature Operator `FeatureFlag`
/// resources.
pub struct FlagdReader;

impl super::Reader for FlagdReader {
    fn name(&self) -> &'static str {
        "flagd"
    }
    fn extensions(&self) -> &'static [&'static str] {
        &["json", "yaml", "yml"]
    }
    fn sniff(&self, path: &Path, text: &str) -> bool {
        sniff(path, text)
    }
    fn marker(&self, text: &str) -> Option<Span> {
        // A file too large to parse, that shows it is a flag set in its first bytes.
        (text.contains("variants") && text.contains("defaultVariant"))
            .then(|| {
                ["\"flags\"", "flags:"]
                    .into_iter()
                    .find_map(|w| text.find(w).map(|at| Span::new(at, w.len())))
            })
            .flatten()
    }
    fn read(&self, file: &crate::source::SourceFile, id: FileId) -> super::FileRead {
        super::targeting::read_file(file, id, super::targeting::Format::Flagd)
    }
    fn ids_are_project_wide(&self) -> bool {
        false
    }
}

/// Cheap recognition: a `*.flagd.json|yaml|yml` name, or a JSON/YAML text with the
/// words every flag definition has.
pub fn sniff(path: &Path, text: &str) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if [".flagd.json", ".flagd.yaml", ".flagd.yml"]
        .iter()
        .any(|e| name.ends_with(e))
    {
        return true;
    }
    text.contains("flags")
        && text.contains("variants")
        && (text.contains("defaultVariant") || text.contains("state"))
}

/// The shape of a flag set: a `flags` mapping whose flags have `variants`, or a
/// `$schema` of flagd's.
pub fn is_flag_set(doc: &Node) -> bool {
    let schema = doc
        .get("$schema")
        .and_then(Node::as_str)
        .is_some_and(|s| s.contains("flagd.dev/schema"));
    let flags = doc.get("flags").and_then(Node::as_map).is_some_and(|m| {
        m.iter()
            .any(|(_, f)| f.get("variants").and_then(Node::as_map).is_some())
    });
    flags || (schema && doc.get("flags").is_some())
}

/// Where a walk is: inside `map`/`filter`/... a `var` is relative to the array's items.
#[derive(Clone, Default)]
struct Scope {
    prefix: Option<String>,
}

pub struct Reader<'a, 'd> {
    pub file: FileId,
    pub text: &'a str,
    pub problems: Vec<Problem>,
    /// The names of `$evaluators`, in file order.
    evaluator_names: Vec<&'d str>,
    /// Each evaluator by name (the first of a name; a lookup walked the list for every
    /// `$ref`, issue 14).
    evaluators: HashMap<&'d str, &'d Node>,
    /// The names, ready for did-you-mean questions (built at the first `$ref` to a
    /// missing one; each used to compare every name).
    nearest: Option<Nearest<'d>>,
    /// Evaluators resolved so far; `None` while one is being resolved (a `$ref` back
    /// to it closes a cycle).
    resolved: BTreeMap<String, Option<Logic>>,
    depth: usize,
    /// Conditions copied in through `$ref`s so far, against [`MAX_CONDITIONS`].
    expanded: usize,
    /// Whether a budget was exceeded (reported once).
    over_budget: bool,
}

impl<'a, 'd> Reader<'a, 'd> {
    pub fn new(file: FileId, text: &'a str) -> Self {
        Self {
            file,
            text,
            problems: Vec::new(),
            evaluator_names: Vec::new(),
            evaluators: HashMap::new(),
            nearest: None,
            resolved: BTreeMap::new(),
            depth: 0,
            expanded: 0,
            over_budget: false,
        }
    }

    fn problem(&mut self, span: Span, message: impl Into<String>, help: impl Into<String>) {
        self.problems
            .push(Problem::new(loc(self.file, span), message).help(help));
    }

    fn text_of(&self, node: Option<&Node>) -> Option<Text> {
        node_text(node?, self.text, self.file)
    }

    /// Every flag of the set as a personalization.
    pub fn read(&mut self, doc: &'d Node) -> Vec<Targeted> {
        if let Some(evals) = doc.get("$evaluators") {
            match evals.as_map() {
                Some(m) => {
                    for (k, v) in m {
                        self.evaluator_names.push(k.text.as_str());
                        self.evaluators.entry(k.text.as_str()).or_insert(v);
                    }
                }
                None => self.problem(
                    evals.span,
                    "`$evaluators` is a mapping from names to JsonLogic rules",
                    "write `\"$evaluators\": {\"name\": {...}}`",
                ),
            }
        }
        let set_metadata = doc.get("metadata");
        if let Some(m) = set_metadata {
            self.check_channel(m);
        }
        let mut out = Vec::new();
        match doc.get("flags") {
            Some(flags) => match flags.as_map() {
                Some(m) => {
                    for (key, flag) in m {
                        if let Some(t) = self.flag(key, flag, set_metadata) {
                            out.push(t);
                        }
                    }
                }
                None => self.problem(
                    flags.span,
                    "`flags` is a mapping from flag keys to flags",
                    "write `\"flags\": {\"my-flag\": {\"state\": \"ENABLED\", ...}}`",
                ),
            },
            None => self.problem(
                doc.head_span(),
                "this flag set has no `flags`",
                "add a `flags` mapping",
            ),
        }
        // Evaluators no flag refers to are still checked.
        for name in self.evaluator_names.clone() {
            self.evaluator(name, Span::default());
        }
        out
    }

    fn flag(&mut self, key: &Key, flag: &Node, set_metadata: Option<&Node>) -> Option<Targeted> {
        if flag.as_map().is_none() {
            self.problem(
                flag.span,
                format!("the flag `{}` is not a mapping", key.text),
                "a flag has `state`, `variants`, `defaultVariant` and optionally `targeting`",
            );
            return None;
        }
        if let Some(state) = flag.get("state")
            && !matches!(state.as_str(), Some("ENABLED" | "DISABLED"))
        {
            self.problem(
                state.span,
                format!(
                    "the flag `{}` has a `state` other than `ENABLED` or `DISABLED`",
                    key.text
                ),
                "write `\"state\": \"ENABLED\"` or `\"state\": \"DISABLED\"`",
            );
        }
        let variants = flag.get("variants");
        let names: Vec<&str> = variants
            .and_then(Node::as_map)
            .unwrap_or_default()
            .iter()
            .map(|(k, _)| k.text.as_str())
            .collect();
        match variants {
            None => self.problem(
                key.span,
                format!("the flag `{}` has no `variants`", key.text),
                "add the values the flag can take, e.g. `\"variants\": {\"on\": true, \"off\": false}`",
            ),
            Some(v) if v.as_map().is_none() => self.problem(
                v.span,
                format!("the `variants` of `{}` are not a mapping", key.text),
                "map each variant name to its value",
            ),
            Some(_) => {}
        }
        if let Some(d) = flag.get("defaultVariant")
            && let Some(name) = d.as_str()
            && variants.is_some_and(|v| v.as_map().is_some())
            && !names.contains(&name)
        {
            let hint = did_you_mean(name, names.iter().copied())
                .map_or_else(String::new, |m| format!(": did you mean `{m}`?"));
            self.problem(
                d.span,
                format!(
                    "`defaultVariant` names `{name}`, which is not a variant of `{}`{hint}",
                    key.text
                ),
                "name one of the flag's `variants`",
            );
        }
        let logic = match flag.get("targeting") {
            Some(t) if t.as_map().is_some() => self.rule(t, &Scope::default()),
            Some(t) if t.value == Value::Null => Logic::All(Vec::new()),
            Some(t) => {
                self.problem(
                    t.span,
                    "`targeting` is a JsonLogic rule: a mapping from an operator to its arguments",
                    "write e.g. `\"targeting\": {\"if\": [{\"==\": [{\"var\": \"plan\"}, \"pro\"]}, \"on\", \"off\"]}`",
                );
                Logic::All(Vec::new())
            }
            None => Logic::All(Vec::new()),
        };
        let meta = flag.get("metadata");
        let meta_get = |k: &str| meta.and_then(|m| m.get(k));
        let description = self
            .text_of(meta_get("purpose"))
            .or_else(|| self.text_of(meta_get("description")))
            .or_else(|| self.text_of(flag.get("description")));
        // The flag's own metadata, else the flag set's; else what a flag changes is
        // shown in the product.
        let channel = [meta, set_metadata]
            .into_iter()
            .flatten()
            .find_map(|m| {
                let n = m.get("channel")?;
                let value = n.as_str().and_then(Channel::parse)?;
                Some(ChannelInfo {
                    value,
                    loc: loc(self.file, n.span),
                    how: ChannelHow::Declared,
                })
            })
            .unwrap_or(ChannelInfo {
                value: DEFAULT_CHANNEL,
                loc: loc(self.file, key.span),
                how: ChannelHow::Defaulted,
            });
        if let Some(m) = meta {
            self.check_channel(m);
        }
        let use_ = meta_get("use").and_then(|n| {
            Some(At {
                value: Use::parse(n.as_str()?)?,
                loc: loc(self.file, n.span),
            })
        });
        let start = key.span.start();
        let end = last_end(flag).max(key.span.end());
        Some(Targeted {
            id: Text::new(key.text.clone(), loc(self.file, key.span)),
            description,
            use_,
            logic,
            channel,
            message: variants.and_then(|v| self.shown(v)),
            explanation: self.text_of(meta_get("explanation")),
            frequency: meta_get("frequency").and_then(|n| {
                Some(At {
                    value: Frequency::parse(n.as_str()?)?,
                    loc: loc(self.file, n.span),
                })
            }),
            item: loc(self.file, Span::new(start, end - start)),
            // The flag's own `metadata.owner`, else the flag set's.
            owner: [meta, set_metadata]
                .into_iter()
                .flatten()
                .find_map(|m| self.text_of(m.get("owner")).filter(|t| !t.is_blank())),
        })
    }

    /// A `channel` in metadata that names no channel is a problem, not a silent default.
    fn check_channel(&mut self, meta: &Node) {
        if let Some(n) = meta.get("channel")
            && n.as_str().and_then(Channel::parse).is_none()
        {
            let got = n.scalar_text().unwrap_or_default();
            let hint = did_you_mean(&got, Channel::names())
                .map_or_else(String::new, |c| format!(": did you mean `{c}`?"));
            self.problem(
                n.span,
                format!("unknown channel `{got}`{hint}"),
                format!("use one of {}", Channel::names().join(", ")),
            );
        }
    }

    /// What the variants show: the words among their values (a lone one exactly, several
    /// together, pointing at the `variants`).
    fn shown(&self, variants: &Node) -> Option<Text> {
        let mut words: Vec<&Node> = Vec::new();
        collect_words(variants, &mut words, 0);
        match words.as_slice() {
            [] => None,
            [one] => node_text(one, self.text, self.file),
            many => {
                let joined = many
                    .iter()
                    .filter_map(|n| n.as_str())
                    .collect::<Vec<_>>()
                    .join("\n");
                let end = last_end(variants);
                let start = variants.head_span().start().min(variants.span.start());
                Some(Text::new(
                    joined,
                    loc(self.file, Span::new(start, end.saturating_sub(start))),
                ))
            }
        }
    }

    /// A budget was exceeded: said once, and the rest of the file is read without it.
    fn over_budget(&mut self, span: Span, message: String) {
        if !self.over_budget {
            self.over_budget = true;
            self.problem(
                span,
                message,
                "simplify the targeting: creeplint stops expanding it here, and so would a reviewer",
            );
        }
    }

    /// The logic of a named evaluator, resolved once; `$ref` cycles are problems.
    fn evaluator(&mut self, name: &str, at: Span) -> Option<Logic> {
        match self.resolved.get(name) {
            Some(Some(l)) => return Some(l.clone()),
            Some(None) => {
                self.problem(
                    at,
                    format!("`$ref` to `{name}` makes a cycle: `{name}` refers back to itself"),
                    "break the cycle: an evaluator cannot use itself, directly or through others",
                );
                return None;
            }
            None => {}
        }
        let node = *self.evaluators.get(name)?;
        self.resolved.insert(name.to_string(), None);
        let logic = self.rule(node, &Scope::default());
        self.resolved.insert(name.to_string(), Some(logic.clone()));
        Some(logic)
    }

    fn reference(&mut self, value: &Node) -> Logic {
        let Some(name) = value.as_str() else {
            self.problem(
                value.span,
                "`$ref` names an evaluator: a string",
                "write `{\"$ref\": \"name\"}` with a name from `$evaluators`",
            );
            return Logic::All(Vec::new());
        };
        if !self.evaluators.contains_key(name) {
            let names = &self.evaluator_names;
            let hint = self
                .nearest
                .get_or_insert_with(|| Nearest::new(names.iter().copied()))
                .find(name)
                .map_or_else(String::new, |m| format!(": did you mean `{m}`?"));
            self.problem(
                value.span,
                format!("`$ref` to `{name}`, which is not in `$evaluators`{hint}"),
                "add the evaluator under `$evaluators`, or fix the name; flagd cannot evaluate this flag",
            );
            return Logic::All(Vec::new());
        }
        let logic = self
            .evaluator(name, value.span)
            .unwrap_or(Logic::All(Vec::new()));
        self.expanded += logic.count();
        if self.expanded > MAX_CONDITIONS {
            self.over_budget(
                value.span,
                format!("the `$ref`s of this file expand to more than {MAX_CONDITIONS} conditions"),
            );
            return Logic::All(Vec::new());
        }
        logic
    }

    /// Walk a JsonLogic value: a rule (`{op: args}`), an array of values, or a literal.
    fn rule(&mut self, node: &Node, scope: &Scope) -> Logic {
        // The tree's own nesting budget bounds this; `$ref`s are resolved once each.
        if self.depth > 4 * super::tree::MAX_DEPTH {
            self.over_budget(
                node.span,
                format!(
                    "this targeting nests deeper than {} levels, through its `$ref`s",
                    4 * super::tree::MAX_DEPTH
                ),
            );
            return Logic::All(Vec::new());
        }
        self.depth += 1;
        let out = self.rule_inner(node, scope);
        self.depth -= 1;
        out
    }

    fn rule_inner(&mut self, node: &Node, scope: &Scope) -> Logic {
        match &node.value {
            Value::Seq(items) => Logic::all(items.iter().map(|i| self.rule(i, scope)).collect()),
            Value::Map(entries) => {
                let Some((op, value)) = entries.first() else {
                    return Logic::All(Vec::new());
                };
                if let Some((extra, _)) = entries.get(1) {
                    self.problem(
                        extra.span,
                        format!(
                            "a JsonLogic rule has one operator, and this one also has `{}` besides `{}`",
                            extra.text, op.text
                        ),
                        "put each operator in its own `{...}`, combined with `and` or `or`",
                    );
                }
                if op.text == "$ref" {
                    return self.reference(value);
                }
                let args: Vec<&Node> = match &value.value {
                    Value::Seq(items) => items.iter().collect(),
                    _ => vec![value],
                };
                let Some(&(_, min, max)) = OPERATORS.iter().find(|(name, ..)| *name == op.text)
                else {
                    let hint = did_you_mean(&op.text, OPERATORS.iter().map(|(n, ..)| *n))
                        .map_or_else(String::new, |m| format!(": did you mean `{m}`?"));
                    self.problem(
                        op.span,
                        format!("unknown JsonLogic operator `{}`{hint}", op.text),
                        "use a JsonLogic operator or one of flagd's (`fractional`, `starts_with`, `ends_with`, `sem_ver`); flagd cannot evaluate this flag",
                    );
                    return Logic::all(args.iter().map(|a| self.rule(a, scope)).collect());
                };
                if args.len() < min || max.is_some_and(|m| args.len() > m) {
                    let wanted = match max {
                        Some(m) if m == min => format!("{min}"),
                        Some(m) => format!("{min} to {m}"),
                        None => format!("at least {min}"),
                    };
                    self.problem(
                        op.span,
                        format!(
                            "`{}` takes {wanted} argument{}, and this one has {}",
                            op.text,
                            if wanted == "1" { "" } else { "s" },
                            args.len()
                        ),
                        "fix the arguments: flagd cannot evaluate this flag",
                    );
                }
                self.operator(op, value, &args, scope)
            }
            _ => Logic::All(Vec::new()),
        }
    }

    fn operator(&mut self, op: &Key, value: &Node, args: &[&Node], scope: &Scope) -> Logic {
        let walk_all =
            |r: &mut Self, xs: &[&Node]| xs.iter().map(|a| r.rule(a, scope)).collect::<Vec<_>>();
        match op.text.as_str() {
            "var" => match self.var_path(args.first().copied(), scope) {
                Some(data) => self.cond(data, op, value, Test::Exists(self.at_true(op))),
                None => Logic::all(walk_all(self, args)),
            },
            "and" => Logic::All(walk_all(self, args)),
            "or" => Logic::Any(walk_all(self, args)),
            "!" => Logic::Not(Box::new(Logic::all(walk_all(self, args)))),
            "if" | "?:" => {
                let mut branches = Vec::new();
                let mut i = 0;
                while let Some(c) = args.get(i) {
                    match args.get(i + 1) {
                        Some(v) => {
                            let cond = self.rule(c, scope);
                            let then = self.rule(v, scope);
                            branches.push(Logic::all(vec![cond, then]));
                        }
                        None => branches.push(self.rule(c, scope)),
                    }
                    i += 2;
                }
                Logic::any(branches)
            }
            "==" | "===" | "!=" | "!==" | "<" | "<=" | ">" | ">=" | "in" | "starts_with"
            | "ends_with" => self.comparison(op, value, args, scope),
            "sem_ver" => {
                let mut parts = Vec::new();
                let version = args.get(2).copied();
                let how = args.get(1).and_then(|n| n.as_str());
                if let Some(h) = args.get(1)
                    && !how.is_some_and(|h| SEM_VER_OPS.contains(&h))
                {
                    self.problem(
                        h.span,
                        format!(
                            "`sem_ver` compares with one of {}, not `{}`",
                            SEM_VER_OPS.join(" "),
                            h.scalar_text().unwrap_or_default()
                        ),
                        "write e.g. `{\"sem_ver\": [{\"var\": \"version\"}, \">=\", \"1.2.0\"]}`",
                    );
                }
                if let Some(data) = args.first().and_then(|a| self.var_of(a, scope)) {
                    let test = match (how, version) {
                        (Some("="), Some(v)) => Test::Equals(scalar(v, self.file)),
                        (Some("!="), Some(v)) => Test::NotEquals(scalar(v, self.file)),
                        _ => Test::Exists(self.at_true(op)),
                    };
                    parts.push(self.cond(data, op, value, test));
                } else if let Some(a) = args.first() {
                    parts.push(self.rule(a, scope));
                }
                Logic::all(parts)
            }
            "fractional" | "fractionalEvaluation" => {
                // The first argument, when it is not a bucket, says what people are
                // bucketed by; each bucket's variant may itself be a rule.
                Logic::any(walk_all(self, args))
            }
            "missing" | "missing_some" => {
                let names: Vec<&Node> = args
                    .iter()
                    .flat_map(|a| match &a.value {
                        Value::Seq(items) => items.iter().collect::<Vec<_>>(),
                        _ => vec![*a],
                    })
                    .collect();
                let mut parts = Vec::new();
                for n in names {
                    match n.as_str() {
                        Some(_) => {
                            if let Some(data) = self.path_text(n, scope) {
                                let test = Test::Exists(At {
                                    value: false,
                                    loc: loc(self.file, op.span),
                                });
                                parts.push(self.cond(data, op, value, test));
                            }
                        }
                        None => parts.push(self.rule(n, scope)),
                    }
                }
                Logic::any(parts)
            }
            "map" | "filter" | "reduce" | "all" | "none" | "some" => {
                let mut parts = Vec::new();
                let Some(first) = args.first() else {
                    return Logic::All(Vec::new());
                };
                parts.push(self.rule(first, scope));
                let inner = Scope {
                    prefix: self
                        .var_of(first, scope)
                        .map(|t| t.value.into_string())
                        .or_else(|| Some(String::new())),
                };
                for a in args.iter().skip(1) {
                    parts.push(self.rule(a, &inner));
                }
                Logic::all(parts)
            }
            _ => Logic::all(walk_all(self, args)),
        }
    }

    /// `==`, `<`, `in`, `starts_with`, ...: each `var` among the arguments becomes a
    /// condition tested against the literal it is compared with.
    fn comparison(&mut self, op: &Key, value: &Node, args: &[&Node], scope: &Scope) -> Logic {
        let literal = |skip: usize| {
            args.iter()
                .enumerate()
                .find(|(i, a)| *i != skip && is_literal(a))
                .map(|(_, a)| *a)
        };
        let mut parts = Vec::new();
        for (i, a) in args.iter().enumerate() {
            let Some(data) = self.var_of(a, scope) else {
                if !is_literal(a) {
                    parts.push(self.rule(a, scope));
                }
                continue;
            };
            let other = literal(i);
            let num = |n: Option<&Node>| {
                n.and_then(|n| {
                    Some(At {
                        value: n.as_f64()?,
                        loc: loc(self.file, n.span),
                    })
                })
            };
            let exists = Test::Exists(self.at_true(op));
            let tests: Vec<Test> = match (op.text.as_str(), other) {
                ("==" | "===", Some(o)) if o.as_seq().is_none() => {
                    vec![Test::Equals(scalar(o, self.file))]
                }
                ("!=" | "!==", Some(o)) if o.as_seq().is_none() => {
                    vec![Test::NotEquals(scalar(o, self.file))]
                }
                ("in", Some(o)) => match (&o.value, i) {
                    (Value::Seq(items), 0) => {
                        vec![Test::In(
                            items.iter().map(|n| scalar(n, self.file)).collect(),
                        )]
                    }
                    (Value::Str(_), 1) => vec![Test::Contains(scalar(o, self.file))],
                    _ => vec![exists],
                },
                ("starts_with" | "ends_with", Some(o)) if i == 0 && o.as_str().is_some() => {
                    vec![Test::Contains(scalar(o, self.file))]
                }
                ("<" | "<=", _) if args.len() == 3 && i == 1 => {
                    let low = num(args.first().copied()).map(Test::Gt);
                    let high = num(args.get(2).copied()).map(Test::Lt);
                    let both: Vec<Test> = low.into_iter().chain(high).collect();
                    if both.is_empty() { vec![exists] } else { both }
                }
                ("<" | "<=", o) if i == 0 => vec![num(o).map_or(exists, Test::Lt)],
                ("<" | "<=", o) => vec![num(o).map_or(exists, Test::Gt)],
                (">" | ">=", o) if i == 0 => vec![num(o).map_or(exists, Test::Gt)],
                (">" | ">=", o) => vec![num(o).map_or(exists, Test::Lt)],
                _ => vec![exists],
            };
            for t in tests {
                parts.push(self.cond(data.clone(), op, value, t));
            }
        }
        Logic::all(parts)
    }

    fn at_true(&self, op: &Key) -> At<bool> {
        At {
            value: true,
            loc: loc(self.file, op.span),
        }
    }

    fn cond(&self, data: Text, op: &Key, value: &Node, test: Test) -> Logic {
        let end = last_end(value).max(op.span.end());
        let test_loc = loc(self.file, Span::new(op.span.start(), end - op.span.start()));
        Logic::Cond(Condition::new(data, test, test_loc, test_loc))
    }

    /// The data a `{"var": ...}` node reads, if it is one and reads personal data.
    fn var_of(&mut self, node: &Node, scope: &Scope) -> Option<Text> {
        let (op, value) = node.as_map().filter(|m| m.len() == 1)?.first()?;
        if op.text != "var" {
            return None;
        }
        let first = match &value.value {
            Value::Seq(items) => items.first()?,
            _ => value,
        };
        self.var_path(Some(first), scope)
    }

    fn var_path(&self, arg: Option<&Node>, scope: &Scope) -> Option<Text> {
        let arg = arg?;
        let first = match &arg.value {
            Value::Seq(items) => items.first()?,
            _ => arg,
        };
        self.path_text(first, scope)
    }

    /// A var path as a data id: `targetingKey` and `$flagd.*` are not personal data on
    /// their own; inside `map`/`filter`/... a path is relative to the array's items.
    fn path_text(&self, node: &Node, scope: &Scope) -> Option<Text> {
        let path = node.as_str()?;
        let mut text = node_text(node, self.text, self.file)?;
        let path = match &scope.prefix {
            Some(p) => {
                let inner = path.strip_prefix("current.").unwrap_or(path);
                if inner.is_empty()
                    || inner == "current"
                    || inner.starts_with("accumulator")
                    || p.is_empty()
                {
                    return None;
                }
                text.set_verbatim_at(None);
                format!("{p}.{inner}")
            }
            None => path.to_string(),
        };
        if path.is_empty() || path == "targetingKey" || path.starts_with("$flagd.") {
            return None;
        }
        text.value = path.into();
        Some(text)
    }
}

fn is_literal(n: &Node) -> bool {
    match &n.value {
        Value::Map(_) => false,
        Value::Seq(items) => items.iter().all(is_literal),
        _ => true,
    }
}

/// String leaves with a letter in them, in order, at most a few levels deep.
fn collect_words<'n>(node: &'n Node, out: &mut Vec<&'n Node>, depth: usize) {
    if depth > 8 || out.len() >= 64 {
        return;
    }
    match &node.value {
        Value::Str(s) if s.chars().any(char::is_alphabetic) => out.push(node),
        Value::Seq(items) => items.iter().for_each(|i| collect_words(i, out, depth + 1)),
        Value::Map(m) => m.iter().for_each(|(_, v)| collect_words(v, out, depth + 1)),
        _ => {}
    }
}

/// A scalar's value, for tests.
#[cfg(test)]
fn shown(s: &At<crate::model::Scalar>) -> String {
    use crate::model::Scalar;
    match &s.value {
        Scalar::Str(s) => s.to_string(),
        other => format!("{other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::tree;

    fn read_with(text: &str, json: bool) -> (Vec<Targeted>, Vec<Problem>) {
        let doc = match tree::parse(text, json).remove(0).result {
            Ok(d) => d,
            Err(e) => panic!("{e:?}"),
        };
        assert!(is_flag_set(&doc));
        let mut r = Reader::new(FileId(0), text);
        let out = r.read(&doc);
        (out, r.problems)
    }

    fn read(text: &str) -> (Vec<Targeted>, Vec<Problem>) {
        read_with(text, true)
    }

    fn flag(targeting: &str) -> String {
        format!(
            r#"{{"flags": {{"f": {{"state": "ENABLED", "variants": {{"on": true, "off": false}},
"defaultVariant": "off", "targeting": {targeting}}}}}}}"#
        )
    }

    fn describe(t: &Targeted) -> Vec<String> {
        t.logic
            .conditions()
            .iter()
            .map(|c| {
                let test = match &c.test {
                    Test::Equals(v) => format!("== {}", shown(v)),
                    Test::NotEquals(v) => format!("!= {}", shown(v)),
                    Test::In(vs) => format!(
                        "in [{}]",
                        vs.iter().map(shown).collect::<Vec<_>>().join(", ")
                    ),
                    Test::Contains(v) => format!("contains {}", shown(v)),
                    Test::Gt(n) => format!("> {}", n.value),
                    Test::Lt(n) => format!("< {}", n.value),
                    Test::Exists(b) => format!("exists {}", b.value),
                    other => format!("{other:?}"),
                };
                format!("{} {test}", c.data.value)
            })
            .collect()
    }

    fn slice(text: &str, span: Span) -> &str {
        &text[span.start()..span.end()]
    }

    #[test]
    fn every_operator_becomes_a_condition() {
        for (targeting, want) in [
            (
                r#"{"==": [{"var": "email"}, "a@b.c"]}"#,
                vec!["email == a@b.c"],
            ),
            (
                r#"{"===": ["a@b.c", {"var": ["email"]}]}"#,
                vec!["email == a@b.c"],
            ),
            (r#"{"!=": [{"var": "plan"}, "free"]}"#, vec!["plan != free"]),
            (
                r#"{"in": [{"var": "country"}, ["ES", "MX"]]}"#,
                vec!["country in [ES, MX]"],
            ),
            (
                r#"{"in": ["@corp.com", {"var": "email"}]}"#,
                vec!["email contains @corp.com"],
            ),
            (r#"{"<": [{"var": "age"}, 18]}"#, vec!["age < 18"]),
            (r#"{">": [{"var": "age"}, 65]}"#, vec!["age > 65"]),
            (
                r#"{"<=": [18, {"var": "age"}, 30]}"#,
                vec!["age > 18", "age < 30"],
            ),
            (
                r#"{"starts_with": [{"var": "user.name"}, "Dr"]}"#,
                vec!["user.name contains Dr"],
            ),
            (
                r#"{"ends_with": [{"var": "email"}, "@gov.es"]}"#,
                vec!["email contains @gov.es"],
            ),
            (
                r#"{"sem_ver": [{"var": "version"}, ">=", "1.0.0"]}"#,
                vec!["version exists true"],
            ),
            (
                r#"{"sem_ver": [{"var": "version"}, "=", "1.0.0"]}"#,
                vec!["version == 1.0.0"],
            ),
            (
                r#"{"fractional": [{"var": "email"}, ["on", 50], ["off", 50]]}"#,
                vec!["email exists true"],
            ),
            (
                r#"{"fractional": [{"cat": [{"var": "$flagd.flagKey"}, {"var": "user.id"}]}, ["on", 50], ["off", 50]]}"#,
                vec!["user.id exists true"],
            ),
            (
                r#"{"and": [{"==": [{"var": "a"}, 1]}, {"or": [{"!": {"var": "b"}}, {"==": [{"var": "c.d"}, true]}]}]}"#,
                vec!["a == Num(1.0)", "b exists true", "c.d == Bool(true)"],
            ),
            (
                r#"{"if": [{"==": [{"var": "tier"}, "gold"]}, "on", {"==": [{"var": "tier"}, "silver"]}, {"var": "fallback_variant"}, "off"]}"#,
                vec![
                    "tier == gold",
                    "tier == silver",
                    "fallback_variant exists true",
                ],
            ),
            (
                r#"{"missing": ["email", "phone"]}"#,
                vec!["email exists false", "phone exists false"],
            ),
            (
                r#"{"some": [{"var": "cart.items"}, {">": [{"var": "price"}, 100]}]}"#,
                vec!["cart.items exists true", "cart.items.price > 100"],
            ),
        ] {
            let (ps, problems) = read(&flag(targeting));
            assert!(problems.is_empty(), "{targeting}: {problems:?}");
            assert_eq!(describe(&ps[0]), want, "{targeting}");
        }
    }

    #[test]
    fn targeting_key_and_flagd_context_are_not_personal() {
        let (ps, _) = read(&flag(
            r#"{"if": [{"and": [{"==": [{"var": "targetingKey"}, "u-1"]}, {">": [{"var": "$flagd.timestamp"}, 1700000000]}]}, "on", "off"]}"#,
        ));
        assert!(ps[0].logic.conditions().is_empty());
    }

    #[test]
    fn alternatives_keep_their_shape() {
        let (ps, _) = read(&flag(
            r#"{"or": [{"==": [{"var": "a"}, 1]}, {"!": {"==": [{"var": "b"}, 2]}}]}"#,
        ));
        assert!(matches!(&ps[0].logic, Logic::Any(alts) if matches!(alts[1], Logic::Not(_))));
    }

    #[test]
    fn refs_are_followed_once_and_cycles_reported() {
        let text = r#"{"flags": {
  "a": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off",
        "targeting": {"if": [{"$ref": "staff"}, "on", "off"]}},
  "b": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off",
        "targeting": {"if": [{"$ref": "loop1"}, "on", "off"]}}},
 "$evaluators": {
  "staff": {"and": [{"$ref": "corp"}, {"==": [{"var": "role"}, "staff"]}]},
  "corp": {"ends_with": [{"var": "email"}, "@corp.com"]},
  "loop1": {"or": [{"$ref": "loop2"}, {"==": [{"var": "x"}, 1]}]},
  "loop2": {"$ref": "loop1"}}}"#;
        let (ps, problems) = read(text);
        assert_eq!(
            describe(&ps[0]),
            vec!["email contains @corp.com", "role == staff"]
        );
        // The condition's span is inside the evaluator, where it is written.
        let email = ps[0].logic.conditions()[0].data.loc.span;
        assert_eq!(slice(text, email), "\"email\"");
        assert!(text[..email.start()].contains("\"corp\":"));
        assert_eq!(describe(&ps[1]), vec!["x == Num(1.0)"]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].message.contains("makes a cycle"),
            "{problems:?}"
        );
        assert_eq!(slice(text, problems[0].loc.span), "\"loop1\"");
    }

    #[test]
    fn malformed_targeting_is_a_problem_where_it_is_written() {
        let text = flag(
            r#"{"if": [{"$ref": "nowhere"}, {"equals": [{"var": "a"}, 1]}, {"==": [{"var": "b"}]}]}"#,
        );
        let (ps, problems) = read(&text);
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            vec![
                "`$ref` to `nowhere`, which is not in `$evaluators`",
                "unknown JsonLogic operator `equals`",
                "`==` takes 2 arguments, and this one has 1",
            ]
        );
        assert_eq!(slice(&text, problems[0].loc.span), "\"nowhere\"");
        assert_eq!(slice(&text, problems[1].loc.span), "\"equals\"");
        assert_eq!(slice(&text, problems[2].loc.span), "\"==\"");
        // What could be read still is.
        assert_eq!(describe(&ps[0]), vec!["a exists true", "b exists true"]);

        let (_, problems) = read(&flag(r#"{"iff": [true, "on", "off"]}"#));
        assert_eq!(
            problems[0].message,
            "unknown JsonLogic operator `iff`: did you mean `if`?"
        );
        let (_, problems) = read(&flag(r#"{"sem_ver": [{"var": "v"}, "gte", "1.0.0"]}"#));
        assert!(
            problems[0]
                .message
                .starts_with("`sem_ver` compares with one of"),
            "{problems:?}"
        );
        let (_, problems) = read(&flag(
            r#"{"==": [{"var": "a"}, 1], "!=": [{"var": "b"}, 2]}"#,
        ));
        assert!(
            problems[0].message.contains("also has `!=`"),
            "{problems:?}"
        );
    }

    #[test]
    fn flag_fields_and_metadata_are_read() {
        let text = r#"{"metadata": {"channel": "email"}, "flags": {
  "baby-banner": {"state": "ENABLED", "defaultVariant": "none",
    "variants": {"none": "", "offer": "Congratulations! 20% off cribs"},
    "metadata": {"purpose": "Show the baby club offer", "explanation": "You joined the baby club.", "use": "marketing", "owner": "growth", "frequency": "1/week"},
    "targeting": {}},
  "other": {"state": "DISABLED", "defaultVariant": "on", "variants": {"on": true, "off": false},
    "metadata": {"channel": "sms"}},
  "broken": {"state": "on", "defaultVariant": "yes", "variants": {"on": true, "off": false},
    "metadata": {"channel": "pigeon"}}}}"#;
        let (ps, problems) = read(text);
        assert_eq!(ps.len(), 3);
        let p = &ps[0];
        assert_eq!(p.id.as_str(), "baby-banner");
        assert_eq!(slice(text, p.id.loc.span), "\"baby-banner\"");
        assert_eq!(
            p.description.as_ref().map(|d| d.as_str()),
            Some("Show the baby club offer")
        );
        assert_eq!(
            p.explanation.as_ref().map(|d| d.as_str()),
            Some("You joined the baby club.")
        );
        assert_eq!(p.use_.as_ref().map(|u| u.value), Some(Use::Marketing));
        assert_eq!(
            p.frequency.as_ref().map(|f| f.value.to_string()),
            Some("1/week".to_string())
        );
        assert_eq!(
            p.message.as_ref().map(|m| m.as_str()),
            Some("Congratulations! 20% off cribs")
        );
        // The flag set's metadata gives a default channel; a flag's own wins.
        assert_eq!(p.channel.value, Channel::Email);
        assert_eq!(p.channel.how, ChannelHow::Declared);
        assert_eq!(ps[1].channel.value, Channel::Sms);
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            vec![
                "the flag `broken` has a `state` other than `ENABLED` or `DISABLED`",
                "`defaultVariant` names `yes`, which is not a variant of `broken`",
                "unknown channel `pigeon`",
            ]
        );
    }

    #[test]
    fn ref_bombs_and_deep_chains_stop_with_one_problem() {
        // Each evaluator uses the next twice: 2^30 conditions if copied naively.
        let mut evals = Vec::new();
        for i in 0..30 {
            evals.push(format!(
                r#""e{i}": {{"and": [{{"$ref": "e{n}"}}, {{"$ref": "e{n}"}}]}}"#,
                n = i + 1
            ));
        }
        evals.push(r#""e30": {"==": [{"var": "a"}, 1]}"#.to_string());
        let text = format!(
            r#"{{"flags": {{"f": {{"state": "ENABLED", "variants": {{"on": true}}, "defaultVariant": "on",
"targeting": {{"$ref": "e0"}}}}}}, "$evaluators": {{{}}}}}"#,
            evals.join(",\n")
        );
        let (ps, problems) = read(&text);
        assert!(ps[0].logic.count() <= MAX_CONDITIONS);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].message.contains("expand to more than"),
            "{problems:?}"
        );

        // A chain of 300 `$ref`s stops at the nesting budget.
        let mut evals = Vec::new();
        for i in 0..300 {
            evals.push(format!(r#""e{i}": {{"!": {{"$ref": "e{n}"}}}}"#, n = i + 1));
        }
        evals.push(r#""e300": {"==": [{"var": "a"}, 1]}"#.to_string());
        let text = format!(
            r#"{{"flags": {{"f": {{"state": "ENABLED", "variants": {{"on": true}}, "defaultVariant": "on",
"targeting": {{"$ref": "e0"}}}}}}, "$evaluators": {{{}}}}}"#,
            evals.join(",\n")
        );
        let (_, problems) = read(&text);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].message.contains("nests deeper than"),
            "{problems:?}"
        );
    }

    #[test]
    fn default_channel_is_in_the_product() {
        let (ps, _) = read(&flag("{}"));
        assert_eq!(ps[0].channel.value, DEFAULT_CHANNEL);
        assert_eq!(ps[0].channel.how, ChannelHow::Defaulted);
        assert!(ps[0].logic.is_empty());
    }

    #[test]
    fn yaml_flag_sets_are_read_with_spans() {
        let text = "flags:\n  promo:\n    state: ENABLED\n    defaultVariant: off\n    variants:\n      on: true\n      off: false\n    targeting:\n      if:\n        - in: [{var: country}, [ES, MX]]\n        - on\n        - off\n";
        let (ps, problems) = read_with(text, false);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(describe(&ps[0]), vec!["country in [ES, MX]"]);
        assert_eq!(
            slice(text, ps[0].logic.conditions()[0].data.loc.span),
            "country"
        );
    }

    #[test]
    fn recognition() {
        assert!(sniff(Path::new("flags/app.flagd.json"), ""));
        assert!(sniff(
            Path::new("x.json"),
            r#"{"flags": {"a": {"state": "ENABLED", "variants": {}}}}"#
        ));
        assert!(!sniff(Path::new("package.json"), r#"{"name": "x"}"#));
        let doc = tree::parse(r#"{"flags": ["--release"], "variants": 1}"#, true)
            .remove(0)
            .result;
        assert!(doc.is_ok_and(|d| !is_flag_set(&d)));
    }
}
