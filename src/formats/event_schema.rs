//! Event schemas of analytics pipelines: Snowplow Iglu self-describing JSON Schemas and
//! Segment tracking plans (the `plan.json` of Segment's code generator, in its older
//! `rules.events` shape and in the newer `rules[]` shape). Every property an event
//! carries is a data item; where it comes from follows what the schema describes.
//! The JSON Schema itself is walked by [`super::schema_walk`], as for forms, and a
//! property's `x-creeplint-allow` entries accept findings on it, as on a form's.

use super::mapped::{Cx, slug};
use super::native::last_end;
use super::schema_walk::{Leaf, View, Visit, Walker};
use super::tree::{Key, Node};
use super::{FileModel, Problem, Reader};
use crate::model::{At, Category, DataDecl, DataExtra, Precision, Source, Text, Use};
use crate::source::Span;
use crate::suppress::Allow;

/// Which dialect a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Iglu,
    /// `rules: {events: [{name, rules: <JSON Schema>}], identify_traits, ...}`
    SegmentPlan,
    /// `rules: [{key, type: TRACK|IDENTIFY|GROUP|COMMON|..., jsonSchema}]`
    SegmentRules,
}

const META_SCHEMA: &str = "com.snowplowanalytics.self-desc/schema";
const RULE_TYPES: [&str; 6] = ["TRACK", "IDENTIFY", "GROUP", "PAGE", "SCREEN", "COMMON"];

pub fn detect(doc: &Node) -> Option<Kind> {
    if doc.get("kind").is_some() {
        return None;
    }
    let self_desc = doc.get("self").is_some_and(|s| {
        ["vendor", "name", "format", "version"]
            .iter()
            .all(|k| s.get(k).and_then(Node::as_str).is_some())
    });
    if self_desc
        && doc
            .get("$schema")
            .and_then(Node::as_str)
            .is_some_and(|s| s.contains(META_SCHEMA))
    {
        return Some(Kind::Iglu);
    }
    let rules = doc.get("rules")?;
    if rules
        .get("events")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .any(|e| e.get("name").is_some() && e.get("rules").and_then(Node::as_map).is_some())
    {
        return Some(Kind::SegmentPlan);
    }
    if rules.as_seq().unwrap_or_default().iter().any(|r| {
        json_schema(r).is_some()
            && r.get("type")
                .and_then(Node::as_str)
                .is_some_and(|t| RULE_TYPES.contains(&t))
    }) {
        return Some(Kind::SegmentRules);
    }
    None
}

/// Whether raw text looks like an event schema (for files that do not parse): the
/// Snowplow meta-schema, or a tracking plan's rules with JSON Schemas.
pub fn sniff(text: &str) -> bool {
    (text.contains(META_SCHEMA) && text.contains("\"self\""))
        || (text.contains("\"rules\"")
            && (text.contains("\"jsonSchema\"") || text.contains("\"identify_traits\"")))
}

/// Whether a path has the shape of a schema in an Iglu registry,
/// `<vendor>/<name>/jsonschema/<M>-<R>-<A>` (SchemaVer, e.g. `1-0-2`).
pub fn is_iglu_path(path: &std::path::Path) -> bool {
    let names: Vec<&str> = path
        .components()
        .rev()
        .take(4)
        .filter_map(|c| match c {
            std::path::Component::Normal(n) => n.to_str(),
            _ => None,
        })
        .collect();
    let [version, format, name, vendor] = names.as_slice() else {
        return false;
    };
    let schema_ver = version.split('-').count() == 3
        && version
            .split('-')
            .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    schema_ver
        && *format == "jsonschema"
        && !name.is_empty()
        && !vendor.is_empty()
        && !name.starts_with('.')
        && !vendor.starts_with('.')
}

/// Snowplow and Segment schemas (JSON), read before the native reader: a file that
/// holds none is handed on to it.
pub struct EventSchemaReader;

impl Reader for EventSchemaReader {
    /// Its items may point into other files (see [`Reader::links_files`]).
    fn links_files(&self) -> bool {
        true
    }

    fn name(&self) -> &'static str {
        "event-schema"
    }

    fn extensions(&self) -> &'static [&'static str] {
        &["json"]
    }

    /// Iglu registries keep schemas without an extension, at
    /// `<vendor>/<name>/jsonschema/<model>-<revision>-<addition>`: walked by that shape,
    /// then recognised by their `self` and the meta-schema like any other.
    fn wants_path(&self, path: &std::path::Path) -> bool {
        is_iglu_path(path)
    }

    fn sniff(&self, _path: &std::path::Path, text: &str) -> bool {
        sniff(text)
    }

    fn read(
        &self,
        source: &crate::source::SourceFile,
        file: crate::source::FileId,
    ) -> super::FileRead {
        use crate::source::{Language, Loc};
        let mut out = super::FileRead {
            language: Language::Json,
            ..super::FileRead::default()
        };
        let cx = Cx {
            file,
            text: &source.text,
        };
        let mut identity = None;
        for doc in super::tree::parse(&source.text, true) {
            match doc.result {
                Ok(node) => {
                    if let Some(kind) = detect(&node) {
                        out.documents += 1;
                        identity = (kind == Kind::Iglu).then(|| IgluId::of(&node)).flatten();
                        read(
                            cx,
                            kind,
                            &node,
                            &mut out.model,
                            &mut out.problems,
                            &mut out.allows,
                        );
                    }
                }
                Err(e) => {
                    out.documents += 1;
                    out.problems.push(
                        Problem::new(Loc { file, span: e.span }, format!("JSON {}", e.message))
                            .help("fix the syntax; the other files are still checked"),
                    );
                }
            }
        }
        if out.documents == 0 {
            return super::native::NativeReader.read(source, file);
        }
        if out.documents == 1 {
            out.pending = identity.map(|id| Box::new(id) as Box<dyn std::any::Any + Send>);
        }
        out
    }

    /// A registry keeps every version of a schema (`1-0-0`, `1-0-1`, `2-0-0`), and ids do
    /// not carry the version: of the versions of one schema (same `self.vendor` and
    /// `self.name`) in the project, only the newest by SchemaVer is read; the older ones
    /// are skipped like files that are not creeplint's (no items, problems or
    /// suppressions), so they neither repeat its ids nor leave allows that suppress
    /// nothing.
    fn pair(&self, files: &mut [super::ReadFile]) {
        let name = self.name();
        let id = |f: &super::ReadFile| {
            (f.reader == Some(name))
                .then(|| f.read.pending.as_ref()?.downcast_ref::<IgluId>())
                .flatten()
                .cloned()
        };
        let mut newest: std::collections::BTreeMap<(String, String), [u64; 3]> =
            std::collections::BTreeMap::new();
        for f in files.iter() {
            if let Some(IgluId {
                vendor,
                name,
                version,
            }) = id(f)
            {
                let v = newest.entry((vendor, name)).or_insert(version);
                *v = (*v).max(version);
            }
        }
        for f in files.iter_mut() {
            let older = id(f).is_some_and(|i| {
                newest
                    .get(&(i.vendor, i.name))
                    .is_some_and(|&v| i.version < v)
            });
            if older {
                f.read = super::FileRead {
                    language: f.read.language,
                    ..super::FileRead::default()
                };
            }
        }
    }
}

/// Which schema an Iglu document is, and which version of it: its `self`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct IgluId {
    vendor: String,
    name: String,
    /// SchemaVer `MODEL-REVISION-ADDITION`, compared number by number.
    version: [u64; 3],
}

impl IgluId {
    /// `None` when the `self` is incomplete or its version is not SchemaVer: such a
    /// schema is always read.
    fn of(doc: &Node) -> Option<Self> {
        let s = doc.get("self")?;
        let field = |k: &str| s.get(k).and_then(Node::as_str);
        Some(Self {
            vendor: field("vendor")?.to_string(),
            name: field("name")?.to_string(),
            version: schema_ver(field("version")?)?,
        })
    }
}

/// A SchemaVer (`1-0-12`) as three numbers.
fn schema_ver(text: &str) -> Option<[u64; 3]> {
    let mut parts = text.split('-').map(|n| {
        (!n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            .then(|| n.parse::<u64>().ok())
            .flatten()
    });
    let v = [parts.next()??, parts.next()??, parts.next()??];
    parts.next().is_none().then_some(v)
}

fn json_schema(rule: &Node) -> Option<&Node> {
    rule.get("jsonSchema")
        .or_else(|| rule.get("json_schema"))
        .filter(|n| n.as_map().is_some())
}

/// Where the data of one schema (or one part of a plan) comes from, and why.
#[derive(Clone, Copy)]
struct Origin {
    source: Source,
    /// What in the file says so (the schema's vendor or name, the `traits` key of a
    /// plan); `None` points at the property itself.
    loc: Option<crate::source::Loc>,
}

/// Snowplow: enrichments by another company are third-party; device, mobile, browser
/// and geolocation contexts are read from the device; identify and user schemas describe
/// the person as they gave it; any other event is something the person did.
fn iglu_origin(vendor: &str, name: &str) -> Source {
    let words: Vec<String> = crate::vocab::words(&format!("{vendor} {name}"))
        .into_iter()
        .map(|w| w.norm)
        .collect();
    let has = |w: &str| words.iter().any(|x| x == w);
    if (has("enrichment") || has("enrichments")) && !vendor.starts_with("com.snowplowanalytics") {
        return Source::ThirdParty;
    }
    if [
        "mobile",
        "device",
        "geolocation",
        "browser",
        "screen",
        "os",
        "network",
    ]
    .iter()
    .any(|w| has(w))
        && (has("context") || has("device"))
    {
        return Source::Device;
    }
    if [
        "identify", "user", "customer", "profile", "account", "person", "contact",
    ]
    .iter()
    .any(|w| has(w))
    {
        return Source::Volunteered;
    }
    Source::Observed
}

/// What the properties of a schema inherit from the schema, event or property that
/// holds them.
#[derive(Clone)]
struct Scope {
    origin: Origin,
    description: Option<Text>,
}

/// One document read: the JSON Schema walk shared with the form reader
/// ([`super::schema_walk`]) over each schema in it, and the data items it meets.
struct Walk<'a, 'b> {
    cx: Cx<'a>,
    walker: Walker<'a>,
    items: Items<'a, 'b>,
}

/// The data items of one document, one per property the walk does not go into.
struct Items<'a, 'b> {
    cx: Cx<'a>,
    out: &'b mut FileModel,
    problems: Vec<Problem>,
    /// The `x-creeplint-allow` entries of the properties read.
    allows: &'b mut Vec<Allow>,
}

pub(crate) fn read<'a>(
    cx: Cx<'a>,
    kind: Kind,
    doc: &'a Node,
    out: &mut FileModel,
    problems: &mut Vec<Problem>,
    allows: &mut Vec<Allow>,
) {
    let mut w = Walk {
        cx,
        walker: Walker::new(cx.file, doc),
        items: Items {
            cx,
            out,
            problems: Vec::new(),
            allows,
        },
    };
    match kind {
        Kind::Iglu => {
            let s = doc.get("self");
            let field = |k: &str| {
                s.and_then(|s| s.get(k))
                    .and_then(Node::as_str)
                    .unwrap_or("")
                    .to_string()
            };
            let (vendor, name) = (field("vendor"), field("name"));
            let source = iglu_origin(&vendor, &name);
            let says = if source == Source::ThirdParty {
                "vendor"
            } else {
                "name"
            };
            let origin = Origin {
                source,
                loc: s.and_then(|s| s.get(says)).map(|n| cx.loc(n.span)),
            };
            let description = cx.words(doc.get("description"));
            if doc.get("properties").is_none() && doc.get("type").is_none() {
                w.items.problems.push(
                    Problem::new(
                        cx.loc(doc.head_span()),
                        format!("the schema `{vendor}/{name}` has no `properties`"),
                    )
                    .help("a self-describing schema lists the properties its events carry"),
                );
            }
            w.walk(doc, &slug(&name), origin, &description);
        }
        Kind::SegmentPlan => {
            let rules = doc.get("rules");
            for event in rules
                .and_then(|r| r.get("events"))
                .and_then(Node::as_seq)
                .unwrap_or_default()
            {
                let Some(name) = cx.words(event.get("name")) else {
                    w.items.problems.push(
                        Problem::new(cx.loc(event.head_span()), "this event has no `name`")
                            .help("name every event of the tracking plan"),
                    );
                    continue;
                };
                let description = cx.words(event.get("description"));
                if let Some(schema) = event.get("rules") {
                    w.segment_schema(schema, &slug(&name.value), false, &description);
                }
            }
            for (key, prefix) in [("identify", "traits"), ("group", "group")] {
                if let Some(schema) = rules
                    .and_then(|r| r.get(key))
                    .filter(|n| n.as_map().is_some())
                {
                    w.traits(schema, prefix);
                }
            }
            for (key, prefix) in [("identify_traits", "traits"), ("group_traits", "group")] {
                for entry in rules
                    .and_then(|r| r.get(key))
                    .and_then(Node::as_seq)
                    .unwrap_or_default()
                {
                    match entry.get("rules") {
                        Some(schema) => w.traits(schema, prefix),
                        None => w.traits(entry, prefix),
                    }
                }
            }
        }
        Kind::SegmentRules => {
            let rules = doc.get("rules").and_then(Node::as_seq).unwrap_or_default();
            // Segment keeps every version of an event's rule in the plan, and ids do
            // not carry the version: as for Iglu, only the newest of a rule's versions
            // (same `type` and `key`) is read.
            let of = |rule: &'a Node| {
                let text = |k: &str| rule.get(k).and_then(Node::as_str);
                (
                    (text("type"), text("key")),
                    rule.get("version").and_then(Node::as_f64),
                )
            };
            let mut newest = std::collections::BTreeMap::new();
            for rule in rules {
                if let (which, Some(v)) = of(rule) {
                    let n = newest.entry(which).or_insert(v);
                    *n = n.max(v);
                }
            }
            for rule in rules {
                let Some(schema) = json_schema(rule) else {
                    continue;
                };
                if let (which, Some(v)) = of(rule)
                    && newest.get(&which).is_some_and(|&n| v < n)
                {
                    continue;
                }
                let kind = rule.get("type").and_then(Node::as_str).unwrap_or("");
                let description = cx.words(schema.get("description"));
                match kind {
                    "IDENTIFY" => w.traits(schema, "traits"),
                    "GROUP" => w.traits(schema, "group"),
                    _ => {
                        let name = rule
                            .get("key")
                            .and_then(Node::as_str)
                            .or_else(|| {
                                schema
                                    .get("eventMetadata")
                                    .and_then(|m| m.get("name"))
                                    .and_then(Node::as_str)
                            })
                            .map(slug)
                            .filter(|s| !s.is_empty())
                            .unwrap_or_else(|| kind.to_lowercase());
                        w.segment_schema(schema, &name, true, &description);
                    }
                }
            }
        }
    }
    problems.append(&mut w.items.problems);
    problems.append(&mut w.walker.problems);
    problems.extend(w.walker.over_budget(cx.loc(doc.head_span()), "schema"));
}

impl<'a> Walk<'a, '_> {
    /// A Segment event's schema: `properties.properties` are what the event carries,
    /// `properties.traits` what it says about the person, `properties.context` what the
    /// library read from the device. A schema without that envelope lists the event's
    /// properties directly.
    fn segment_schema(
        &mut self,
        schema: &'a Node,
        event: &str,
        flat_allowed: bool,
        description: &Option<Text>,
    ) {
        let envelope = schema.get("properties");
        let is_envelope = envelope.and_then(Node::as_map).is_some_and(|m| {
            !m.is_empty()
                && m.iter()
                    .all(|(k, _)| matches!(k.text.as_str(), "properties" | "traits" | "context"))
        });
        let cx = self.cx;
        let part = |key: &str, source: Source| {
            envelope.and_then(|e| e.entry(key)).map(|(k, v)| {
                (
                    v,
                    Origin {
                        source,
                        loc: Some(cx.loc(k.span)),
                    },
                )
            })
        };
        if is_envelope {
            if let Some((p, origin)) = part("properties", Source::Observed) {
                self.walk(p, event, origin, description);
            }
            if let Some((t, origin)) = part("traits", Source::Volunteered) {
                self.walk(t, &format!("{event}.traits"), origin, description);
            }
            if let Some((c, origin)) = part("context", Source::Device) {
                self.walk(c, &format!("{event}.context"), origin, description);
            }
        } else if flat_allowed {
            let observed = Origin {
                source: Source::Observed,
                loc: None,
            };
            self.walk(schema, event, observed, description);
        }
    }

    /// Identify or group traits: what the person (or their organisation) told you,
    /// unless a trait says `x-source`.
    fn traits(&mut self, schema: &'a Node, prefix: &str) {
        let mut origin = Origin {
            source: Source::Volunteered,
            loc: None,
        };
        let description = self.cx.words(schema.get("description"));
        let inner = schema
            .get("properties")
            .and_then(|p| p.entry("traits"))
            .filter(|(_, t)| t.get("properties").is_some());
        match inner {
            Some((key, t)) => {
                origin.loc = Some(self.cx.loc(key.span));
                self.walk(t, prefix, origin, &description)
            }
            None if schema.get("properties").is_some() => {
                self.walk(schema, prefix, origin, &description)
            }
            None => {
                // A trait written as a property with a `name`.
                if let Some(name) = schema.get("name").and_then(Node::as_str) {
                    let key = Key {
                        span: schema.span,
                        text: name.into(),
                    };
                    let scope = Scope {
                        origin,
                        description,
                    };
                    let id = format!("{prefix}.{}", slug(name));
                    self.walker
                        .property(&mut self.items, &key, schema, &id, &scope);
                }
            }
        }
    }

    /// Every property of the object schema `schema`, with dotted ids under `prefix`.
    fn walk(&mut self, schema: &'a Node, prefix: &str, origin: Origin, description: &Option<Text>) {
        let scope = Scope {
            origin,
            description: description.clone(),
        };
        self.walker.walk(&mut self.items, schema, prefix, &scope);
    }
}

impl<'a> Visit<'a> for Items<'_, '_> {
    type Scope = Scope;
    /// An event still carries a property whose inside its schema leaves open.
    const OPAQUE_LEAVES: bool = true;

    fn segment(&self, key: &str) -> String {
        slug(key)
    }

    /// A property's own purpose or description describes what is inside it.
    fn enter(&mut self, view: &View<'a>, scope: &Scope) -> Scope {
        Scope {
            origin: scope.origin,
            description: self
                .own_description(view)
                .or_else(|| scope.description.clone()),
        }
    }

    fn leaf(&mut self, leaf: Leaf<'a, '_>, scope: &Scope) {
        self.item(leaf, scope);
    }
}

impl Items<'_, '_> {
    fn own_description(&self, view: &View<'_>) -> Option<Text> {
        self.cx
            .words(view.get("x-purpose"))
            .or_else(|| self.cx.words(view.get("description")))
    }

    /// One data item: the property's `x-` keys, else what its schema implies.
    fn item(&mut self, leaf: Leaf<'_, '_>, scope: &Scope) {
        let Leaf {
            key,
            prop,
            view,
            id,
            anchor,
            ..
        } = leaf;
        let cx = self.cx;
        let at = |n: &Node| cx.loc(n.span);
        // Reached through a `$ref`: the property that uses the definition.
        let name = cx.loc(anchor.unwrap_or(key.span));
        // The whole property, from its key to the end of its schema: its
        // `x-creeplint-allow` entries cover it, as on a form's property.
        let start = key.span.start().min(prop.span.start());
        let item = cx.loc(Span::new(start, last_end(prop).max(start) - start));
        self.allows
            .extend(super::allow_entries(prop, item, cx.text, cx.file));
        let origin = scope.origin;
        let source = match view.get("x-source") {
            Some(n) => match n.as_str().and_then(Source::parse) {
                Some(value) => At { value, loc: at(n) },
                None => {
                    self.problems.push(
                        Problem::new(at(n), "`x-source` is not a data source")
                            .help(format!("use one of {}", Source::names().join(", "))),
                    );
                    At {
                        value: origin.source,
                        loc: name,
                    }
                }
            },
            None => At {
                value: origin.source,
                loc: origin.loc.unwrap_or(name),
            },
        };
        let sensitive = view.get("x-sensitive").and_then(|n| {
            let value = n.as_str().and_then(Category::parse);
            if value.is_none() {
                self.problems.push(
                    Problem::new(at(n), "`x-sensitive` is not a sensitive category")
                        .help(format!("use one of {}", Category::names().join(", "))),
                );
            }
            Some(At {
                value: value?,
                loc: at(n),
            })
        });
        let location = view.get("x-location").and_then(|n| {
            Some(At {
                value: Precision::parse(n.as_str()?)?,
                loc: at(n),
            })
        });
        let uses_node = view.get("x-uses");
        let uses: Vec<At<Use>> = uses_node
            .and_then(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(|u| {
                Some(At {
                    value: Use::parse(u.as_str()?)?,
                    loc: at(u),
                })
            })
            .collect();
        let mut id_text = Text::new(id, name);
        id_text.set_verbatim_at(None);
        self.out.data.push(DataDecl {
            id: id_text,
            source,
            description: self
                .own_description(view)
                .or_else(|| scope.description.clone()),
            uses,
            uses_loc: uses_node.map(at),
            sensitive,
            retention: cx.words(view.get("x-retention")),
            item,
            used_elsewhere: false,
            extra: DataExtra {
                location,
                ..DataExtra::default()
            }
            .boxed(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::tree;
    use crate::source::FileId;

    fn read_json(text: &str) -> (Kind, FileModel, Vec<Problem>) {
        let docs = tree::parse(text, true);
        let Some(Ok(node)) = docs.into_iter().next().map(|d| d.result) else {
            panic!("parse failed")
        };
        let Some(kind) = detect(&node) else {
            panic!("not recognised")
        };
        let mut out = FileModel::default();
        let mut problems = Vec::new();
        read(
            Cx {
                file: FileId(0),
                text,
            },
            kind,
            &node,
            &mut out,
            &mut problems,
            &mut Vec::new(),
        );
        (kind, out, problems)
    }

    fn ids(m: &FileModel) -> Vec<(&str, Source)> {
        m.data
            .iter()
            .map(|d| (d.id.as_str(), d.source.value))
            .collect()
    }

    #[test]
    fn iglu_properties_nest_and_take_the_schema_source() {
        let (kind, out, problems) = read_json(
            r#"{"$schema": "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#",
               "self": {"vendor": "com.acme", "name": "product_view", "format": "jsonschema", "version": "1-0-0"},
               "description": "A shopper viewed a product page",
               "type": "object",
               "properties": {
                 "sku": {"type": "string", "description": "The product viewed"},
                 "shopper": {"type": "object", "properties": {"pregnancy_week": {"type": "integer", "x-sensitive": "pregnancy"}}}
               }}"#,
        );
        assert_eq!(kind, Kind::Iglu);
        assert!(problems.is_empty());
        assert_eq!(
            ids(&out),
            [
                ("product_view.sku", Source::Observed),
                ("product_view.shopper.pregnancy_week", Source::Observed)
            ]
        );
        let week = &out.data[1];
        assert_eq!(
            week.sensitive.as_ref().map(|s| s.value),
            Some(Category::Pregnancy)
        );
        assert_eq!(
            week.description.as_ref().map(|d| d.as_str()),
            Some("A shopper viewed a product page")
        );
    }

    #[test]
    fn iglu_origins() {
        assert_eq!(
            iglu_origin("com.snowplowanalytics.snowplow", "mobile_context"),
            Source::Device
        );
        assert_eq!(
            iglu_origin("com.snowplowanalytics.snowplow", "geolocation_context"),
            Source::Device
        );
        assert_eq!(
            iglu_origin("com.clearbit.enrichment", "person"),
            Source::ThirdParty
        );
        assert_eq!(
            iglu_origin("com.snowplowanalytics.snowplow", "identify"),
            Source::Volunteered
        );
        assert_eq!(iglu_origin("com.acme", "add_to_cart"), Source::Observed);
    }

    #[test]
    fn segment_plans_in_both_shapes() {
        let (kind, out, _) = read_json(
            r#"{"name": "plan", "rules": {"events": [{"name": "Order Completed", "description": "Checkout finished",
                 "rules": {"properties": {"context": {}, "properties": {"properties": {"total": {"type": "number"}}}, "traits": {"type": "object"}}}}],
                 "identify_traits": [], "identify": {"properties": {"traits": {"properties": {"email": {"type": "string"}}}}}}}"#,
        );
        assert_eq!(kind, Kind::SegmentPlan);
        assert_eq!(
            ids(&out),
            [
                ("order_completed.total", Source::Observed),
                ("traits.email", Source::Volunteered)
            ]
        );
        let (kind, out, _) = read_json(
            r#"{"rules": [{"key": "Signed Up", "type": "TRACK", "jsonSchema": {"properties": {"plan": {"type": "string"}, "user": {"properties": {"email": {"type": "string"}}}}}},
                          {"key": null, "type": "IDENTIFY", "jsonSchema": {"properties": {"traits": {"properties": {"age": {"type": "integer", "x-source": "inferred"}}}}}}]}"#,
        );
        assert_eq!(kind, Kind::SegmentRules);
        assert_eq!(
            ids(&out),
            [
                ("signed_up.plan", Source::Observed),
                ("signed_up.user.email", Source::Observed),
                ("traits.age", Source::Inferred)
            ]
        );
    }

    #[test]
    fn only_the_newest_version_of_a_segment_rule_is_read() {
        let (_, out, problems) = read_json(
            r#"{"rules": [
                 {"key": "Order Completed", "type": "TRACK", "version": 1, "jsonSchema": {"properties": {"properties": {"properties": {"total": {"type": "number"}, "coupon": {"type": "string"}}}}}},
                 {"key": "Order Completed", "type": "TRACK", "version": 2, "jsonSchema": {"properties": {"properties": {"properties": {"total": {"type": "number"}, "currency": {"type": "string"}}}}}},
                 {"key": "Order Refunded", "type": "TRACK", "version": 1, "jsonSchema": {"properties": {"properties": {"properties": {"total": {"type": "number"}}}}}},
                 {"key": null, "type": "IDENTIFY", "version": 3, "jsonSchema": {"properties": {"traits": {"properties": {"email": {"type": "string"}}}}}},
                 {"key": null, "type": "IDENTIFY", "version": 2, "jsonSchema": {"properties": {"traits": {"properties": {"phone": {"type": "string"}}}}}},
                 {"key": "Signed Up", "type": "TRACK", "jsonSchema": {"properties": {"plan": {"type": "string"}}}},
                 {"key": "Signed Up", "type": "TRACK", "jsonSchema": {"properties": {"referrer": {"type": "string"}}}}]}"#,
        );
        assert!(problems.is_empty(), "{problems:?}");
        let ids: Vec<&str> = ids(&out).into_iter().map(|(id, _)| id).collect();
        // Rules without a version are all read, as before.
        assert_eq!(
            ids,
            [
                "order_completed.total",
                "order_completed.currency",
                "order_refunded.total",
                "traits.email",
                "signed_up.plan",
                "signed_up.referrer"
            ]
        );
    }

    #[test]
    fn the_form_readers_walk_follows_refs_and_conditionals() {
        let text = r##"{"$schema": "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#",
               "self": {"vendor": "com.acme", "name": "Order Placed", "format": "jsonschema", "version": "1-0-0"},
               "type": "object",
               "definitions": {"address": {"type": "object", "description": "Where it ships",
                 "properties": {"Post Code": {"type": "string"}}}},
               "properties": {
                 "shipping": {"$ref": "#/definitions/address"},
                 "billing": {"$ref": "#/definitions/gone"},
                 "extra": {"type": "object", "properties": {}},
                 "anything": true
               },
               "if": {"properties": {"gift": {"const": true}}},
               "then": {"properties": {"note": {"type": "string"}}}}"##;
        let (_, out, problems) = read_json(text);
        assert_eq!(
            ids(&out),
            [
                ("order_placed.shipping.post_code", Source::Observed),
                ("order_placed.billing", Source::Observed),
                ("order_placed.extra", Source::Observed),
                ("order_placed.anything", Source::Observed),
                ("order_placed.gift", Source::Observed),
                ("order_placed.note", Source::Observed)
            ]
        );
        // Reached through a `$ref`: the item is where the definition is used.
        let code = &out.data[0];
        assert_eq!(
            code.id.loc.span.start(),
            text.find("\"shipping\"").unwrap_or(0)
        );
        assert_eq!(
            code.description.as_ref().map(|d| d.as_str()),
            Some("Where it ships")
        );
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].message.contains("#/definitions/gone"));
    }

    #[test]
    fn iglu_registry_paths() {
        use std::path::Path;
        for yes in [
            "schemas/com.acme/link_click/jsonschema/1-0-0",
            "iglu/schemas/com.snowplowanalytics.snowplow/mobile_context/jsonschema/1-0-12",
            "com.acme/x/jsonschema/10-2-0",
        ] {
            assert!(is_iglu_path(Path::new(yes)), "{yes}");
        }
        for no in [
            "jsonschema/1-0-0",
            "x/jsonschema/1-0-0",
            "schemas/com.acme/link_click/avro/1-0-0",
            "schemas/com.acme/link_click/jsonschema/1-0",
            "schemas/com.acme/link_click/jsonschema/1-0-x",
            "schemas/com.acme/link_click/jsonschema/1--0",
            "schemas/com.acme/link_click/jsonschema/LICENSE",
            "./jsonschema/1-0-0",
            "../../jsonschema/1-0-0",
        ] {
            assert!(!is_iglu_path(Path::new(no)), "{no}");
        }
    }

    #[test]
    fn schema_versions_compare_number_by_number() {
        assert_eq!(schema_ver("1-0-10"), Some([1, 0, 10]));
        assert!(schema_ver("1-0-10") > schema_ver("1-0-9"));
        assert!(schema_ver("10-0-0") > schema_ver("9-12-3"));
        for bad in [
            "1-0",
            "1-0-0-0",
            "1--0",
            "1-0-x",
            "-1-0-0",
            "1-0-+1",
            "",
            "99999999999999999999-0-0",
        ] {
            assert_eq!(schema_ver(bad), None, "{bad}");
        }
    }

    #[test]
    fn other_json_is_not_an_event_schema() {
        for text in [
            r#"{"$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "properties": {"a": {}}}"#,
            r#"{"self": {"vendor": "x", "name": "y", "format": "jsonschema", "version": "1-0-0"}}"#,
            r#"{"rules": [{"type": "TRACK"}]}"#,
            r#"{"rules": {"no-unused-vars": "error"}}"#,
            r#"{"kind": "data", "rules": {"events": [{"name": "x", "rules": {}}]}}"#,
        ] {
            let docs = tree::parse(text, true);
            let node = docs.into_iter().next().and_then(|d| d.result.ok());
            assert!(node.is_some_and(|n| detect(&n).is_none()), "{text}");
        }
    }
}
