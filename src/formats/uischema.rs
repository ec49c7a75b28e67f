//! The uiSchema beside a JSON Schema form: how each field is shown. Two dialects:
//!
//! - react-jsonschema-form: an object mirroring the schema's properties, with `ui:title`,
//!   `ui:description`, `ui:help`, `ui:widget`, `ui:autocomplete`, `ui:placeholder`, each
//!   also accepted inside `ui:options: {...}`; `items` for arrays; `ui:order` at any level.
//! - JSON Forms (`uischema.json`): layouts whose `elements` hold `Control`s with a `scope`
//!   (`#/properties/address/properties/city`), a `label` and `options`
//!   (`options.autocomplete`, `options.format: password`, `options.multi` for a textarea).
//!
//! Spans point into the uiSchema file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::tree::{Node, Value};
use crate::model::{Field, Text};
use crate::source::FileId;

/// What the uiSchema says about one field.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hint {
    pub title: Option<Text>,
    pub help: Option<Text>,
    pub widget: Option<Text>,
    pub autocomplete: Option<Text>,
}

/// Every hint of a uiSchema, by the field's dotted id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UiHints {
    pub by_id: BTreeMap<String, Hint>,
    /// `ui:order` lists by the dotted id of the object they order (`""` for the root).
    pub order: BTreeMap<String, Vec<String>>,
}

impl UiHints {
    pub fn get(&self, id: &str) -> Option<&Hint> {
        self.by_id.get(id)
    }

    /// Put fields in the order of the root's `ui:order` (`*` stands for the rest);
    /// fields it does not name keep their order, at the `*` or at the end.
    pub fn order_fields(&self, fields: &mut [Field]) {
        let Some(order) = self.order.get("") else {
            return;
        };
        let rank = |id: &str| {
            let top = id.split('.').next().unwrap_or(id);
            order
                .iter()
                .position(|o| o == top)
                .or_else(|| order.iter().position(|o| o == "*"))
                .unwrap_or(order.len())
        };
        fields.sort_by_key(|f| rank(&f.id.value));
    }

    fn hint(&mut self, id: &str) -> &mut Hint {
        self.by_id.entry(id.to_string()).or_default()
    }
}

/// The uiSchema file names looked for beside a schema, most specific first:
/// `<name>.uischema.json`, `<name>-ui.json`, `<name>.ui.json`, then `uischema.json` beside
/// a `schema.json`, and `<prefix>uischema.json` beside `<prefix>schema.json`.
pub fn candidates(schema: &Path) -> Vec<PathBuf> {
    let Some(name) = schema.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Vec::new();
    };
    let dir = schema.parent().unwrap_or(Path::new(""));
    let stem = name.strip_suffix(".json").unwrap_or(&name);
    let mut out = Vec::new();
    if let Some(prefix) = stem.strip_suffix("schema") {
        out.push(dir.join(format!("{prefix}uischema.json")));
        out.push(dir.join(format!("{prefix}uiSchema.json")));
        let base = prefix.trim_end_matches(['.', '-', '_']);
        if !base.is_empty() {
            out.push(dir.join(format!("{base}.uischema.json")));
            out.push(dir.join(format!("{base}-ui.json")));
        }
    }
    out.push(dir.join(format!("{stem}.uischema.json")));
    out.push(dir.join(format!("{stem}-ui.json")));
    out.push(dir.join(format!("{stem}.ui.json")));
    out.dedup();
    out
}

/// Whether a file name is a uiSchema's (so it is not itself read as a form schema).
pub fn is_uischema_name(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    name.ends_with("uischema.json") || name.ends_with("-ui.json") || name.ends_with(".ui.json")
}

struct Reader<'a> {
    file: FileId,
    text: &'a str,
    hints: UiHints,
}

/// Read a uiSchema of either dialect.
pub fn read(file: FileId, text: &str, root: &Node) -> UiHints {
    let mut r = Reader {
        file,
        text,
        hints: UiHints::default(),
    };
    if root.get("elements").is_some() || root.get("scope").is_some() {
        r.json_forms(root, 0);
    } else {
        r.rjsf(root, "", 0);
    }
    r.hints
}

impl Reader<'_> {
    fn text_of(&self, node: Option<&Node>) -> Option<Text> {
        super::node_text(node?, self.text, self.file)
    }

    /// `ui:KEY` or `ui:options: {KEY}`.
    fn ui<'n>(node: &'n Node, key: &str) -> Option<&'n Node> {
        node.get(&format!("ui:{key}"))
            .or_else(|| node.get("ui:options").and_then(|o| o.get(key)))
    }

    fn rjsf(&mut self, node: &Node, prefix: &str, depth: usize) {
        if depth > 32 {
            return;
        }
        let Some(map) = node.as_map() else { return };
        if !prefix.is_empty() {
            let hint = Hint {
                title: self.text_of(Self::ui(node, "title")),
                help: self
                    .text_of(Self::ui(node, "help"))
                    .or_else(|| self.text_of(Self::ui(node, "description"))),
                widget: self.text_of(Self::ui(node, "widget")),
                autocomplete: self.text_of(Self::ui(node, "autocomplete")),
            };
            if hint != Hint::default() {
                *self.hints.hint(prefix) = hint;
            }
        }
        if let Some(order) = node.get("ui:order").and_then(Node::as_seq) {
            self.hints.order.insert(
                prefix.to_string(),
                order
                    .iter()
                    .filter_map(|o| o.as_str().map(String::from))
                    .collect(),
            );
        }
        for (k, v) in map {
            if k.text.starts_with("ui:") {
                continue;
            }
            if k.text == "items" {
                // Array items share the array's dotted id.
                self.rjsf(v, prefix, depth + 1);
                continue;
            }
            let id = if prefix.is_empty() {
                k.text.to_string()
            } else {
                format!("{prefix}.{}", k.text)
            };
            self.rjsf(v, &id, depth + 1);
        }
    }

    fn json_forms(&mut self, node: &Node, depth: usize) {
        if depth > 32 {
            return;
        }
        if let Some(scope) = node.get("scope").and_then(Node::as_str) {
            let id = scope_to_id(scope);
            if !id.is_empty() {
                let options = node.get("options");
                let widget = match options {
                    Some(o) if o.get("format").and_then(Node::as_str) == Some("password") => {
                        self.text_of(o.get("format"))
                    }
                    Some(o) if o.get("multi").and_then(Node::as_bool) == Some(true) => o
                        .get("multi")
                        .and_then(|m| self.text_of(Some(m)))
                        .map(|mut t| {
                            t.value = "textarea".into();
                            t.set_verbatim_at(None);
                            t
                        }),
                    _ => None,
                };
                let hint = Hint {
                    // `label: false` hides the label: not a text.
                    title: node
                        .get("label")
                        .filter(|l| matches!(l.value, Value::Str(_)))
                        .and_then(|l| self.text_of(Some(l))),
                    help: options.and_then(|o| self.text_of(o.get("description"))),
                    widget,
                    autocomplete: options.and_then(|o| self.text_of(o.get("autocomplete"))),
                };
                if hint != Hint::default() {
                    *self.hints.hint(&id) = hint;
                }
            }
        }
        for key in ["elements", "detail"] {
            match node.get(key).map(|n| &n.value) {
                Some(Value::Seq(items)) => {
                    for e in items {
                        self.json_forms(e, depth + 1);
                    }
                }
                Some(Value::Map(_)) => {
                    if let Some(d) = node.get(key) {
                        self.json_forms(d, depth + 1);
                    }
                }
                _ => {}
            }
        }
        if let Some(o) = node.get("options").and_then(|o| o.get("detail")) {
            self.json_forms(o, depth + 1);
        }
    }
}

/// `#/properties/address/properties/city` → `address.city`.
pub fn scope_to_id(scope: &str) -> String {
    scope
        .trim_start_matches('#')
        .split('/')
        .filter(|s| !s.is_empty() && *s != "properties" && *s != "items")
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::tree;

    fn hints(text: &str) -> UiHints {
        match tree::parse(text, true).remove(0).result {
            Ok(n) => read(FileId(1), text, &n),
            Err(e) => panic!("{e:?}"),
        }
    }

    #[test]
    fn rjsf_both_spellings_nested_and_items() {
        let h = hints(
            r#"{"ui:order": ["email", "*"],
  "firstName": {"ui:autocomplete": "given-name", "ui:title": "First name"},
  "tracking": {"ui:widget": "hidden"},
  "address": {"city": {"ui:options": {"autocomplete": "address-level2", "help": "Where you live"}}},
  "children": {"items": {"name": {"ui:widget": "textarea"}}}}"#,
        );
        let get = |id: &str| h.get(id).cloned().unwrap_or_default();
        assert_eq!(
            get("firstName").autocomplete.map(|t| t.value),
            Some("given-name".into())
        );
        assert_eq!(
            get("firstName").title.map(|t| t.value),
            Some("First name".into())
        );
        assert_eq!(
            get("tracking").widget.map(|t| t.value),
            Some("hidden".into())
        );
        assert_eq!(
            get("address.city").autocomplete.map(|t| t.value),
            Some("address-level2".into())
        );
        assert_eq!(
            get("address.city").help.map(|t| t.value),
            Some("Where you live".into())
        );
        assert_eq!(
            get("children.name").widget.map(|t| t.value),
            Some("textarea".into())
        );
        assert_eq!(
            h.order.get(""),
            Some(&vec!["email".to_string(), "*".to_string()])
        );
        assert_eq!(
            get("firstName").autocomplete.map(|t| t.loc.file),
            Some(FileId(1))
        );
    }

    #[test]
    fn json_forms_controls() {
        let h = hints(
            r##"{"type": "VerticalLayout", "elements": [
  {"type": "Control", "scope": "#/properties/name", "label": "Full name", "options": {"autocomplete": "name"}},
  {"type": "Group", "elements": [{"type": "Control", "scope": "#/properties/address/properties/zip", "label": false}]},
  {"type": "Control", "scope": "#/properties/bio", "options": {"multi": true}}]}"##,
        );
        assert_eq!(
            h.get("name").and_then(|x| x.title.clone()).map(|t| t.value),
            Some("Full name".into())
        );
        assert_eq!(
            h.get("name")
                .and_then(|x| x.autocomplete.clone())
                .map(|t| t.value),
            Some("name".into())
        );
        assert!(h.get("address.zip").is_none());
        assert_eq!(
            h.get("bio").and_then(|x| x.widget.clone()).map(|t| t.value),
            Some("textarea".into())
        );
    }

    #[test]
    fn conventional_names() {
        let c = candidates(Path::new("f/signup.schema.json"));
        assert!(c.contains(&PathBuf::from("f/signup.uischema.json")));
        assert!(c.contains(&PathBuf::from("f/signup-ui.json")));
        let c = candidates(Path::new("f/schema.json"));
        assert_eq!(c.first(), Some(&PathBuf::from("f/uischema.json")));
        let c = candidates(Path::new("f/contact.json"));
        assert!(c.contains(&PathBuf::from("f/contact.uischema.json")));
        assert!(c.contains(&PathBuf::from("f/contact-ui.json")));
        assert!(is_uischema_name(Path::new("a/uischema.json")));
        assert!(is_uischema_name(Path::new("a/x-ui.json")));
        assert!(!is_uischema_name(Path::new("a/schema.json")));
    }
}
