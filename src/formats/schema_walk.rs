//! The JSON Schema walk shared by the readers of JSON Schemas (forms, event schemas): the
//! properties of an object schema with dotted ids, local `$ref`s followed with cycle
//! protection, `allOf`/`anyOf`/`oneOf`, `if`/`then`/`else`, `dependencies` and
//! `dependentSchemas`, arrays of objects, all within bounds of depth and work. What a
//! property *is* (a form field, a data item) is the reader's, told through a [`Visit`].

use std::collections::{BTreeSet, HashMap};

use super::tree::{Key, Node, Value};
use crate::model::Problem;
use crate::source::{FileId, Loc, Span};

/// No schema has properties nested deeper than this; deeper schemas are cut, not followed.
pub const MAX_NESTING: usize = 24;
/// A bound on the properties read from one walk.
pub const MAX_LEAVES: usize = 5_000;
/// A bound on the subschemas visited in one walk: `$ref`s shared by many `allOf`
/// branches can expand a small file exponentially.
pub const MAX_VISITS: usize = 100_000;

/// A schema seen through its `$ref`s: the referring node first, so its own keys win.
#[derive(Clone)]
pub struct View<'n> {
    pub chain: Vec<&'n Node>,
    /// The `$ref` chain came back to a schema being expanded: a recursive definition
    /// (a reference's reference), read once and not again.
    pub cyclic: bool,
}

impl<'n> View<'n> {
    pub fn get(&self, key: &str) -> Option<&'n Node> {
        self.chain.iter().find_map(|n| n.get(key))
    }
    pub fn entry(&self, key: &str) -> Option<(&'n Key, &'n Node)> {
        self.chain.iter().find_map(|n| n.entry(key))
    }
    /// Every value of `key` along the chain (a `$ref` and its target may both have
    /// `properties` under newer drafts).
    pub fn all(&self, key: &str) -> Vec<&'n Node> {
        self.chain.iter().filter_map(|n| n.get(key)).collect()
    }
    pub fn type_name(&self) -> Option<&'n str> {
        let t = self.get("type")?;
        match &t.value {
            Value::Str(s) => Some(s.as_str()),
            // `["string", "null"]`: the first non-null type.
            Value::Seq(items) => items.iter().filter_map(Node::as_str).find(|s| *s != "null"),
            _ => None,
        }
    }
}

/// A property the walk does not go into: what a reader turns into a field or an item.
/// Each id reaches a reader once, the first time it is met.
pub struct Leaf<'a, 'v> {
    /// The property's key (for a property given directly, a stand-in spanning it).
    pub key: &'v Key,
    /// The property's schema as written (before any `$ref`).
    pub prop: &'a Node,
    /// The property's schema through its `$ref`s.
    pub view: &'v View<'a>,
    /// The schema of an array's items, for an array of scalars.
    pub items: Option<&'v View<'a>>,
    /// The dotted id.
    pub id: &'v str,
    /// Where the enclosing object lists the property as `required`.
    pub required: Option<Span>,
    /// The property that brought this one in through a `$ref`: findings point there,
    /// not at a definition shared by several properties.
    pub anchor: Option<Span>,
}

/// What a reader makes of the properties the walk meets.
pub trait Visit<'a> {
    /// What a property that holds properties passes on to them (the description data
    /// items inherit, for event schemas).
    type Scope: Clone;
    /// Properties whose schema says nothing of what is inside them (`true`, or an
    /// object with empty `properties`) are themselves leaves. A form asks nothing for
    /// them; an event still carries them.
    const OPAQUE_LEAVES: bool = false;
    /// The id segment of a property's key.
    fn segment(&self, key: &str) -> String {
        key.to_string()
    }
    /// Whether a property is left out, with everything in it.
    fn skip(&self, _view: &View<'a>) -> bool {
        false
    }
    /// The scope of the properties inside the property `view`.
    fn enter(&mut self, _view: &View<'a>, scope: &Self::Scope) -> Self::Scope {
        scope.clone()
    }
    /// One property that holds no properties.
    fn leaf(&mut self, leaf: Leaf<'a, '_>, scope: &Self::Scope);
}

/// One walk over one document; the walks of several schemas in it (the events of a
/// tracking plan) share the ids met and the bounds.
pub struct Walker<'a> {
    file: FileId,
    root: &'a Node,
    /// Dangling `$ref`s, each reported once.
    pub problems: Vec<Problem>,
    seen: BTreeSet<String>,
    reported_refs: BTreeSet<Span>,
    visits: usize,
    leaves: usize,
    /// The large mappings `$ref`s step through (`definitions`), by key: a step walked
    /// the mapping's keys, so 10,000 properties with a `$ref` each into as many
    /// definitions made 50 million comparisons (issue 14). Keyed by the mapping's
    /// address in the tree, which outlives the walk.
    indexed: HashMap<usize, HashMap<&'a str, &'a Node>>,
}

/// Mappings with more entries than this are indexed when a `$ref` steps through them.
const INDEXED: usize = 16;

impl<'a> Walker<'a> {
    /// A walk of schemas inside `root`, against which `#/` pointers resolve.
    pub fn new(file: FileId, root: &'a Node) -> Self {
        Self {
            file,
            root,
            problems: Vec::new(),
            seen: BTreeSet::new(),
            reported_refs: BTreeSet::new(),
            visits: 0,
            leaves: 0,
            indexed: HashMap::new(),
        }
    }

    /// Every property of the object schema `schema`, under `prefix` (`""` for none).
    pub fn walk<V: Visit<'a>>(
        &mut self,
        v: &mut V,
        schema: &'a Node,
        prefix: &str,
        scope: &V::Scope,
    ) {
        let view = self.view(schema, &mut Vec::new());
        let mut stack = Vec::new();
        self.object(v, &view, prefix, None, 0, &mut stack, scope);
    }

    /// One property given directly rather than listed under `properties`, as `key`.
    pub fn property<V: Visit<'a>>(
        &mut self,
        v: &mut V,
        key: &Key,
        prop: &'a Node,
        id: &str,
        scope: &V::Scope,
    ) {
        let mut stack = Vec::new();
        self.property_in(v, key, prop, id, None, None, 0, &mut stack, scope);
    }

    /// The problem to report when the walk stopped for want of budget, placed at `at`.
    pub fn over_budget(&self, at: Loc, split: &str) -> Option<Problem> {
        (self.visits > MAX_VISITS).then(|| {
            Problem::new(
                at,
                format!("this schema expands to more than {MAX_VISITS} subschemas; the rest of it is not checked"),
            )
            .help(format!("split the {split}, or share fewer definitions between `allOf`/`anyOf`/`oneOf` branches"))
        })
    }

    fn loc(&self, span: Span) -> Loc {
        Loc {
            file: self.file,
            span,
        }
    }

    /// Resolve a local JSON pointer exactly (`#/definitions/a~1b`).
    fn resolve(&mut self, pointer: &str) -> Option<&'a Node> {
        let rest = pointer.strip_prefix('#')?;
        let mut node = self.root;
        for raw in rest.split('/').skip(1) {
            let seg = raw.replace("~1", "/").replace("~0", "~");
            node = match &node.value {
                Value::Map(m) if m.len() > INDEXED => {
                    let address = std::ptr::from_ref(node) as usize;
                    let by_key = self.indexed.entry(address).or_insert_with(|| {
                        let mut by_key = HashMap::with_capacity(m.len());
                        for (k, v) in m {
                            // The first of a key, as a walk finds it.
                            by_key.entry(k.text.as_str()).or_insert(v);
                        }
                        by_key
                    });
                    *by_key.get(seg.as_str())?
                }
                Value::Map(m) => m.iter().find(|(k, _)| k.text == seg).map(|(_, v)| v)?,
                Value::Seq(s) => s.get(seg.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// The schema with its `$ref` chain followed. `stack` holds the refs being expanded
    /// above this point: a ref already on it is a cycle and is not followed again.
    fn view(&mut self, node: &'a Node, stack: &mut Vec<String>) -> View<'a> {
        let mut chain = vec![node];
        let mut current = node;
        let mut local: Vec<String> = Vec::new();
        let mut cyclic = false;
        while let Some(r) = current.get("$ref") {
            let Some(target) = r.as_str() else { break };
            if !target.starts_with('#') {
                // Remote refs are not fetched: the property is read from what is here.
                break;
            }
            if stack.iter().chain(local.iter()).any(|s| s == target) {
                cyclic = true;
                break;
            }
            match self.resolve(target) {
                Some(next) => {
                    local.push(target.to_string());
                    chain.push(next);
                    current = next;
                }
                None => {
                    if self.reported_refs.insert(r.span) {
                        self.problems.push(
                            Problem::new(
                                self.loc(r.span),
                                format!("`$ref` `{target}` points to nothing in this schema"),
                            )
                            .help("point it at an entry of `definitions` or `$defs`, or remove it; the fields it should bring are not checked"),
                        );
                    }
                    break;
                }
            }
        }
        stack.extend(local);
        View { chain, cyclic }
    }

    fn has_properties<V: Visit<'a>>(
        &mut self,
        view: &View<'a>,
        stack: &mut Vec<String>,
        depth: usize,
    ) -> bool {
        self.visits += 1;
        if depth > 4 || self.visits > MAX_VISITS {
            return false;
        }
        if view.all("properties").iter().any(|p| {
            p.as_map()
                .is_some_and(|m| !V::OPAQUE_LEAVES || !m.is_empty())
        }) {
            return true;
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            for sub in view.get(key).and_then(Node::as_seq).unwrap_or_default() {
                let before = stack.len();
                let v = self.view(sub, stack);
                let found = self.has_properties::<V>(&v, stack, depth + 1);
                stack.truncate(before);
                if found {
                    return true;
                }
            }
        }
        false
    }

    /// The properties of an object schema (and of its combinators and conditionals)
    /// under `prefix`.
    #[allow(clippy::too_many_arguments)]
    fn object<V: Visit<'a>>(
        &mut self,
        v: &mut V,
        view: &View<'a>,
        prefix: &str,
        anchor: Option<Span>,
        depth: usize,
        stack: &mut Vec<String>,
        scope: &V::Scope,
    ) {
        self.visits += 1;
        if depth > MAX_NESTING || self.leaves >= MAX_LEAVES || self.visits > MAX_VISITS {
            return;
        }
        let required: Vec<(&str, Span)> = view
            .all("required")
            .into_iter()
            .flat_map(|r| r.as_seq().unwrap_or_default())
            .filter_map(|n| n.as_str().map(|s| (s, n.span)))
            .collect();
        for props in view.all("properties") {
            for (key, prop) in props.as_map().unwrap_or_default() {
                let segment = v.segment(&key.text);
                let id = if prefix.is_empty() {
                    segment
                } else {
                    format!("{prefix}.{segment}")
                };
                let req = required
                    .iter()
                    .find(|(n, _)| *n == key.text)
                    .map(|(_, s)| *s);
                self.property_in(v, key, prop, &id, req, anchor, depth, stack, scope);
            }
        }
        // Subschemas that add properties to this object.
        let mut subs: Vec<&'a Node> = Vec::new();
        for key in ["allOf", "anyOf", "oneOf"] {
            subs.extend(view.get(key).and_then(Node::as_seq).unwrap_or_default());
        }
        for key in ["if", "then", "else"] {
            if let Some(s) = view.get(key) {
                subs.push(s);
            }
        }
        for key in ["dependencies", "dependentSchemas"] {
            for (_, dep) in view.get(key).and_then(Node::as_map).unwrap_or_default() {
                if dep.as_map().is_some() {
                    subs.push(dep);
                }
            }
        }
        for sub in subs {
            let before = stack.len();
            let sub_view = self.view(sub, stack);
            self.object(v, &sub_view, prefix, anchor, depth + 1, stack, scope);
            stack.truncate(before);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn property_in<V: Visit<'a>>(
        &mut self,
        v: &mut V,
        key: &Key,
        prop: &'a Node,
        id: &str,
        required: Option<Span>,
        anchor: Option<Span>,
        depth: usize,
        stack: &mut Vec<String>,
        scope: &V::Scope,
    ) {
        if prop.as_map().is_none() {
            if V::OPAQUE_LEAVES {
                let view = View {
                    chain: vec![prop],
                    cyclic: false,
                };
                self.leaf(v, key, prop, &view, None, id, required, anchor, scope);
            }
            return;
        }
        let before = stack.len();
        let view = self.view(prop, stack);
        if view.cyclic {
            stack.truncate(before);
            return;
        }
        let through_ref = view.chain.len() > 1;
        // Findings on a property reached through a `$ref` point at the property that
        // uses the definition, not at the shared definition.
        let anchor = anchor.or(through_ref.then_some(key.span));
        if v.skip(&view) {
            stack.truncate(before);
            return;
        }
        let is_array = view.type_name() == Some("array");
        let items = if is_array {
            view.get("items").filter(|i| i.as_map().is_some())
        } else {
            None
        };
        if self.has_properties::<V>(&view, stack, 0) {
            let inner = v.enter(&view, scope);
            self.object(v, &view, id, anchor, depth + 1, stack, &inner);
        } else if let Some(items) = items {
            let inner_before = stack.len();
            let item_view = self.view(items, stack);
            if item_view.cyclic {
                // A list of the same thing again (a person's children): read once.
            } else if self.has_properties::<V>(&item_view, stack, 0) {
                let inner = v.enter(&view, scope);
                self.object(v, &item_view, id, anchor, depth + 1, stack, &inner);
            } else {
                self.leaf(
                    v,
                    key,
                    prop,
                    &view,
                    Some(&item_view),
                    id,
                    required,
                    anchor,
                    scope,
                );
            }
            stack.truncate(inner_before);
        } else {
            self.leaf(v, key, prop, &view, None, id, required, anchor, scope);
        }
        stack.truncate(before);
    }

    #[allow(clippy::too_many_arguments)]
    fn leaf<V: Visit<'a>>(
        &mut self,
        v: &mut V,
        key: &Key,
        prop: &'a Node,
        view: &View<'a>,
        items: Option<&View<'a>>,
        id: &str,
        required: Option<Span>,
        anchor: Option<Span>,
        scope: &V::Scope,
    ) {
        if !self.seen.insert(id.to_string()) || self.leaves >= MAX_LEAVES {
            return;
        }
        self.leaves += 1;
        v.leaf(
            Leaf {
                key,
                prop,
                view,
                items,
                id,
                required,
                anchor,
            },
            scope,
        );
    }
}
