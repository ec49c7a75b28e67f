//! `creeplint.yaml`: find it, read it through the spanned tree, and validate every key
//! against what this build knows (the registered rules, the term lists), so a typo is an
//! error pointing at the exact place in the file instead of a silently ignored setting.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use miette::{NamedSource, SourceSpan};

use crate::formats::tree::{self, Key, Node, Value};
use crate::glob::Glob;
use crate::model::{Channel, Frequency};
use crate::rules;
use crate::rules::aggressive_frequency::Limits;
use crate::source::Span;
use crate::suggest::{did_you_mean, hint};
use crate::vocab::Vocab;

/// The names looked for in the current folder and every folder above it, in order.
pub const FILE_NAMES: [&str; 2] = ["creeplint.yaml", ".creeplint.yaml"];

const TOP_KEYS: [&str; 9] = [
    "rules",
    "exclude",
    "terms",
    "per-path",
    "forms",
    "ui-schemas",
    "project",
    "repository",
    "branch",
];
const LEVELS: [&str; 4] = ["off", "info", "warning", "error"];

/// The settings a rule may take: `severity`, then every option of any rule's record.
fn rule_keys() -> Vec<&'static str> {
    let mut keys = vec!["severity"];
    for option in rules::RULES.iter().flat_map(|r| r.options.iter().copied()) {
        if !keys.contains(&option) {
            keys.push(option);
        }
    }
    keys
}

/// A validated configuration.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    /// Where it was read from, when it was read from a file.
    pub path: Option<PathBuf>,
    pub levels: BTreeMap<String, Level>,
    /// `aggressive-frequency` `limits`, by channel.
    pub frequency_limits: Limits,
    pub excludes: Vec<Glob>,
    pub terms: BTreeMap<String, Vec<String>>,
    /// `per-path`: rule levels for the files a glob matches, in file order (a later
    /// entry wins over an earlier one, and both over `rules`).
    pub per_path: Vec<(Glob, BTreeMap<String, Level>)>,
    /// `forms:`: globs of JSON Schemas that are forms (relative to the file's folder).
    pub forms: Vec<Glob>,
    /// `ui-schemas:`: a schema's uiSchema, both relative to the file's folder, in order.
    pub ui_schemas: Vec<(String, String)>,
    /// Where each `ui-schemas` path is written (schema, uiSchema), for errors.
    ui_schema_spans: Vec<(Span, Span)>,
    /// `project:`: the name the report shows (default: the folder's name).
    pub project: Option<String>,
    /// `repository:`: the repository's web address (`https://github.com/org/repo`), so
    /// the Markdown report links each place to the file and line.
    pub repository: Option<String>,
    /// `branch:`: the branch those links point at when the commit is not known.
    pub branch: Option<String>,
}

/// A rule's configured level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Off,
    On(crate::finding::Severity),
}

/// Why a configuration could not be used; rendered once, by `main`, with the span.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ConfigError {
    #[error("cannot read the configuration {path}: {reason}")]
    #[diagnostic(code(creeplint::config))]
    Read { path: String, reason: String },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Invalid(Box<InvalidConfig>),
}

/// A configuration that was read but is wrong at a place.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{message}")]
#[diagnostic(code(creeplint::config))]
pub struct InvalidConfig {
    pub message: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("{label}")]
    pub span: SourceSpan,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

/// The nearest configuration file in `start` or a folder above it.
pub fn find(start: &Path) -> Option<PathBuf> {
    start.ancestors().find_map(|dir| {
        FILE_NAMES
            .iter()
            .map(|name| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// Read and validate a configuration file.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let text = crate::io::read_regular_text(path, crate::io::MAX_FILE_BYTES).map_err(|e| {
        ConfigError::Read {
            path: crate::source::display_path(path),
            reason: e.to_string(),
        }
    })?;
    let name = crate::source::display_path(path);
    let mut config = parse(&name, &text)?;
    // `ui-schemas` names files: each must exist, relative to this file's folder.
    let folder = path.parent().unwrap_or(Path::new(""));
    let p = Parser {
        name: &name,
        text: &text,
    };
    for ((schema, ui), (schema_at, ui_at)) in config.ui_schemas.iter().zip(&config.ui_schema_spans)
    {
        for (file, at) in [(schema, schema_at), (ui, ui_at)] {
            if !folder.join(file).is_file() {
                return Err(p.error(
                    *at,
                    &format!("`ui-schemas` names `{file}`, which is not a file"),
                    "no such file",
                    Some("paths are relative to the folder of this configuration file".into()),
                ));
            }
        }
    }
    config.path = Some(path.to_path_buf());
    Ok(config)
}

/// Validate configuration text; `name` is shown in errors.
pub fn parse(name: &str, text: &str) -> Result<Config, ConfigError> {
    let p = Parser { name, text };
    let mut config = Config::default();
    let mut docs = tree::parse(text, false).into_iter();
    let Some(doc) = docs.next() else {
        return Ok(config);
    };
    if let Some(extra) = docs.next() {
        return Err(p.error(
            Span::new(extra.span.start(), 0),
            "a configuration has one YAML document",
            "second document",
            Some("remove the `---` and merge the documents".into()),
        ));
    }
    let root = doc
        .result
        .map_err(|e| p.error(e.span, &format!("YAML {}", e.message), "here", e.help))?;
    if root.value == Value::Null {
        return Ok(config);
    }
    let entries = p.map(&root, "the configuration")?;
    for (key, value) in entries {
        match key.text.as_str() {
            "rules" => p.rules(value, &mut config)?,
            "exclude" => {
                for s in p.strings(value, "`exclude`")? {
                    config.excludes.push(Glob::new(&s));
                }
            }
            "terms" => p.terms(value, &mut config)?,
            "per-path" => p.per_path(value, &mut config)?,
            "forms" => {
                for s in p.strings(value, "`forms`")? {
                    config.forms.push(Glob::new(&s));
                }
            }
            "ui-schemas" => p.ui_schemas(value, &mut config)?,
            "project" => config.project = Some(p.string(value, "`project`")?),
            "repository" => {
                let url = p.string(value, "`repository`")?;
                if !(url.starts_with("https://") || url.starts_with("http://")) {
                    return Err(p.error(
                        value.span,
                        "`repository` must be a web address",
                        "not an http(s) address",
                        Some("write the address you browse the repository at, e.g. `repository: https://github.com/org/repo`".into()),
                    ));
                }
                config.repository = Some(url.trim_end_matches('/').to_string());
            }
            "branch" => config.branch = Some(p.string(value, "`branch`")?),
            other => return Err(p.unknown(key, "key", other, &TOP_KEYS)),
        }
    }
    Ok(config)
}

struct Parser<'a> {
    name: &'a str,
    text: &'a str,
}

impl Parser<'_> {
    fn error(&self, span: Span, message: &str, label: &str, help: Option<String>) -> ConfigError {
        ConfigError::Invalid(Box::new(InvalidConfig {
            message: format!("{}: {message}", self.name),
            src: NamedSource::new(self.name, self.text.to_string()).with_language("yaml"),
            span: SourceSpan::new(span.start().into(), span.len()),
            label: label.to_string(),
            help,
        }))
    }

    fn unknown(&self, key: &Key, what: &str, got: &str, candidates: &[&str]) -> ConfigError {
        let help = hint(got, candidates.iter().copied(), "expected one of");
        self.error(
            key.span,
            &format!("unknown {what} `{got}`"),
            &format!("unknown {what}"),
            Some(help),
        )
    }

    fn map<'n>(&self, node: &'n Node, what: &str) -> Result<&'n [(Key, Node)], ConfigError> {
        match &node.value {
            Value::Map(m) => Ok(m),
            _ => Err(self.error(
                node.span,
                &format!("{what} must be a mapping"),
                "expected a mapping",
                None,
            )),
        }
    }

    /// One non-empty string.
    fn string(&self, node: &Node, what: &str) -> Result<String, ConfigError> {
        match node.as_str().map(str::trim) {
            Some(s) if !s.is_empty() => Ok(s.to_string()),
            _ => Err(self.error(
                node.span,
                &format!("{what} must be a non-empty string"),
                "expected a string",
                None,
            )),
        }
    }

    /// A list of strings (a single string is read as a list of one).
    fn strings(&self, node: &Node, what: &str) -> Result<Vec<String>, ConfigError> {
        if let Some(s) = node.as_str() {
            return Ok(vec![s.to_string()]);
        }
        let Some(items) = node.as_seq() else {
            return Err(self.error(
                node.span,
                &format!("{what} must be a list of strings"),
                "expected a list",
                None,
            ));
        };
        items
            .iter()
            .map(|n| {
                n.as_str().map(str::to_string).ok_or_else(|| {
                    self.error(
                        n.span,
                        &format!("{what} must be a list of strings"),
                        "expected a string",
                        None,
                    )
                })
            })
            .collect()
    }

    fn level(&self, node: &Node) -> Result<Level, ConfigError> {
        let got = node.scalar_text().unwrap_or_default();
        if got == "off" {
            return Ok(Level::Off);
        }
        if let Some(s) = crate::finding::Severity::parse(&got) {
            return Ok(Level::On(s));
        }
        let help = hint(&got, LEVELS, "use one of");
        Err(self.error(
            node.span,
            &format!("`{got}` is not a rule level"),
            "not a level",
            Some(help),
        ))
    }

    fn rules(&self, node: &Node, config: &mut Config) -> Result<(), ConfigError> {
        if node.value == Value::Null {
            return Ok(());
        }
        for (key, value) in self.map(node, "`rules`")? {
            let name = key.text.as_str();
            let Some(rule) = rules::find(name) else {
                let names: Vec<&str> = rules::names().collect();
                let mut err = self.unknown(key, "rule", name, &names);
                if let ConfigError::Invalid(e) = &mut err
                    && did_you_mean(name, rules::names()).is_none()
                {
                    e.help = Some("`creeplint rules` lists every rule".into());
                }
                return Err(err);
            };
            if value.as_map().is_none() {
                config.levels.insert(name.to_string(), self.level(value)?);
                continue;
            }
            for (k, v) in self.map(value, "a rule's settings")? {
                match k.text.as_str() {
                    "severity" => {
                        config.levels.insert(name.to_string(), self.level(v)?);
                    }
                    "limits" if rule.options.contains(&"limits") => self.limits(v, config)?,
                    option if rule_keys().contains(&option) => {
                        let owners: Vec<String> = rules::RULES
                            .iter()
                            .filter(|r| r.options.contains(&option))
                            .map(|r| format!("`{}`", r.name))
                            .collect();
                        return Err(self.error(
                            k.span,
                            &format!("`{name}` has no `{option}`"),
                            "not an option of this rule",
                            Some(format!("`{option}` is an option of {}", owners.join(", "))),
                        ));
                    }
                    other => return Err(self.unknown(k, "rule setting", other, &rule_keys())),
                }
            }
        }
        Ok(())
    }

    /// `per-path: {GLOB: {RULE: LEVEL}}`.
    fn per_path(&self, node: &Node, config: &mut Config) -> Result<(), ConfigError> {
        if node.value == Value::Null {
            return Ok(());
        }
        for (glob, levels) in self.map(node, "`per-path`")? {
            let mut by_rule = BTreeMap::new();
            if levels.value != Value::Null {
                for (key, value) in self.map(levels, "a `per-path` entry")? {
                    let name = key.text.as_str();
                    if rules::find(name).is_none() {
                        let names: Vec<&str> = rules::names().collect();
                        return Err(self.unknown(key, "rule", name, &names));
                    }
                    by_rule.insert(name.to_string(), self.level(value)?);
                }
            }
            config.per_path.push((Glob::new(&glob.text), by_rule));
        }
        Ok(())
    }

    /// `ui-schemas: {SCHEMA: UISCHEMA}`, paths of JSON files.
    fn ui_schemas(&self, node: &Node, config: &mut Config) -> Result<(), ConfigError> {
        if node.value == Value::Null {
            return Ok(());
        }
        for (key, value) in self.map(node, "`ui-schemas`")? {
            let Some(ui) = value.as_str() else {
                return Err(self.error(
                    value.span,
                    "`ui-schemas` maps a schema's path to its uiSchema's path",
                    "expected a path",
                    None,
                ));
            };
            config
                .ui_schemas
                .push((key.text.to_string(), ui.to_string()));
            config.ui_schema_spans.push((key.span, value.span));
        }
        Ok(())
    }

    fn limits(&self, node: &Node, config: &mut Config) -> Result<(), ConfigError> {
        let channels = Channel::names();
        for (key, value) in self.map(node, "`limits`")? {
            let Some(channel) = Channel::parse(&key.text) else {
                return Err(self.unknown(key, "channel", &key.text, &channels));
            };
            let text = value.scalar_text().unwrap_or_default();
            let Some(freq) = Frequency::parse(&text) else {
                return Err(self.error(
                    value.span,
                    &format!("`{text}` is not a frequency"),
                    "not a frequency",
                    Some("write `N/day`, `N/week` or `N/month`, like `1/week`".into()),
                ));
            };
            config.frequency_limits.insert(channel, freq);
        }
        Ok(())
    }

    fn terms(&self, node: &Node, config: &mut Config) -> Result<(), ConfigError> {
        if node.value == Value::Null {
            return Ok(());
        }
        let vocab = Vocab::builtin();
        // The sensitive categories always take words, whatever lists this build ships.
        let mut lists: Vec<&str> = vocab.lists().map(|l| l.name.as_str()).collect();
        lists.extend(crate::model::Category::names());
        lists.sort_unstable();
        lists.dedup();
        for (key, value) in self.map(node, "`terms`")? {
            if !lists.contains(&key.text.as_str()) {
                return Err(self.unknown(key, "term list", &key.text, &lists));
            }
            let words = self.strings(value, &format!("`terms.{}`", key.text))?;
            config
                .terms
                .entry(key.text.to_string())
                .or_default()
                .extend(words);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        match parse("c.yaml", text) {
            Ok(c) => panic!("expected an error, got {c:?}"),
            Err(e) => {
                let help = match &e {
                    ConfigError::Invalid(e) => e.help.clone().unwrap_or_default(),
                    ConfigError::Read { .. } => String::new(),
                };
                format!("{e} | {help}")
            }
        }
    }

    #[test]
    fn reads_every_key() {
        let c = parse(
            "c.yaml",
            "rules:\n  observed-data: off\n  inferred-data:\n    severity: warning\nexclude: [\"legacy/**\"]\nterms:\n  health: [glucose, insulin pump]\n",
        );
        let c = c.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.levels.get("observed-data"), Some(&Level::Off));
        assert_eq!(
            c.levels.get("inferred-data"),
            Some(&Level::On(crate::finding::Severity::Warning))
        );
        assert_eq!(c.excludes, vec![Glob::new("legacy/**")]);
        assert_eq!(c.terms.get("health").map(Vec::len), Some(2));
    }

    #[test]
    fn frequency_limits() {
        let p = Parser {
            name: "c.yaml",
            text: "",
        };
        let node = |t: &str| match tree::parse(t, false).remove(0).result {
            Ok(n) => n,
            Err(e) => panic!("{e:?}"),
        };
        let mut c = Config::default();
        let ok = p.limits(&node("sms: 1/week\npush: 3/day\n"), &mut c);
        assert!(ok.is_ok());
        assert_eq!(
            c.frequency_limits.get("sms").map(ToString::to_string),
            Some("1/week".into())
        );
        assert!(p.limits(&node("smss: 1/week\n"), &mut c).is_err());
        assert!(p.limits(&node("sms: often\n"), &mut c).is_err());
    }

    #[test]
    fn report_keys() {
        let c = parse(
            "c.yaml",
            "project: Creepy Shop\nrepository: https://github.com/org/shop/\nbranch: main\n",
        );
        let c = c.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.project.as_deref(), Some("Creepy Shop"));
        assert_eq!(c.repository.as_deref(), Some("https://github.com/org/shop"));
        assert_eq!(c.branch.as_deref(), Some("main"));
        assert!(err("repository: github.com/org/shop\n").contains("must be a web address"));
        assert!(err("project: [a]\n").contains("`project` must be a non-empty string"));
        assert!(err("projet: x\n").contains("did you mean `project`"));
    }

    #[test]
    fn empty_is_default() {
        assert_eq!(parse("c.yaml", "").ok(), Some(Config::default()));
        assert_eq!(parse("c.yaml", "# nothing\n").ok(), Some(Config::default()));
    }

    #[test]
    fn typos_are_errors_with_suggestions() {
        assert!(err("rulez: {}\n").contains("did you mean `rules`"));
        assert!(err("rules:\n  observed-dta: off\n").contains("did you mean `observed-data`"));
        assert!(err("rules:\n  observed-data: of\n").contains("did you mean `off`"));
        assert!(err("terms:\n  helth: [x]\n").contains("did you mean `health`"));
        assert!(
            err("rules:\n  observed-data: {severty: off}\n").contains("did you mean `severity`")
        );
        assert!(
            err("rules:\n  observed-data: {limits: {sms: 1/week}}\n").contains("has no `limits`")
        );
        assert!(err("- a\n").contains("must be a mapping"));
    }
}
