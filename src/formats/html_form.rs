//! HTML forms: every `<form>` of an `.html`/`.htm` file, and the controls outside a form
//! that name one with `form=`, read with the html5gum tokenizer (WHATWG tokenization,
//! byte spans) into the model. HTML is read leniently, as browsers do: nothing in a page
//! is an `invalid-file` problem.
//!
//! - `input` (every type but buttons), `select` with its `option`s, `textarea` become
//!   fields, named by `name` (else `id`); radios and checkboxes sharing a name are one
//!   field whose options are their values.
//! - The label is the first of: `<label for>`, a wrapping `<label>`, `aria-label`,
//!   `aria-labelledby`, `placeholder`, `title`.
//! - `required`; `checked`/`selected`/`value` as pre-filled; `type=hidden` is hidden.
//! - `data-purpose`, `data-uses`, `data-retention`, `data-sensitive`, `data-source` on a
//!   control (and `data-purpose`/`data-uses` on the `<form>`) give the native meanings.
//! - `<!-- creeplint: allow RULE -- reason -->` accepts findings on the next element.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use html5gum::{DefaultEmitter, Token, Tokenizer};

use super::{FileModel, FileRead};
use crate::model::{
    At, Category, Field, FieldExtra, FieldKind, FieldLists, FieldOption, FieldType, Form, Purpose,
    Scalar, Source, Text, TextValue, Use,
};
use crate::source::{FileId, Language, Loc, SourceFile, Span};
use crate::suppress::{Allow, Written};

/// The reader's name in the registry.
pub const NAME: &str = "html-form";

/// The HTML form reader: pages that contain `<form`.
pub struct HtmlFormReader;

impl super::Reader for HtmlFormReader {
    /// Its items may point into other files (see [`super::Reader::links_files`]).
    fn links_files(&self) -> bool {
        true
    }

    fn name(&self) -> &'static str {
        NAME
    }

    fn extensions(&self) -> &'static [&'static str] {
        &["html", "htm"]
    }

    fn sniff(&self, path: &Path, text: &str) -> bool {
        is_html_path(path) && has_form_tag(text)
    }

    fn read(&self, source: &SourceFile, file: FileId) -> FileRead {
        let (model, allows) = read(file, &source.path, &source.text);
        let documents = model.forms.len();
        FileRead {
            language: Language::Html,
            model,
            allows,
            documents,
            ..FileRead::default()
        }
    }
}

/// Elements that never have an end tag.
const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param",
];

/// Longest text kept for a label or an element's text content.
const MAX_TEXT: usize = 400;

/// Whether a file is worth tokenizing: an HTML file that mentions `<form`.
pub fn has_form_tag(text: &str) -> bool {
    text.as_bytes()
        .windows(5)
        .any(|w| w.eq_ignore_ascii_case(b"<form"))
}

pub fn is_html_path(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "html" | "htm"))
}

#[derive(Debug, Clone)]
struct Attr {
    value: String,
    /// The whole attribute, `name="value"`.
    span: Span,
    /// The value inside its quotes, when written.
    value_span: Option<Span>,
}

#[derive(Debug)]
struct Element {
    name: String,
    attrs: BTreeMap<String, Attr>,
    /// The start tag.
    tag: Span,
    /// Up to the end of the end tag, once closed.
    end: usize,
    text: String,
    text_span: Option<Span>,
    /// Text pieces that went into `text` (1 means `text` may be verbatim).
    pieces: usize,
    form: Option<usize>,
    label: Option<usize>,
    select: Option<usize>,
}

impl Element {
    fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs.get(name)
    }
}

struct Page<'a> {
    file: FileId,
    text: &'a str,
    elements: Vec<Element>,
    /// Comments `creeplint: allow`, with the index of the element after each.
    allows: Vec<(Span, String, Option<usize>)>,
    /// The first element with each `id`, and the first `<label>` for each `for`.
    ids: HashMap<String, usize>,
    label_for: HashMap<String, usize>,
}

/// Read every form of an HTML page, and its `creeplint: allow` comments.
pub fn read(file: FileId, path: &Path, text: &str) -> (FileModel, Vec<Allow>) {
    let page = tokenize(file, text);
    let stem = page_stem(path);
    (page.model(&stem), page.comment_allows())
}

fn page_stem(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if stem.eq_ignore_ascii_case("index")
        && let Some(dir) = path.parent().and_then(|p| p.file_name())
    {
        return dir.to_string_lossy().into_owned();
    }
    if stem.is_empty() { "form".into() } else { stem }
}

fn tokenize(file: FileId, text: &str) -> Page<'_> {
    let mut emitter = DefaultEmitter::<usize>::new_with_span();
    emitter.naively_switch_states(true);
    let mut page = Page {
        file,
        text,
        elements: Vec::new(),
        allows: Vec::new(),
        ids: HashMap::new(),
        label_for: HashMap::new(),
    };
    // Open elements, innermost last; the open forms, labels and selects; the open elements
    // whose text is kept (labels, options, textareas, anything with an `id`). Separate
    // stacks keep each token's work small however deep the page nests.
    let mut open: Vec<usize> = Vec::new();
    let mut forms: Vec<usize> = Vec::new();
    let mut labels: Vec<usize> = Vec::new();
    let mut selects: Vec<usize> = Vec::new();
    let mut collectors: Vec<usize> = Vec::new();
    let mut pending_allows: Vec<usize> = Vec::new();
    for token in Tokenizer::new_with_emitter(text, emitter).flatten() {
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                let span = Span::new(tag.span.start, tag.span.end.saturating_sub(tag.span.start));
                let mut attrs = BTreeMap::new();
                for (k, v) in &tag.attributes {
                    let key = String::from_utf8_lossy(k).to_ascii_lowercase();
                    let aspan = Span::new(v.span.start, v.span.end.saturating_sub(v.span.start));
                    attrs.insert(
                        key,
                        Attr {
                            value: String::from_utf8_lossy(&v.value).into_owned(),
                            span: aspan,
                            value_span: value_span(text, aspan),
                        },
                    );
                }
                let form = forms.last().copied();
                let label = labels.last().copied();
                let select = selects.last().copied();
                let index = page.elements.len();
                let collects = matches!(name.as_str(), "label" | "option" | "textarea")
                    || attrs.contains_key("id");
                for a in pending_allows.drain(..) {
                    if let Some(entry) = page.allows.get_mut(a) {
                        entry.2 = Some(index);
                    }
                }
                page.elements.push(Element {
                    end: span.end(),
                    name: name.clone(),
                    attrs,
                    tag: span,
                    text: String::new(),
                    text_span: None,
                    pieces: 0,
                    form,
                    label,
                    select,
                });
                if !(tag.self_closing || VOID.contains(&name.as_str())) {
                    open.push(index);
                    match name.as_str() {
                        "form" => forms.push(index),
                        "label" => labels.push(index),
                        "select" => selects.push(index),
                        _ => {}
                    }
                    if collects {
                        collectors.push(index);
                    }
                }
            }
            Token::EndTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                // A stray end tag closes a recently opened element of its name, if any
                // (browsers stop at scope boundaries too); it never scans the whole stack.
                let from = open.len().saturating_sub(64);
                let found = open.get(from..).and_then(|recent| {
                    recent
                        .iter()
                        .rposition(|i| page.elements.get(*i).is_some_and(|e| e.name == name))
                });
                if let Some(pos) = found.map(|p| p + from) {
                    let cut = open.get(pos).copied().unwrap_or(usize::MAX);
                    for i in open.drain(pos..) {
                        if let Some(e) = page.elements.get_mut(i) {
                            e.end = tag.span.end;
                        }
                    }
                    for stack in [&mut forms, &mut labels, &mut selects, &mut collectors] {
                        while stack.last().is_some_and(|i| *i >= cut) {
                            stack.pop();
                        }
                    }
                }
            }
            Token::String(s) => {
                let raw = String::from_utf8_lossy(&s.value);
                if raw.trim().is_empty() {
                    continue;
                }
                let span = Span::new(s.span.start, s.span.end.saturating_sub(s.span.start));
                let from = collectors.len().saturating_sub(16);
                for i in collectors.get(from..).unwrap_or_default() {
                    if let Some(e) = page.elements.get_mut(*i) {
                        if e.text.len() >= MAX_TEXT {
                            continue;
                        }
                        if !e.text.is_empty() {
                            e.text.push(' ');
                        }
                        e.text.push_str(raw.trim());
                        e.pieces += 1;
                        e.text_span = Some(match e.text_span {
                            None => span,
                            Some(first) => Span::new(first.start(), span.end() - first.start()),
                        });
                    }
                }
            }
            Token::Comment(c) => {
                let body = String::from_utf8_lossy(&c.value).into_owned();
                if body.trim_start().starts_with("creeplint") {
                    let span = Span::new(c.span.start, c.span.end.saturating_sub(c.span.start));
                    pending_allows.push(page.allows.len());
                    page.allows.push((span, body, None));
                }
            }
            _ => {}
        }
    }
    for (i, e) in page.elements.iter().enumerate() {
        if let Some(id) = e.attr("id") {
            page.ids.entry(id.value.clone()).or_insert(i);
        }
        if e.name == "label"
            && let Some(f) = e.attr("for")
        {
            page.label_for.entry(f.value.clone()).or_insert(i);
        }
    }
    page
}

/// The value of an attribute within its source `name="value"`.
fn value_span(text: &str, attr: Span) -> Option<Span> {
    let raw = text.get(attr.start()..attr.end())?;
    let eq = raw.find('=')?;
    let after = raw.get(eq + 1..)?;
    let lead = after.len() - after.trim_start().len();
    let start = attr.start() + eq + 1 + lead;
    let rest = text.get(start..)?;
    match rest.chars().next()? {
        q @ ('"' | '\'') => {
            let inner = rest.get(1..)?;
            let len = inner.find(q).unwrap_or(inner.len());
            Some(Span::new(start + 1, len))
        }
        _ => {
            let len = rest
                .find(|c: char| c.is_ascii_whitespace() || c == '>')
                .unwrap_or(rest.len());
            Some(Span::new(start, len))
        }
    }
}

/// A control being built: one field, possibly from several radios or checkboxes.
struct Control {
    field: Field,
    /// Index of the form it belongs to.
    form: usize,
}

impl Page<'_> {
    fn loc(&self, span: Span) -> Loc {
        Loc {
            file: self.file,
            span,
        }
    }

    fn attr_text(&self, a: &Attr) -> Text {
        let span = a.value_span.unwrap_or(a.span);
        let mut t = Text::new(TextValue::pooled(&a.value), self.loc(span));
        if let Some(vs) = a.value_span
            && self.text.get(vs.start()..vs.end()) == Some(a.value.as_str())
        {
            t.set_verbatim_at(Some(vs.start()));
        }
        t
    }

    fn element_text(&self, e: &Element) -> Option<Text> {
        let span = e.text_span?;
        let value: String = e.text.split_whitespace().collect::<Vec<_>>().join(" ");
        if value.is_empty() {
            return None;
        }
        let mut t = Text::new(TextValue::pooled(&value), self.loc(span));
        if e.pieces == 1
            && let Some(raw) = self.text.get(span.start()..span.end())
        {
            let lead = raw.len() - raw.trim_start().len();
            if raw.trim() == t.as_str() {
                t.set_verbatim_at(Some(span.start() + lead));
            }
        }
        Some(t)
    }

    fn by_id(&self, id: &str) -> Option<&Element> {
        self.ids.get(id).and_then(|i| self.elements.get(*i))
    }

    fn label_of(&self, e: &Element) -> Option<Text> {
        if let Some(id) = e
            .attr("id")
            .map(|a| a.value.as_str())
            .filter(|s| !s.is_empty())
            && let Some(l) = self.label_for.get(id).and_then(|i| self.elements.get(*i))
            && let Some(t) = self.element_text(l)
        {
            return Some(t);
        }
        if let Some(t) = e
            .label
            .and_then(|i| self.elements.get(i))
            .filter(|l| {
                l.attr("for")
                    .is_none_or(|f| e.attr("id").is_some_and(|i| i.value == f.value))
            })
            .and_then(|l| self.element_text(l))
        {
            return Some(t);
        }
        if let Some(a) = e.attr("aria-label").filter(|a| !a.value.trim().is_empty()) {
            return Some(self.attr_text(a));
        }
        if let Some(a) = e.attr("aria-labelledby") {
            let parts: Vec<Text> = a
                .value
                .split_whitespace()
                .filter_map(|id| self.by_id(id).and_then(|l| self.element_text(l)))
                .collect();
            if let Some(first) = parts.first() {
                let value = parts
                    .iter()
                    .map(|p| p.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                let mut t = first.clone();
                if parts.len() > 1 {
                    t.value = value.into();
                    t.set_verbatim_at(None);
                }
                return Some(t);
            }
        }
        ["placeholder", "title"]
            .into_iter()
            .filter_map(|k| e.attr(k))
            .find(|a| !a.value.trim().is_empty())
            .map(|a| self.attr_text(a))
    }

    fn uses(&self, e: &Element, key: &str) -> (Vec<At<Use>>, Option<Loc>) {
        let Some(a) = e.attr(key) else {
            return (Vec::new(), None);
        };
        let base = a.value_span.map_or(a.span.start(), |s| s.start());
        let verbatim = a
            .value_span
            .is_some_and(|vs| self.text.get(vs.start()..vs.end()) == Some(a.value.as_str()));
        let mut out = Vec::new();
        let mut offset = 0;
        for piece in a.value.split_inclusive([',', ' ']) {
            let word = piece.trim_matches([',', ' ']);
            let lead = piece.len() - piece.trim_start_matches([',', ' ']).len();
            if let Some(u) = Use::parse(word) {
                let span = if verbatim {
                    Span::new(base + offset + lead, word.len())
                } else {
                    a.value_span.unwrap_or(a.span)
                };
                out.push(At {
                    value: u,
                    loc: self.loc(span),
                });
            }
            offset += piece.len();
        }
        (out, Some(self.loc(a.span)))
    }

    fn vocab<T: Copy>(
        &self,
        e: &Element,
        key: &str,
        parse: fn(&str) -> Option<T>,
    ) -> Option<At<T>> {
        let a = e.attr(key)?;
        Some(At {
            value: parse(a.value.trim())?,
            loc: self.loc(a.value_span.unwrap_or(a.span)),
        })
    }

    fn control_type(&self, e: &Element) -> Option<(FieldType, Loc, bool)> {
        let tag = self.loc(Span::new(e.tag.start() + 1, e.name.len()));
        match e.name.as_str() {
            "textarea" => Some((FieldType::LongText, tag, true)),
            "select" => Some((
                if e.attr("multiple").is_some() {
                    FieldType::MultiChoice
                } else {
                    FieldType::Choice
                },
                tag,
                true,
            )),
            "input" => {
                let Some(a) = e.attr("type") else {
                    return Some((FieldType::Text, tag, false));
                };
                let loc = self.loc(a.value_span.unwrap_or(a.span));
                let t = match a.value.trim().to_ascii_lowercase().as_str() {
                    "submit" | "reset" | "button" | "image" => return None,
                    "email" => FieldType::Email,
                    "tel" => FieldType::Phone,
                    "number" | "range" => FieldType::Number,
                    "date" | "datetime-local" | "datetime" | "month" | "week" | "time" => {
                        FieldType::Date
                    }
                    "checkbox" => FieldType::Boolean,
                    "radio" => FieldType::Choice,
                    "file" => FieldType::File,
                    "url" => FieldType::Url,
                    "password" => FieldType::Secret,
                    "hidden" => FieldType::Hidden,
                    _ => FieldType::Text,
                };
                Some((t, loc, true))
            }
            _ => None,
        }
    }

    fn model(&self, stem: &str) -> FileModel {
        let form_indices: Vec<usize> = self
            .elements
            .iter()
            .enumerate()
            .filter(|(_, e)| e.name == "form")
            .map(|(i, _)| i)
            .collect();
        let mut controls: Vec<Control> = Vec::new();
        // Each (form, name) seen, with its control.
        let mut by_name: HashMap<(usize, String), usize> = HashMap::new();
        for (index, e) in self.elements.iter().enumerate() {
            let Some((field_type, type_loc, declared)) = self.control_type(e) else {
                continue;
            };
            // The form it belongs to: `form=ID` wins over the enclosing form.
            let form = match e.attr("form") {
                Some(f) => self
                    .ids
                    .get(&f.value)
                    .copied()
                    .filter(|i| self.elements.get(*i).is_some_and(|x| x.name == "form")),
                None => e.form,
            };
            let Some(form) = form else { continue };
            let Some(name_attr) = e
                .attr("name")
                .or_else(|| e.attr("id"))
                .filter(|a| !a.value.trim().is_empty())
            else {
                continue;
            };
            let id = self.attr_text(name_attr);
            let checked = e.attr("checked");
            let input_type = e
                .attr("type")
                .map(|t| t.value.trim().to_ascii_lowercase())
                .unwrap_or_default();
            let is_checkbox = e.name == "input" && input_type == "checkbox";
            let is_choice = e.name == "input" && (is_checkbox || input_type == "radio");
            let option_value = || {
                e.attr("value")
                    .map(|v| self.attr_text(v))
                    .unwrap_or_else(|| Text::new("on", id.loc))
            };
            // Radios and checkboxes of one name in one form are one field.
            let existing = by_name.get(&(form, id.as_str().to_owned())).copied();
            if is_choice && let Some(c) = existing.and_then(|i| controls.get_mut(i)) {
                if c.field.field_type().value == FieldType::Boolean {
                    c.field.set_field_type(FieldType::MultiChoice);
                }
                c.field.push_option(FieldOption {
                    value: option_value(),
                    label: self.label_of(e).map(Box::new),
                });
                if let Some(ch) = checked {
                    c.field.extra_mut().default = Some(At {
                        value: Scalar::Str(option_value().value.into_compact()),
                        loc: self.loc(ch.span),
                    });
                }
                continue;
            }
            // Several text inputs of one name (`items[]`) are sent as a list: one field.
            if existing.is_some() {
                continue;
            }
            let mut options = Vec::new();
            let mut default = None;
            if is_choice {
                options.push(FieldOption {
                    value: option_value(),
                    label: self.label_of(e).map(Box::new),
                });
                if let Some(ch) = checked {
                    default = Some(At {
                        // A lone checkbox is ticked; a radio picks its value.
                        value: if is_checkbox {
                            Scalar::Bool(true)
                        } else {
                            Scalar::Str(option_value().value.into_compact())
                        },
                        loc: self.loc(ch.span),
                    });
                }
            } else if e.name == "select" {
                for o in self
                    .elements
                    .iter()
                    .skip(index + 1)
                    .take_while(|o| o.tag.start() < e.end)
                {
                    if o.name != "option" || o.select != Some(index) {
                        continue;
                    }
                    let text = self.element_text(o);
                    let Some(value) = o
                        .attr("value")
                        .map(|v| self.attr_text(v))
                        .or_else(|| text.clone())
                    else {
                        continue;
                    };
                    if let Some(s) = o.attr("selected")
                        && !value.is_blank()
                        && o.attr("disabled").is_none()
                    {
                        default = Some(At {
                            value: Scalar::Str(value.value.clone().into_compact()),
                            loc: self.loc(s.span),
                        });
                    }
                    options.push(FieldOption {
                        value,
                        label: text.map(Box::new),
                    });
                }
            } else if e.name == "textarea" {
                default = self.element_text(e).map(|t| At {
                    value: Scalar::Str(t.value.into_compact()),
                    loc: t.loc,
                });
            } else if let Some(v) = e.attr("value").filter(|v| !v.value.is_empty()) {
                default = Some(At {
                    value: Scalar::Str(v.value.as_str().into()),
                    loc: self.loc(v.value_span.unwrap_or(v.span)),
                });
            }
            let (uses, uses_loc) = self.uses(e, "data-uses");
            let item_end = e.end.max(e.tag.end());
            let field = Field {
                label: self.label_of(e),
                kind: FieldKind::new(
                    At {
                        value: field_type,
                        loc: type_loc,
                    },
                    declared,
                    e.attr("required").map(|r| At {
                        value: true,
                        loc: self.loc(r.span),
                    }),
                ),
                purpose: self.purpose(e),
                retention: e.attr("data-retention").map(|a| self.attr_text(a)),
                extra: FieldExtra {
                    default,
                    sensitive: self.vocab(e, "data-sensitive", Category::parse),
                    source: self.vocab(e, "data-source", Source::parse),
                    help: e
                        .attr("aria-describedby")
                        .and_then(|a| {
                            a.value
                                .split_whitespace()
                                .next()
                                .and_then(|id| self.by_id(id))
                        })
                        .and_then(|d| self.element_text(d)),
                    autocomplete: e.attr("autocomplete").map(|a| self.attr_text(a)),
                }
                .boxed(),
                lists: FieldLists {
                    uses: uses.into(),
                    uses_loc,
                    options: options.into(),
                }
                .boxed(),
                item: self.loc(Span::new(e.tag.start(), item_end - e.tag.start())),
                id,
            };
            by_name.insert((form, field.id.as_str().to_owned()), controls.len());
            controls.push(Control { field, form });
        }
        let mut fields_of: HashMap<usize, Vec<Field>> = HashMap::new();
        for c in controls {
            fields_of.entry(c.form).or_default().push(c.field);
        }
        let mut model = FileModel::default();
        let several = form_indices.len() > 1;
        for (n, &fi) in form_indices.iter().enumerate() {
            let Some(fe) = self.elements.get(fi) else {
                continue;
            };
            let fields: Vec<Field> = fields_of.remove(&fi).unwrap_or_default();
            let id = match fe
                .attr("id")
                .or_else(|| fe.attr("name"))
                .filter(|a| !a.value.trim().is_empty())
            {
                Some(a) => self.attr_text(a),
                None => Text::new(
                    if several {
                        format!("{stem}-{}", n + 1)
                    } else {
                        stem.to_string()
                    },
                    self.loc(Span::new(fe.tag.start() + 1, 4)),
                ),
            };
            let (uses, _) = self.uses(fe, "data-uses");
            let title = fe
                .attr("aria-label")
                .map(|a| self.attr_text(a))
                .or_else(|| fe.attr("title").map(|a| self.attr_text(a)));
            model.forms.push(Form {
                id,
                title,
                purpose: self.purpose(fe),
                uses,
                fields,
                item: self.loc(Span::new(
                    fe.tag.start(),
                    fe.end.max(fe.tag.end()) - fe.tag.start(),
                )),
            });
        }
        model
    }

    fn purpose(&self, e: &Element) -> Purpose {
        match e.attr("data-purpose") {
            Some(a) => Purpose::Stated {
                key: &"data-purpose",
                text: self.attr_text(a),
            },
            None => Purpose::Missing {
                key: &"data-purpose",
            },
        }
    }

    /// `<!-- creeplint: allow RULE[, RULE] -- reason -->`: covers the comment and the next
    /// element (the whole of it, up to its end tag: a whole `<form>` when one follows).
    fn comment_allows(&self) -> Vec<Allow> {
        let mut out = Vec::new();
        for (span, body, next) in &self.allows {
            let Some(rest) = body.trim_start().strip_prefix("creeplint") else {
                continue;
            };
            let rest = rest.trim_start();
            let Some(rest) = rest.strip_prefix(':') else {
                continue;
            };
            let Some(rest) = rest.trim_start().strip_prefix("allow") else {
                continue;
            };
            let (names, reason) = match rest.split_once("--") {
                Some((n, r)) => (n, Some(r.trim())),
                None => (rest, None),
            };
            let item = match next.and_then(|i| self.elements.get(i)) {
                Some(e) => Span::new(span.start(), e.end.max(e.tag.end()) - span.start()),
                None => *span,
            };
            // Names are located by searching the comment's source text.
            let raw = self.text.get(span.start()..span.end()).unwrap_or("");
            let mut search_from = 0;
            let mut rules = Vec::new();
            for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                let at = raw
                    .get(search_from..)
                    .and_then(|r| r.find(name))
                    .map(|i| i + search_from);
                let loc = match at {
                    Some(i) => {
                        search_from = i + name.len();
                        self.loc(Span::new(span.start() + i, name.len()))
                    }
                    None => self.loc(*span),
                };
                let mut rule = Text::new(name, loc);
                if at.is_some() {
                    rule.set_verbatim_at(Some(loc.span.start()));
                }
                rules.push(rule);
            }
            out.push(Allow {
                at: self.loc(*span),
                rules: rules.into_boxed_slice(),
                reason: reason
                    .filter(|r| !r.is_empty())
                    .map(crate::model::TextValue::pooled),
                covers: Box::new([item]),
                written: Written::Comment,
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(text: &str) -> Vec<Form> {
        read(FileId(0), Path::new("site/signup.html"), text).0.forms
    }

    fn slice(text: &str, loc: Loc) -> &str {
        text.get(loc.span.start()..loc.span.end()).unwrap_or("")
    }

    #[test]
    fn labels_of_every_kind() {
        let text = r#"<!doctype html><form id="f">
<label for="a">First name</label><input id="a" name="first">
<label>Last name <input name="last"></label>
<input name="c" aria-label="Phone">
<span id="lbl">Your email</span><input name="d" aria-labelledby="lbl">
<input name="e" placeholder="Postcode">
<input name="g" title="City">
<input type="submit" name="go" value="Send">
</form>"#;
        let f = forms(text);
        assert_eq!(f.len(), 1);
        let got: Vec<(&str, Option<&str>)> = f[0]
            .fields
            .iter()
            .map(|x| (x.id.as_str(), x.label.as_ref().map(|l| l.as_str())))
            .collect();
        assert_eq!(
            got,
            [
                ("first", Some("First name")),
                ("last", Some("Last name")),
                ("c", Some("Phone")),
                ("d", Some("Your email")),
                ("e", Some("Postcode")),
                ("g", Some("City")),
            ]
        );
        // Spans point into the page: the name attribute's value, the label's text.
        assert_eq!(slice(text, f[0].fields[0].id.loc), "first");
        let label = f[0].fields[0].label.as_ref().map(|l| slice(text, l.loc));
        assert_eq!(label, Some("First name"));
        assert_eq!(
            f[0].fields[2].label.as_ref().map(|l| slice(text, l.loc)),
            Some("Phone")
        );
    }

    #[test]
    fn choices_defaults_hidden_and_data_attributes() {
        let text = r#"<form name="signup" data-purpose="Create your account" data-uses="account">
<input type="email" name="email" required autocomplete="email" data-purpose="We send receipts here" data-uses="transactional, account" data-retention="until you close your account">
<label><input type="checkbox" name="news" checked> Send me offers by email</label>
<input type="radio" name="pay" value="card" checked><input type="radio" name="pay" value="cash">
<select name="country"><option value="">Choose</option><option value="es" selected>Spain</option></select>
<textarea name="bio">Hello</textarea>
<input type="hidden" name="utm_source" value="mail">
<input type="hidden" name="user_id" value="42" data-source="device">
</form>"#;
        let f = &forms(text)[0];
        assert_eq!(f.id.as_str(), "signup");
        assert_eq!(
            f.purpose.text().map(|p| p.as_str()),
            Some("Create your account")
        );
        assert_eq!(f.uses.first().map(|u| u.value), Some(Use::Account));
        let email = &f.fields[0];
        assert_eq!(email.field_type().value, FieldType::Email);
        assert!(email.is_required());
        assert_eq!(email.uses().len(), 2);
        assert_eq!(
            email.uses().get(1).map(|u| slice(text, u.loc)),
            Some("account")
        );
        assert_eq!(email.autocomplete().map(|a| a.as_str()), Some("email"));
        assert!(email.retention.is_some());
        let news = &f.fields[1];
        assert_eq!(news.field_type().value, FieldType::Boolean);
        assert_eq!(
            news.default().map(|d| d.value.clone()),
            Some(Scalar::Bool(true))
        );
        assert_eq!(news.default().map(|d| slice(text, d.loc)), Some("checked"));
        assert_eq!(
            news.label.as_ref().map(|l| l.as_str()),
            Some("Send me offers by email")
        );
        let pay = &f.fields[2];
        assert_eq!(pay.field_type().value, FieldType::Choice);
        assert_eq!(pay.options().len(), 2);
        assert_eq!(
            pay.default().map(|d| d.value.clone()),
            Some(Scalar::Str("card".into()))
        );
        let country = &f.fields[3];
        assert_eq!(country.options().len(), 2);
        assert_eq!(
            country.default().map(|d| d.value.clone()),
            Some(Scalar::Str("es".into()))
        );
        assert_eq!(
            f.fields[4].default().map(|d| d.value.clone()),
            Some(Scalar::Str("Hello".into()))
        );
        assert!(f.fields[5].is_hidden());
        assert_eq!(f.fields[6].source().map(|s| s.value), Some(Source::Device));
        assert_eq!(f.fields.len(), 7);
    }

    #[test]
    fn form_attribute_several_forms_and_script_text() {
        let text = r#"<form><input name="q"></form>
<script>var s = "<form><input name='fake'></form>";</script>
<form id="late"></form>
<input name="outside">
<input name="joined" form="late">"#;
        let f = forms(text);
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].id.as_str(), "signup-1");
        assert_eq!(f[0].fields.len(), 1);
        assert_eq!(f[1].id.as_str(), "late");
        let ids: Vec<&str> = f[1].fields.iter().map(|x| x.id.as_str()).collect();
        assert_eq!(ids, ["joined"]);
    }

    #[test]
    fn comment_allows_cover_the_next_element() {
        let text = "<form id=\"f\">\n<!-- creeplint: allow hidden-collection, missing-purpose -- the CRM needs it -->\n<input type=\"hidden\" name=\"user_id\">\n</form>";
        let (_, allows) = read(FileId(0), Path::new("a.html"), text);
        assert_eq!(allows.len(), 1);
        let a = &allows[0];
        let names: Vec<&str> = a.rules.iter().map(|r| slice(text, r.loc)).collect();
        assert_eq!(names, ["hidden-collection", "missing-purpose"]);
        assert_eq!(a.reason.as_deref(), Some("the CRM needs it"));
        let input = text.find("<input").unwrap_or(0);
        assert!(
            a.covers
                .iter()
                .any(|c| c.start() < input && c.end() > input)
        );
    }

    #[test]
    fn lenient_on_broken_markup() {
        let text = "<form><label>Name <input name=n <select name=s><option>a";
        let f = forms(text);
        assert_eq!(f.len(), 1);
        assert!(has_form_tag(text));
        assert!(!has_form_tag("<html><body>no forms</body></html>"));
    }
}
