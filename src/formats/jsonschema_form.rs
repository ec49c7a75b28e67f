//! JSON Schema forms (react-jsonschema-form, JSON Forms, form builders): the properties
//! of a schema become the fields of a form, read from the spanned tree into the model.
//!
//! - Nested objects and arrays of objects give dotted ids (`veteran.address.city`).
//! - Local `$ref`s (`#/definitions/x`, `#/$defs/x`, any `#/` pointer) are followed with
//!   cycle protection; `allOf`/`anyOf`/`oneOf`, `if`/`then`/`else`, `dependencies` and
//!   `dependentSchemas` add their properties (a field that appears conditionally is a field).
//!   The walk is [`super::schema_walk`], shared with the event-schema reader.
//! - `title` is the label, `description` the help shown to the person, `required` (per
//!   object), `default` (pre-filled), `enum` / `oneOf` `const`+`title` the options,
//!   `format` the field type; `readOnly` properties are shown, not asked, and are skipped.
//! - `x-purpose`, `x-uses`, `x-retention`, `x-sensitive`, `x-source` give the native meanings;
//!   `x-creeplint-allow` entries accept findings on a property, as in native JSON files.
//! - A uiSchema beside the schema ([`super::uischema`]) adds labels, help, hidden widgets
//!   and `ui:autocomplete`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::schema_walk::{Leaf, View, Visit, Walker};
use super::tree::{self, Node, Value, last_end};
use super::uischema::{self, Hint, UiHints};
use super::{FileModel, FileRead, ReadFile, ReaderSettings};
use crate::model::{
    At, Category, Field, FieldExtra, FieldKind, FieldLists, FieldOption, FieldType, Form, Problem,
    Purpose, Source, Text, Use,
};
use crate::source::{FileId, Language, Loc, SourceFile, Span};
use crate::suppress::Allow;

/// The reader's name in the registry.
pub const NAME: &str = "jsonschema-form";

/// The JSON Schema form reader: recognised form schemas, and the uiSchemas beside them
/// (read as hints, paired with their schema after every file is read). Any other JSON
/// file is handed to the native reader.
pub struct JsonSchemaFormReader;

/// What a file leaves for the pairing step.
enum Pending {
    /// A form schema, parsed, waiting for its uiSchema.
    Schema(Node),
    /// A uiSchema's hints, waiting for their schema.
    Ui(UiHints),
}

impl super::Reader for JsonSchemaFormReader {
    /// Its items may point into other files (see [`super::Reader::links_files`]).
    fn links_files(&self) -> bool {
        true
    }

    fn name(&self) -> &'static str {
        NAME
    }

    fn extensions(&self) -> &'static [&'static str] {
        &["json"]
    }

    /// A `.json` file with a uiSchema's name, or a text that mentions `"properties"` and
    /// is recognised by its place or its `x-` keys; never a native creeplint file.
    fn sniff(&self, path: &Path, text: &str) -> bool {
        if !is_json_path(path)
            || super::Reader::marker(&super::native::NativeReader, text).is_some()
        {
            return false;
        }
        uischema::is_uischema_name(path)
            || (text.contains("\"properties\"")
                && (mentions_x_keys(text) || under_forms_folder(path) || has_ui_beside(path)))
    }

    /// Also a file the configuration names: a `forms:` glob or either side of a
    /// `ui-schemas:` pair.
    fn sniff_with(&self, path: &Path, text: &str, settings: &ReaderSettings) -> bool {
        if self.sniff(path, text) {
            return true;
        }
        if settings.is_empty()
            || !is_json_path(path)
            || super::Reader::marker(&super::native::NativeReader, text).is_some()
        {
            return false;
        }
        settings.is_ui_schema(path)
            || (text.contains("\"properties\"")
                && (settings.is_form(path) || settings.ui_schema_for(path).is_some()))
    }

    fn read(&self, source: &SourceFile, file: FileId) -> FileRead {
        self.read_with(source, file, &ReaderSettings::default())
    }

    fn read_with(&self, source: &SourceFile, file: FileId, settings: &ReaderSettings) -> FileRead {
        let is_ui = uischema::is_uischema_name(&source.path) || settings.is_ui_schema(&source.path);
        let doc = tree::parse(&source.text, true).into_iter().next();
        let root = match doc.map(|d| d.result) {
            Some(Ok(root)) => root,
            Some(Err(e)) if !is_ui => {
                // Recognised by its place or its keys, and broken: report it.
                return FileRead {
                    language: Language::Json,
                    documents: 1,
                    problems: vec![
                        Problem::new(Loc { file, span: e.span }, format!("JSON {}", e.message))
                            .help("fix the syntax; the other files are still checked"),
                    ],
                    ..FileRead::default()
                };
            }
            _ => {
                return FileRead {
                    language: Language::Json,
                    ..FileRead::default()
                };
            }
        };
        if is_ui {
            return FileRead {
                language: Language::Json,
                pending: Some(Box::new(Pending::Ui(uischema::read(
                    file,
                    &source.text,
                    &root,
                )))),
                ..FileRead::default()
            };
        }
        if !is_object_schema(&root) {
            // `"properties"` in something else (a native JSON file, a package manifest).
            return super::Reader::read(&super::native::NativeReader, source, file);
        }
        let (model, problems, allows) = read(file, &source.path, &source.text, &root, None);
        FileRead {
            language: Language::Json,
            model,
            problems,
            allows,
            documents: 1,
            pending: Some(Box::new(Pending::Schema(root))),
        }
    }

    /// Read each form schema again with the hints of the uiSchema beside it; the uiSchema
    /// then counts as checked (its spans are in the findings).
    fn pair(&self, files: &mut [ReadFile]) {
        self.pair_with(files, &ReaderSettings::default())
    }

    /// A uiSchema named in the configuration for a schema comes before the ones found
    /// by their conventional names.
    fn pair_with(&self, files: &mut [ReadFile], settings: &ReaderSettings) {
        let ui: std::collections::BTreeMap<PathBuf, usize> = files
            .iter()
            .enumerate()
            .filter(|(_, f)| f.reader == Some(NAME))
            .filter(|(_, f)| {
                f.read
                    .pending
                    .as_ref()
                    .is_some_and(|p| matches!(p.downcast_ref::<Pending>(), Some(Pending::Ui(_))))
            })
            .map(|(i, f)| (f.source.path.clone(), i))
            .collect();
        // The uiSchemas by absolute path, for the ones the configuration names (each
        // schema's was looked for among all of them, issue 14); the first of a file
        // named twice.
        let mut ui_files: HashMap<PathBuf, usize> = HashMap::new();
        if !settings.is_empty() {
            for (path, i) in &ui {
                ui_files.entry(crate::io::absolute(path)).or_insert(*i);
            }
        }
        for i in 0..files.len() {
            let Some(f) = files.get(i) else { continue };
            if f.reader != Some(NAME) {
                continue;
            }
            let configured = settings
                .ui_schema_for(&f.source.path)
                .and_then(|c| ui_files.get(&c).copied());
            let Some(u) = configured.or_else(|| {
                uischema::candidates(&f.source.path)
                    .iter()
                    .find_map(|c| ui.get(c).copied())
            }) else {
                continue;
            };
            let hints = match files
                .get(u)
                .and_then(|x| x.read.pending.as_ref())
                .and_then(|p| p.downcast_ref::<Pending>())
            {
                Some(Pending::Ui(h)) => h.clone(),
                _ => continue,
            };
            let Some(f) = files.get_mut(i) else { continue };
            let Some(Pending::Schema(root)) = f
                .read
                .pending
                .as_ref()
                .and_then(|p| p.downcast_ref::<Pending>())
            else {
                continue;
            };
            let (model, problems, allows) =
                read(f.id, &f.source.path, &f.source.text, root, Some(&hints));
            f.read.model = model;
            f.read.problems = problems;
            f.read.allows = allows;
            if let Some(ui_file) = files.get_mut(u) {
                ui_file.read.documents = ui_file.read.documents.max(1);
            }
        }
    }
}

fn is_json_path(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}

fn has_ui_beside(path: &Path) -> bool {
    uischema::candidates(path).iter().any(|c| c.is_file())
}

/// Extension keys that only a form schema carries.
pub const X_KEYS: [&str; 5] = [
    "x-purpose",
    "x-uses",
    "x-retention",
    "x-sensitive",
    "x-source",
];

/// Whether a parsed JSON document has the shape of a form schema: an object schema with
/// `properties`, and none of the marks of an API description or a Kubernetes object.
pub fn is_object_schema(root: &Node) -> bool {
    if root.as_map().is_none() {
        return false;
    }
    for not_a_form in [
        "openapi",
        "swagger",
        "asyncapi",
        "apiVersion",
        "kind",
        "paths",
    ] {
        if root.get(not_a_form).is_some() {
            return false;
        }
    }
    let typed_object = match root.get("type") {
        None => true,
        Some(t) => t.as_str() == Some("object"),
    };
    typed_object && root.get("properties").and_then(Node::as_map).is_some()
}

/// Whether any mapping of the document has one of the `x-` purpose keys.
pub fn has_x_keys(node: &Node) -> bool {
    match &node.value {
        Value::Map(m) => m
            .iter()
            .any(|(k, v)| X_KEYS.contains(&k.text.as_str()) || has_x_keys(v)),
        Value::Seq(s) => s.iter().any(has_x_keys),
        _ => false,
    }
}

/// Raw-text version of [`has_x_keys`], for files that do not parse.
pub fn mentions_x_keys(text: &str) -> bool {
    X_KEYS.iter().any(|k| text.contains(&format!("\"{k}\"")))
}

/// Whether a path lies under a folder named `forms` (or `form`), case-insensitively.
pub fn under_forms_folder(path: &Path) -> bool {
    path.parent().is_some_and(|p| {
        p.components().any(|c| {
            let s = c.as_os_str().to_string_lossy().to_ascii_lowercase();
            s == "forms" || s == "form"
        })
    })
}

/// The form id of a schema file: its name without `.json` and a trailing `schema`
/// (`signup.schema.json` → `signup`), or the folder's name for a bare `schema.json`.
pub fn form_id_of(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = name
        .strip_suffix(".json")
        .or_else(|| name.strip_suffix(".JSON"))
        .unwrap_or(&name);
    let lower = stem.to_ascii_lowercase();
    let cut = if lower.ends_with("schema") {
        stem.get(..stem.len() - "schema".len()).unwrap_or(stem)
    } else {
        stem
    };
    let cut = cut.trim_end_matches(['.', '-', '_']);
    if !cut.is_empty() {
        return cut.to_string();
    }
    path.parent()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "form".to_string())
}

struct Reader<'a> {
    file: FileId,
    text: &'a str,
    ui: Option<&'a UiHints>,
    allows: Vec<Allow>,
    fields: Vec<Field>,
    /// Fields that name their own `x-owner`.
    owners: Vec<crate::model::Owner>,
}

/// Read one recognised JSON Schema form. `ui` is the paired uiSchema, if any.
pub fn read(
    file: FileId,
    path: &Path,
    text: &str,
    root: &Node,
    ui: Option<&UiHints>,
) -> (FileModel, Vec<Problem>, Vec<Allow>) {
    let mut r = Reader {
        file,
        text,
        ui,
        allows: Vec::new(),
        fields: Vec::new(),
        owners: Vec::new(),
    };
    let mut walker = Walker::new(file, root);
    walker.walk(&mut r, root, "", &());
    let mut problems = std::mem::take(&mut walker.problems);
    problems.extend(walker.over_budget(
        Loc {
            file,
            span: root.head_span(),
        },
        "form",
    ));
    if let Some(ui) = ui {
        ui.order_fields(&mut r.fields);
    }
    let id_loc = root.get("title").map_or(
        Loc {
            file,
            span: root.head_span(),
        },
        |t| r.loc(t.span),
    );
    let item = r.item_loc(root.span.start(), root);
    let form = Form {
        id: Text::new(form_id_of(path), id_loc),
        title: r.text_of(root.get("title")),
        purpose: r.purpose(root.get("x-purpose")),
        uses: r.uses(root.get("x-uses")),
        fields: std::mem::take(&mut r.fields),
        item,
    };
    // `x-owner` at the root owns the form and every field that names no owner.
    let mut owners = std::mem::take(&mut r.owners);
    if let Some(name) = r.text_of(root.get("x-owner")).filter(|t| !t.is_blank()) {
        for f in &form.fields {
            if !owners.iter().any(|o| o.item == f.item) {
                owners.push(crate::model::Owner {
                    name: name.clone(),
                    item: f.item,
                });
            }
        }
        owners.push(crate::model::Owner {
            name,
            item: form.item,
        });
    }
    let model = FileModel {
        forms: vec![form],
        owners,
        ..FileModel::default()
    };
    (model, problems, r.allows)
}

impl<'a> Reader<'a> {
    fn loc(&self, span: Span) -> Loc {
        Loc {
            file: self.file,
            span,
        }
    }

    fn text_of(&self, node: Option<&Node>) -> Option<Text> {
        super::node_text(node?, self.text, self.file)
    }

    fn purpose(&self, node: Option<&Node>) -> Purpose {
        match self.text_of(node) {
            Some(text) => Purpose::Stated {
                key: &"x-purpose",
                text,
            },
            None => Purpose::Missing { key: &"x-purpose" },
        }
    }

    fn vocab<T: Copy>(&self, node: Option<&Node>, parse: fn(&str) -> Option<T>) -> Option<At<T>> {
        let node = node?;
        Some(At {
            value: parse(node.as_str()?)?,
            loc: self.loc(node.span),
        })
    }

    /// `x-uses: [marketing]` or `x-uses: marketing`.
    fn uses(&self, node: Option<&Node>) -> Vec<At<Use>> {
        match node {
            Some(n) if n.as_seq().is_some() => n
                .as_seq()
                .unwrap_or_default()
                .iter()
                .filter_map(|u| self.vocab(Some(u), Use::parse))
                .collect(),
            Some(n) => self.vocab(Some(n), Use::parse).into_iter().collect(),
            None => Vec::new(),
        }
    }

    /// The whole item, from `start` (a property's key) to the end of its value; the
    /// item's `x-creeplint-allow` entries cover it.
    fn item_loc(&mut self, start: usize, node: &Node) -> Loc {
        let end = last_end(node).max(start);
        let item = self.loc(Span::new(start, end - start));
        self.allows
            .extend(super::allow_entries(node, item, self.text, self.file));
        item
    }

    /// A property that holds no properties: one field.
    fn field(&mut self, leaf: Leaf<'a, '_>) {
        let Leaf {
            key,
            prop,
            view,
            items,
            id,
            required,
            anchor,
        } = leaf;
        let hint = self.ui.and_then(|u| u.get(id)).cloned().unwrap_or_default();
        let id_loc = self.loc(anchor.unwrap_or(key.span));
        let options = self.options(items.unwrap_or(view));
        let type_entry = view.entry("type");
        let (field_type, type_loc) =
            self.field_type(view, items.is_some(), !options.is_empty(), &hint);
        let type_loc = type_loc
            .or_else(|| type_entry.map(|(_, v)| self.loc(v.span)))
            .unwrap_or(id_loc);
        // `const: true` / `enum: [true]`: must be ticked to submit; not pre-ticked.
        let forced = view.get("const").and_then(Node::as_bool) == Some(true)
            || view
                .get("enum")
                .and_then(Node::as_seq)
                .is_some_and(|e| e.len() == 1 && e.first().and_then(Node::as_bool) == Some(true));
        let default = if forced {
            None
        } else {
            view.get("default").and_then(|d| {
                Some(At {
                    value: super::node_scalar(d)?,
                    loc: self.loc(d.span),
                })
            })
        };
        let item = self.item_loc(key.span.start().min(prop.span.start()), prop);
        let uses_node = view.get("x-uses");
        let uses_loc = view.entry("x-uses").map(|(k, v)| {
            self.loc(Span::new(
                k.span.start(),
                last_end(v).max(k.span.end()) - k.span.start(),
            ))
        });
        let autocomplete = hint.autocomplete.clone();
        if let Some(name) = self.text_of(view.get("x-owner")).filter(|t| !t.is_blank()) {
            self.owners.push(crate::model::Owner { name, item });
        }
        let field = Field {
            id: Text::new(id, id_loc),
            label: hint
                .title
                .clone()
                .or_else(|| self.text_of(view.get("title"))),
            kind: FieldKind::new(
                At {
                    value: field_type,
                    loc: type_loc,
                },
                type_entry.is_some() || hint.widget.is_some(),
                required.map(|s| At {
                    value: true,
                    loc: self.loc(s),
                }),
            ),
            purpose: self.purpose(view.get("x-purpose")),
            retention: self.text_of(view.get("x-retention")),
            extra: FieldExtra {
                default,
                sensitive: self.vocab(view.get("x-sensitive"), Category::parse),
                source: self.vocab(view.get("x-source"), Source::parse),
                help: hint
                    .help
                    .clone()
                    .or_else(|| self.text_of(view.get("description"))),
                autocomplete,
            }
            .boxed(),
            lists: FieldLists {
                uses: self.uses(uses_node).into(),
                uses_loc,
                options: options.into(),
            }
            .boxed(),
            item,
        };
        self.fields.push(field);
    }

    /// `enum` values (with rjsf's `enumNames` as labels), or `oneOf`/`anyOf` branches
    /// with `const` and `title`.
    fn options(&self, view: &View<'a>) -> Vec<FieldOption> {
        if let Some(values) = view.get("enum").and_then(Node::as_seq) {
            let names = view
                .get("enumNames")
                .and_then(Node::as_seq)
                .unwrap_or_default();
            return values
                .iter()
                .enumerate()
                .filter_map(|(i, v)| {
                    Some(FieldOption {
                        value: self.text_of(Some(v))?,
                        label: self.text_of(names.get(i)).map(Box::new),
                    })
                })
                .collect();
        }
        for key in ["oneOf", "anyOf"] {
            let branches = view.get(key).and_then(Node::as_seq).unwrap_or_default();
            if !branches.is_empty() && branches.iter().all(|b| b.get("const").is_some()) {
                return branches
                    .iter()
                    .filter_map(|b| {
                        Some(FieldOption {
                            value: self.text_of(b.get("const"))?,
                            label: self.text_of(b.get("title")).map(Box::new),
                        })
                    })
                    .collect();
            }
        }
        Vec::new()
    }

    /// The field type from `type`, `format` and the uiSchema's widget, with where it is
    /// written when that is not `type`.
    fn field_type(
        &self,
        view: &View<'a>,
        is_array: bool,
        has_options: bool,
        hint: &Hint,
    ) -> (FieldType, Option<Loc>) {
        if let Some(w) = &hint.widget {
            let t = match w.as_str() {
                "hidden" => Some(FieldType::Hidden),
                "textarea" => Some(FieldType::LongText),
                "password" => Some(FieldType::Secret),
                "radio" | "select" => Some(FieldType::Choice),
                "checkbox" => Some(FieldType::Boolean),
                "checkboxes" => Some(FieldType::MultiChoice),
                "email" => Some(FieldType::Email),
                "tel" => Some(FieldType::Phone),
                "date" | "alt-date" | "datetime" | "alt-datetime" => Some(FieldType::Date),
                "file" => Some(FieldType::File),
                "uri" | "url" => Some(FieldType::Url),
                "updown" | "range" => Some(FieldType::Number),
                _ => None,
            };
            if let Some(t) = t {
                return (t, Some(w.loc));
            }
        }
        if is_array {
            return (
                if has_options {
                    FieldType::MultiChoice
                } else {
                    FieldType::Text
                },
                None,
            );
        }
        if let Some(f) = view.get("format") {
            let t = match f.as_str().unwrap_or("") {
                "email" | "idn-email" => Some(FieldType::Email),
                "date" | "date-time" | "time" => Some(FieldType::Date),
                "uri" | "url" | "iri" | "uri-reference" => Some(FieldType::Url),
                "data-url" | "binary" => Some(FieldType::File),
                "password" => Some(FieldType::Secret),
                "phone" | "tel" => Some(FieldType::Phone),
                _ => None,
            };
            if let Some(t) = t {
                return (t, Some(self.loc(f.span)));
            }
        }
        let t = match view.type_name() {
            Some("boolean") => FieldType::Boolean,
            Some("number" | "integer") if !has_options => FieldType::Number,
            _ if has_options => FieldType::Choice,
            _ => FieldType::Text,
        };
        (t, None)
    }
}

impl<'a> Visit<'a> for Reader<'a> {
    type Scope = ();

    /// `readOnly` properties are shown, not asked.
    fn skip(&self, view: &View<'a>) -> bool {
        view.get("readOnly").and_then(Node::as_bool) == Some(true)
    }

    fn leaf(&mut self, leaf: Leaf<'a, '_>, _: &()) {
        self.field(leaf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::tree;
    use crate::model::Scalar;

    fn parse(text: &str) -> Node {
        match tree::parse(text, true).remove(0).result {
            Ok(n) => n,
            Err(e) => panic!("{e:?}"),
        }
    }

    fn form(text: &str) -> (Form, Vec<Problem>) {
        let root = parse(text);
        let (mut model, problems, _) = read(
            FileId(0),
            Path::new("forms/signup.schema.json"),
            text,
            &root,
            None,
        );
        (model.forms.remove(0), problems)
    }

    fn ids(f: &Form) -> Vec<&str> {
        f.fields.iter().map(|f| f.id.as_str()).collect()
    }

    #[test]
    fn form_ids_from_file_names() {
        assert_eq!(form_id_of(Path::new("a/signup.schema.json")), "signup");
        assert_eq!(form_id_of(Path::new("a/job/schema.json")), "job");
        assert_eq!(form_id_of(Path::new("10-10EZ-schema.json")), "10-10EZ");
        assert_eq!(form_id_of(Path::new("contact.json")), "contact");
    }

    #[test]
    fn nesting_refs_and_required() {
        let text = r##"{
  "title": "Apply",
  "type": "object",
  "required": ["veteran"],
  "definitions": {
    "address": {"type": "object", "required": ["city"],
      "properties": {"city": {"type": "string", "title": "City"}, "zip": {"type": "string"}}},
    "person": {"type": "object", "properties": {
      "name": {"type": "string"},
      "address": {"$ref": "#/definitions/address"},
      "children": {"type": "array", "items": {"$ref": "#/definitions/person"}}}}
  },
  "properties": {
    "veteran": {"$ref": "#/definitions/person"},
    "agree": {"type": "boolean", "title": "I agree to be contacted", "default": true},
    "tags": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}},
    "shown": {"type": "string", "readOnly": true}
  }
}"##;
        let (f, problems) = form(text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(f.id.as_str(), "signup");
        assert_eq!(
            ids(&f),
            [
                "veteran.name",
                "veteran.address.city",
                "veteran.address.zip",
                "agree",
                "tags"
            ]
        );
        let city = &f.fields[1];
        assert_eq!(city.label.as_ref().map(|l| l.as_str()), Some("City"));
        assert!(city.is_required());
        assert!(!f.fields[2].is_required());
        // Reached through a `$ref`: the finding points at the property that uses it.
        let at = text.find("\"veteran\": {").unwrap_or(0);
        assert_eq!(city.id.loc.span.start(), at);
        assert_eq!(f.fields[3].field_type().value, FieldType::Boolean);
        assert_eq!(
            f.fields[3].default().map(|d| d.value.clone()),
            Some(Scalar::Bool(true))
        );
        assert_eq!(f.fields[4].field_type().value, FieldType::MultiChoice);
        assert_eq!(f.fields[4].options().len(), 2);
    }

    #[test]
    fn ref_cycles_end_and_dangling_refs_are_problems() {
        let text = r##"{"type": "object", "definitions": {
  "a": {"type": "object", "properties": {"b": {"$ref": "#/definitions/b"}, "x": {"type": "string"}}},
  "b": {"type": "object", "properties": {"a": {"$ref": "#/definitions/a"}}},
  "loop": {"$ref": "#/definitions/loop"}},
  "properties": {"root": {"$ref": "#/definitions/a"}, "self": {"$ref": "#/definitions/loop"},
    "gone": {"$ref": "#/definitions/missing"}}}"##;
        let (f, problems) = form(text);
        // `root.b.a` comes back to `a`, and `self` to itself: not followed again.
        assert_eq!(ids(&f), ["root.x", "gone"]);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("#/definitions/missing"));
        assert_eq!(
            problems[0].loc.span.start(),
            text.find("\"#/definitions/missing").unwrap_or(0)
        );
    }

    #[test]
    fn combinators_conditionals_and_dependencies_add_fields() {
        let text = r#"{"type": "object",
  "properties": {"contact": {"type": "string", "oneOf": [{"const": "email", "title": "By email"}, {"const": "phone", "title": "By phone"}]}},
  "allOf": [{"properties": {"email": {"type": "string", "format": "email"}}}],
  "if": {"properties": {"contact": {"const": "phone"}}},
  "then": {"properties": {"phone": {"type": "string"}}},
  "else": {"properties": {"fax": {"type": "string"}}},
  "dependencies": {"phone": {"properties": {"callTime": {"type": "string"}}}, "fax": ["phone"]}
}"#;
        let (f, _) = form(text);
        assert_eq!(ids(&f), ["contact", "email", "phone", "fax", "callTime"]);
        let contact = &f.fields[0];
        assert_eq!(contact.field_type().value, FieldType::Choice);
        let labels: Vec<&str> = contact
            .options()
            .iter()
            .filter_map(|o| o.label.as_deref())
            .map(|l| l.as_str())
            .collect();
        assert_eq!(labels, ["By email", "By phone"]);
        assert_eq!(f.fields[1].field_type().value, FieldType::Email);
    }

    #[test]
    fn purpose_keys_and_forced_consent() {
        let text = r#"{"type": "object", "x-purpose": "Sign up", "x-uses": ["account"],
  "properties": {
    "email": {"type": "string", "x-purpose": "We send your receipts here.", "x-uses": ["transactional"],
      "x-retention": "until you close the account", "x-sensitive": "health", "x-source": "volunteered",
      "description": "Your email"},
    "terms": {"type": "boolean", "title": "I accept the terms", "const": true, "default": true},
    "news": {"type": "boolean", "enum": [true]}
  }}"#;
        let (f, _) = form(text);
        assert_eq!(f.purpose.text().map(|p| p.as_str()), Some("Sign up"));
        assert_eq!(f.uses.len(), 1);
        let email = &f.fields[0];
        assert_eq!(
            email.purpose.text().map(|p| p.as_str()),
            Some("We send your receipts here.")
        );
        assert_eq!(
            email.uses().first().map(|u| u.value),
            Some(Use::Transactional)
        );
        assert!(email.uses_loc().is_some());
        assert_eq!(email.sensitive().map(|s| s.value), Some(Category::Health));
        assert_eq!(email.help().map(|h| h.as_str()), Some("Your email"));
        // Exact span of a verbatim string, inside the quotes.
        let p = email.purpose.text().map(|p| p.sub_loc(0..2).span.start());
        assert_eq!(p, text.find("We send"));
        assert!(f.fields[1].default().is_none());
        assert!(f.fields[2].default().is_none());
    }

    #[test]
    fn exponential_expansion_is_cut_and_reported() {
        let mut defs =
            String::from(r#""d0": {"type": "object", "properties": {"x": {"type": "string"}}}"#);
        for i in 1..30 {
            let p = i - 1;
            defs.push_str(&format!(
                r##", "d{i}": {{"properties": {{"p{i}": {{"type": "string"}}}}, "allOf": [{{"$ref": "#/definitions/d{p}"}}, {{"$ref": "#/definitions/d{p}"}}, {{"$ref": "#/definitions/d{p}"}}]}}"##
            ));
        }
        let text = format!(
            r##"{{"type": "object", "definitions": {{{defs}}}, "properties": {{"a": {{"$ref": "#/definitions/d29"}}}}}}"##
        );
        let start = std::time::Instant::now();
        let (f, problems) = form(&text);
        assert!(start.elapsed().as_secs() < 10);
        assert_eq!(ids(&f).first(), Some(&"a.p29"));
        assert!(ids(&f).len() < 30);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("expands to more than"));
    }

    #[test]
    fn recognition() {
        let form = parse(r#"{"type": "object", "properties": {"a": {"type": "string"}}}"#);
        assert!(is_object_schema(&form));
        assert!(!has_x_keys(&form));
        for not_form in [
            r#"{"openapi": "3.0.0", "properties": {}}"#,
            r#"{"apiVersion": "v1", "kind": "CustomResourceDefinition", "properties": {}}"#,
            r#"{"type": "array", "items": {}}"#,
            r#"[1, 2]"#,
        ] {
            assert!(!is_object_schema(&parse(not_form)), "{not_form}");
        }
        assert!(has_x_keys(&parse(
            r#"{"properties": {"a": {"x-purpose": "p"}}}"#
        )));
        assert!(under_forms_folder(Path::new("src/forms/signup.json")));
        assert!(!under_forms_folder(Path::new("forms.json")));
        assert!(!under_forms_folder(Path::new("api/schema.json")));
    }
}
