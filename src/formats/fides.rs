//! Fides (fideslang) manifests: `dataset:` documents, whose fields carry data
//! categories, and `system:` documents, whose privacy declarations pair categories with
//! a data use. Both become data items; the mapping tables below are the whole
//! translation from the fideslang taxonomy to creeplint's sources, categories and uses.

use super::mapped::{Cx, add_uses, longest_prefix};
use super::tree::Node;
use super::{FileModel, Problem, Reader};
use crate::model::{At, Category, DataDecl, DataExtra, Precision, Source, Text, Use};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// What a fideslang data category says about a piece of data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meaning {
    pub source: Source,
    pub sensitive: Option<Category>,
    pub location: Option<Precision>,
}

const fn m(source: Source) -> Meaning {
    Meaning {
        source,
        sensitive: None,
        location: None,
    }
}

const fn s(source: Source, category: Category) -> Meaning {
    Meaning {
        source,
        sensitive: Some(category),
        location: None,
    }
}

use Source::{Device, Inferred, Observed, Volunteered};

/// fideslang data categories (the `user` branch; `system` data is not about a person),
/// longest prefix first to win. Rows for the pre-2.0 names (`user.race`, ...) are there
/// because older manifests reach them through `user.provided.identifiable.*`.
pub const CATEGORIES: &[(&str, Meaning)] = &[
    ("user", m(Volunteered)),
    ("user.account", m(Volunteered)),
    ("user.authorization", m(Volunteered)),
    (
        "user.authorization.biometric",
        s(Volunteered, Category::Biometric),
    ),
    ("user.behavior", m(Observed)),
    ("user.biometric", s(Device, Category::Biometric)),
    ("user.biometric.health", s(Device, Category::Health)),
    ("user.biometric_health", s(Device, Category::Health)),
    ("user.childrens", s(Volunteered, Category::Children)),
    ("user.contact", m(Volunteered)),
    ("user.content", m(Volunteered)),
    (
        "user.criminal_history",
        s(Volunteered, Category::CriminalRecord),
    ),
    ("user.demographic", m(Volunteered)),
    (
        "user.demographic.political_opinion",
        s(Volunteered, Category::PoliticalOpinion),
    ),
    (
        "user.demographic.race_ethnicity",
        s(Volunteered, Category::Ethnicity),
    ),
    (
        "user.demographic.religious_belief",
        s(Volunteered, Category::Religion),
    ),
    (
        "user.demographic.sexual_orientation",
        s(Volunteered, Category::SexualOrientation),
    ),
    ("user.device", m(Device)),
    ("user.financial", m(Volunteered)),
    ("user.genetic", s(Volunteered, Category::Genetic)),
    ("user.government_id", m(Volunteered)),
    (
        "user.government_id.immigration",
        s(Volunteered, Category::ImmigrationStatus),
    ),
    ("user.health_and_medical", s(Volunteered, Category::Health)),
    (
        "user.health_and_medical.genetic",
        s(Volunteered, Category::Genetic),
    ),
    ("user.location", m(Device)),
    (
        "user.location.imprecise",
        Meaning {
            source: Device,
            sensitive: None,
            location: Some(Precision::Coarse),
        },
    ),
    (
        "user.location.precise",
        Meaning {
            source: Device,
            sensitive: Some(Category::PreciseLocation),
            location: Some(Precision::Precise),
        },
    ),
    (
        "user.political_opinion",
        s(Volunteered, Category::PoliticalOpinion),
    ),
    ("user.race", s(Volunteered, Category::Ethnicity)),
    ("user.religious_belief", s(Volunteered, Category::Religion)),
    ("user.sensor", m(Device)),
    (
        "user.sexual_orientation",
        s(Volunteered, Category::SexualOrientation),
    ),
    ("user.social", m(Observed)),
    ("user.telemetry", m(Device)),
    ("user.unique_id", m(Observed)),
    ("user.user_sensor", m(Device)),
];

/// Pre-2.0 `user.derived.*` categories: derived data is inferred, except behaviour
/// (observed) and what sensors and devices report.
const DERIVED: &[(&str, Source)] = &[
    ("browsing_history", Observed),
    ("device", Device),
    ("location", Device),
    ("media_consumption", Observed),
    ("observed", Observed),
    ("search_history", Observed),
    ("sensor", Device),
    ("social", Observed),
    ("telemetry", Device),
    ("user_sensor", Device),
];

/// What a category key says, or `None` for non-personal (`system.*`) and unknown keys.
pub fn meaning(key: &str) -> Option<Meaning> {
    for old in [
        "user.provided.identifiable",
        "user.provided.nonidentifiable",
    ] {
        if key == old || key == "user.provided" {
            return Some(m(Volunteered));
        }
        if let Some(rest) = key.strip_prefix(old).and_then(|r| r.strip_prefix('.')) {
            return meaning(&format!("user.{rest}")).map(|mut mn| {
                mn.source = Volunteered;
                mn
            });
        }
    }
    for old in ["user.derived.identifiable", "user.derived.nonidentifiable"] {
        if key == old || key == "user.derived" {
            return Some(m(Inferred));
        }
        if let Some(rest) = key.strip_prefix(old).and_then(|r| r.strip_prefix('.')) {
            let mut mn = meaning(&format!("user.{rest}")).unwrap_or(m(Inferred));
            mn.source = longest_prefix(DERIVED, rest).copied().unwrap_or(Inferred);
            return Some(mn);
        }
    }
    longest_prefix(CATEGORIES, key).copied()
}

/// fideslang data uses, longest prefix first to win; fideslang 1.x names included.
/// `collect` (kept for a purpose not yet defined) maps to no use: it states none.
pub const USES: &[(&str, &[Use])] = &[
    ("advertising", &[Use::Advertising]),
    (
        "advertising.third_party",
        &[Use::Advertising, Use::ThirdPartySharing],
    ),
    ("analytics", &[Use::Analytics]),
    ("collect", &[]),
    ("employment", &[Use::Transactional]),
    ("essential", &[Use::Transactional]),
    ("essential.fraud_detection", &[Use::Security]),
    ("essential.legal_obligation", &[Use::Legal]),
    ("essential.service.authentication", &[Use::Account]),
    ("essential.service.security", &[Use::Security]),
    ("finance", &[Use::Legal]),
    ("functional", &[Use::Transactional]),
    ("functional.service.improve", &[Use::Analytics]),
    ("improve", &[Use::Analytics]),
    ("marketing", &[Use::Marketing]),
    ("marketing.advertising", &[Use::Advertising]),
    (
        "marketing.advertising.third_party",
        &[Use::Advertising, Use::ThirdPartySharing],
    ),
    ("marketing.communications", &[Use::Marketing]),
    ("operations", &[Use::Transactional]),
    ("personalize", &[Use::Personalization]),
    ("provide", &[Use::Transactional]),
    ("sales", &[Use::Marketing]),
    ("third_party_sharing", &[Use::ThirdPartySharing]),
    ("third_party_sharing.legal_obligation", &[Use::Legal]),
    ("train_ai_system", &[Use::Research]),
];

pub fn uses_of(data_use: &str) -> &'static [Use] {
    longest_prefix(USES, data_use).copied().unwrap_or(&[])
}

/// Whether a document is a Fides manifest: a top-level `dataset:` or `system:` list
/// whose entries carry a `fides_key` and the keys of that resource.
pub fn detect(doc: &Node) -> bool {
    if doc.get("kind").is_some() {
        return false;
    }
    let has = |key: &str, marks: &[&str]| {
        doc.get(key)
            .and_then(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .any(|e| e.get("fides_key").is_some() && marks.iter().any(|k| e.get(k).is_some()))
    };
    has("dataset", &["collections"]) || has("system", &["privacy_declarations", "system_type"])
}

/// A dataset field, by the data item it became.
#[derive(Debug, Clone)]
struct FieldFacts {
    id: String,
    dataset: String,
    categories: Vec<String>,
}

/// A privacy declaration that names the datasets it uses.
#[derive(Debug, Clone)]
struct DeclFacts {
    datasets: Vec<String>,
    categories: Vec<String>,
    uses: &'static [Use],
    loc: crate::source::Loc,
    /// What else the declaration says of the data it covers.
    about: About,
}

/// What a privacy declaration says of its data besides categories and use: whose data
/// it is, on what legal basis, and for how long it is kept.
#[derive(Debug, Clone, Default)]
struct About {
    /// Each value once, in file order; shared by every item the declaration gives them
    /// to (a declaration of 10,000 categories and 10,000 subjects made 10,000 copies of
    /// the list, each built by comparing every subject with the ones before it).
    subjects: Arc<[Text]>,
    legal_basis: Arc<[Text]>,
    /// The first subject that names children, found once.
    children: Option<crate::source::Loc>,
    retention: Option<Text>,
}

impl About {
    fn of(cx: Cx<'_>, decl: &Node) -> Self {
        let mut legal_basis = Vec::new();
        for key in [
            "legal_basis_for_processing",
            "legal_basis",
            "special_category_legal_basis",
        ] {
            legal_basis.extend(texts(cx, decl.get(key)));
        }
        let subjects = distinct(texts(cx, decl.get("data_subjects")));
        Self {
            children: children_subject(&subjects).map(|t| t.loc),
            subjects: subjects.into(),
            legal_basis: distinct(legal_basis).into(),
            retention: retention(cx, decl, "retention_period"),
        }
    }

    /// Give an item what the declaration says of it, but its lists ([`About::lists`]):
    /// its retention fills a missing one, and children among the subjects make data with
    /// no sensitive category children's data.
    fn give(&self, item: &mut DataDecl) {
        if item.retention.is_none() {
            item.retention = self.retention.clone();
        }
        if item.sensitive.is_none() {
            item.sensitive = self.children.map(|loc| At {
                value: Category::Children,
                loc,
            });
        }
    }

    /// Add the subjects and legal bases of the declarations that give an item what
    /// they say of it, in order, to the item's: once for all of them, as one merge (a
    /// merge for each made 16,000 declarations of one category take 3.2 s).
    fn lists<'a>(abouts: impl Iterator<Item = &'a About> + Clone, item: &mut DataDecl) {
        if abouts
            .clone()
            .all(|a| a.subjects.is_empty() && a.legal_basis.is_empty())
        {
            return;
        }
        let extra = item.extra_mut();
        merge_texts(&mut extra.subjects, abouts.clone().map(|a| &a.subjects));
        merge_texts(&mut extra.legal_basis, abouts.map(|a| &a.legal_basis));
    }
}

/// The texts, each value once (the first of each), in order.
fn distinct(texts: Vec<Text>) -> Vec<Text> {
    let mut seen = HashSet::with_capacity(texts.len());
    let first: Vec<bool> = texts.iter().map(|t| seen.insert(t.as_str())).collect();
    texts
        .into_iter()
        .zip(first)
        .filter_map(|(t, first)| first.then_some(t))
        .collect()
}

/// Adds the values of `lists` (each list's values once already) that `out` does not
/// hold, after its own, in order: a list shared when it is the only one.
fn merge_texts<'a>(out: &mut Arc<[Text]>, lists: impl Iterator<Item = &'a Arc<[Text]>>) {
    let mut added: Vec<&Arc<[Text]>> = Vec::new();
    for list in lists {
        let again = added.last().is_some_and(|l| Arc::ptr_eq(l, list));
        if !list.is_empty() && !again && !Arc::ptr_eq(list, out) {
            added.push(list);
        }
    }
    let merged: Arc<[Text]> = match added.as_slice() {
        [] => return,
        [one] if out.is_empty() => Arc::clone(one),
        _ => {
            let mut seen: HashSet<&str> = HashSet::with_capacity(out.len());
            out.iter()
                .chain(added.iter().flat_map(|l| l.iter()))
                .filter(|t| seen.insert(t.as_str()))
                .cloned()
                .collect()
        }
    };
    *out = merged;
}

/// A list of strings (or one string) as texts, blanks left out.
fn texts(cx: Cx<'_>, node: Option<&Node>) -> Vec<Text> {
    match node {
        Some(n) if n.as_seq().is_some() => n
            .as_seq()
            .unwrap_or_default()
            .iter()
            .filter_map(|x| cx.words(Some(x)))
            .collect(),
        Some(n) => cx.words(Some(n)).into_iter().collect(),
        None => Vec::new(),
    }
}

/// fideslang's default `retention` of a dataset: it says there is none.
const NO_RETENTION: &str = "no retention or erasure policy";

/// A stated retention under `key`; fideslang's default "No retention or erasure policy"
/// states none.
fn retention(cx: Cx<'_>, node: &Node, key: &str) -> Option<Text> {
    cx.words(node.get(key))
        .filter(|t| !t.value.trim().eq_ignore_ascii_case(NO_RETENTION))
}

/// Data subject keys that mean children beyond the `children` word list, which leaves
/// these words out because they are ambiguous in free text (a minor update, the kids'
/// department) but not as the name of whose data it is.
pub const CHILD_SUBJECTS: &[&str] = &[
    "minor",
    "kid",
    "kids",
    "juvenile",
    "juveniles",
    "pupil",
    "pupils",
];

/// The first data subject that names children (`child`, `children`, `minor`,
/// `student_under_13`, ...), by the `children` word list or [`CHILD_SUBJECTS`].
fn children_subject(subjects: &[Text]) -> Option<&Text> {
    let list = crate::vocab::Vocab::builtin().list(Category::Children.as_str());
    subjects.iter().find(|s| {
        let words = crate::vocab::words(&s.value);
        words
            .iter()
            .any(|w| CHILD_SUBJECTS.contains(&w.norm.as_str()))
            || list.is_some_and(|l| !l.find_in_words(&words).is_empty())
    })
}

/// Fides' links across files: a system's privacy declaration names datasets
/// (`dataset_references`) and categories; the fields of those datasets labelled with
/// those categories (or narrower ones) are used for the declaration's data use.
#[derive(Debug, Clone, Default)]
pub struct Links {
    fields: Vec<FieldFacts>,
    declarations: Vec<DeclFacts>,
}

impl Links {
    pub fn extend(&mut self, other: Links) {
        self.fields.extend(other.fields);
        self.declarations.extend(other.declarations);
    }

    /// Give each dataset field the uses of the declarations that cover it.
    pub fn apply(&self, data: &mut [DataDecl]) {
        self.covering().apply(data);
    }

    /// The declarations that cover each field, by the field's id: a declaration covers
    /// a field of a dataset it names when one of its categories is one of the field's or
    /// a broader one (`user.contact` covers `user.contact.email`). Built once for the
    /// whole project, from the declarations that name each dataset and each category's
    /// broader ones (each field was compared with every declaration, once for every
    /// file: 800 dataset files took 21 s, issue 14).
    fn covering(&self) -> Covering<'_> {
        let mut by_dataset: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, d) in self.declarations.iter().enumerate() {
            for dataset in &d.datasets {
                let named = by_dataset.entry(dataset.as_str()).or_default();
                if named.last() != Some(&i) {
                    named.push(i);
                }
            }
        }
        let categories: Vec<HashSet<&str>> = self
            .declarations
            .iter()
            .map(|d| d.categories.iter().map(String::as_str).collect())
            .collect();
        let mut by_field: HashMap<&str, Vec<&DeclFacts>> = HashMap::new();
        let mut steps = self.declarations.len() + self.fields.len();
        for field in &self.fields {
            let Some(named) = by_dataset.get(field.dataset.as_str()) else {
                continue;
            };
            steps += named.len();
            let covers = |i: &&usize| {
                categories
                    .get(**i)
                    .is_some_and(|cats| field.categories.iter().any(|c| covered(c, cats)))
            };
            let covering = named
                .iter()
                .filter(covers)
                .filter_map(|i| self.declarations.get(*i));
            by_field
                .entry(field.id.as_str())
                .or_default()
                .extend(covering);
        }
        crate::work::add(crate::work::Kind::Items, steps as u64);
        by_field.retain(|_, v| !v.is_empty());
        Covering(by_field)
    }
}

/// Whether a field's category is one of `categories` or narrower than one: the
/// category itself, or the part before any of its dots, is among them.
fn covered(category: &str, categories: &HashSet<&str>) -> bool {
    categories.contains(category)
        || category
            .match_indices('.')
            .any(|(at, _)| category.get(..at).is_some_and(|c| categories.contains(c)))
}

/// The declarations covering each field, by the field's id, in the order of the fields
/// and then of the declarations ([`Links::covering`]).
struct Covering<'l>(HashMap<&'l str, Vec<&'l DeclFacts>>);

impl Covering<'_> {
    /// Give the items that are covered fields their declarations' uses.
    fn apply(&self, data: &mut [DataDecl]) {
        crate::work::add(crate::work::Kind::Items, data.len() as u64);
        for item in data {
            let Some(covering) = self.0.get(item.id.as_str()) else {
                continue;
            };
            for d in covering {
                add_uses(&mut item.uses, d.uses, d.loc);
                item.uses_loc = item.uses_loc.or(Some(d.loc));
                d.about.give(item);
            }
            About::lists(covering.iter().map(|d| &d.about), item);
            item.used_elsewhere = true;
        }
    }
}

/// Whether raw text looks like a Fides manifest (for files that do not parse): a
/// top-level `dataset:` or `system:` line and a `fides_key`.
pub fn sniff(text: &str) -> bool {
    text.contains("fides_key")
        && text.lines().any(|l| {
            let l = l.trim_end();
            l.starts_with("dataset:") || l.starts_with("system:")
        })
}

/// Fides manifests (YAML, or JSON), read before the native reader: a file that holds no
/// Fides document is handed on to it, so nothing native is ever missed.
pub struct FidesReader;

impl Reader for FidesReader {
    /// Its items may point into other files (see [`Reader::links_files`]).
    fn links_files(&self) -> bool {
        true
    }

    fn name(&self) -> &'static str {
        "fides"
    }

    fn extensions(&self) -> &'static [&'static str] {
        &["yaml", "yml", "json"]
    }

    fn sniff(&self, _path: &std::path::Path, text: &str) -> bool {
        sniff(text)
    }

    fn marker(&self, text: &str) -> Option<crate::source::Span> {
        let at = text.find("fides_key")?;
        sniff(text).then(|| crate::source::Span::new(at, "fides_key".len()))
    }

    fn read(
        &self,
        source: &crate::source::SourceFile,
        file: crate::source::FileId,
    ) -> super::FileRead {
        use crate::source::{Language, Loc};
        let json = source
            .path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
            || source.text.trim_start().starts_with('{');
        let mut out = super::FileRead {
            language: if json { Language::Json } else { Language::Yaml },
            ..super::FileRead::default()
        };
        let cx = Cx {
            file,
            text: &source.text,
        };
        let mut links = Links::default();
        for doc in super::tree::parse(&source.text, json) {
            match doc.result {
                Ok(node) if detect(&node) => {
                    out.documents += 1;
                    read(cx, &node, &mut out.model, &mut out.problems, &mut links);
                }
                Ok(_) => {}
                Err(e) => {
                    if sniff(source.slice(doc.span).unwrap_or("")) {
                        out.documents += 1;
                        out.problems.push(
                            Problem::new(
                                Loc { file, span: e.span },
                                format!("{} {}", if json { "JSON" } else { "YAML" }, e.message),
                            )
                            .help("fix the syntax; the other files are still checked"),
                        );
                    }
                }
            }
        }
        if out.documents == 0 {
            return super::native::NativeReader.read(source, file);
        }
        if !json {
            out.allows = crate::suppress::comments(
                source,
                file,
                &out.model.item_spans(),
                crate::suppress::CommentSyntax::Hash,
            );
        }
        out.pending = Some(Box::new(links));
        out
    }

    /// Systems name the datasets they use, usually in other files: once every file is
    /// read, give the declarations' uses to the fields they cover.
    fn pair(&self, files: &mut [super::ReadFile]) {
        let mut links = Links::default();
        for f in files.iter_mut().filter(|f| f.reader == Some(self.name())) {
            if let Some(l) = f
                .read
                .pending
                .take()
                .and_then(|p| p.downcast::<Links>().ok())
            {
                links.extend(*l);
            }
        }
        if links.declarations.is_empty() {
            return;
        }
        let covering = links.covering();
        for f in files.iter_mut().filter(|f| f.reader == Some(self.name())) {
            covering.apply(&mut f.read.model.data);
        }
    }
}

/// Read one Fides document into data items.
pub(crate) fn read(
    cx: Cx<'_>,
    doc: &Node,
    out: &mut FileModel,
    problems: &mut Vec<Problem>,
    links: &mut Links,
) {
    for dataset in doc
        .get("dataset")
        .and_then(Node::as_seq)
        .unwrap_or_default()
    {
        read_dataset(cx, dataset, out, problems, links);
    }
    for system in doc.get("system").and_then(Node::as_seq).unwrap_or_default() {
        read_system(cx, system, out, problems, links);
    }
}

fn key_of(
    cx: Cx<'_>,
    node: &Node,
    key: &str,
    what: &str,
    problems: &mut Vec<Problem>,
) -> Option<Text> {
    match cx.words(node.get(key)) {
        Some(t) => Some(t),
        None => {
            problems.push(
                Problem::new(
                    cx.loc(node.head_span()),
                    format!("this {what} has no `{key}`"),
                )
                .help(format!(
                    "fideslang requires a `{key}` on every {what}; without it creeplint cannot name its data"
                )),
            );
            None
        }
    }
}

/// Categories of a node: the `user` ones with their meaning, in file order.
fn categories(cx: Cx<'_>, node: &Node) -> Vec<(Text, Meaning)> {
    node.get("data_categories")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(|c| {
            let t = cx.text(Some(c))?;
            let mn = meaning(&t.value)?;
            Some((t, mn))
        })
        .collect()
}

/// One item from a list of categories: the first category decides the source, the
/// first sensitive one the sensitivity, any precise one the precision.
fn decl_from(
    id: Text,
    cats: &[(Text, Meaning)],
    description: Option<Text>,
    retention: Option<Text>,
    item: crate::source::Loc,
) -> Option<DataDecl> {
    let (first_text, first) = cats.first()?;
    let sensitive = cats
        .iter()
        .find_map(|(t, mn)| mn.sensitive.map(|value| At { value, loc: t.loc }));
    let location = cats
        .iter()
        .filter_map(|(t, mn)| mn.location.map(|value| At { value, loc: t.loc }))
        .min_by_key(|l| l.value);
    Some(DataDecl {
        id,
        source: At {
            value: first.source,
            loc: first_text.loc,
        },
        description,
        uses: Vec::new(),
        uses_loc: None,
        sensitive,
        retention,
        item,
        used_elsewhere: false,
        extra: DataExtra {
            location,
            ..DataExtra::default()
        }
        .boxed(),
    })
}

fn read_dataset(
    cx: Cx<'_>,
    dataset: &Node,
    out: &mut FileModel,
    problems: &mut Vec<Problem>,
    links: &mut Links,
) {
    let Some(key) = key_of(cx, dataset, "fides_key", "dataset", problems) else {
        return;
    };
    let description = cx.words(dataset.get("description"));
    let retention = retention(cx, dataset, "retention");
    for collection in dataset
        .get("collections")
        .and_then(Node::as_seq)
        .unwrap_or_default()
    {
        let Some(name) = key_of(cx, collection, "name", "collection", problems) else {
            continue;
        };
        let description = cx
            .words(collection.get("description"))
            .or_else(|| description.clone());
        let retention = self::retention(cx, collection, "retention").or_else(|| retention.clone());
        let prefix = format!("{}.{}", key.value, name.value);
        read_fields(
            cx,
            &key.value,
            collection,
            &prefix,
            &description,
            &retention,
            out,
            problems,
            links,
        );
    }
}

#[allow(clippy::too_many_arguments)]
fn read_fields(
    cx: Cx<'_>,
    dataset: &str,
    parent: &Node,
    prefix: &str,
    description: &Option<Text>,
    retention: &Option<Text>,
    out: &mut FileModel,
    problems: &mut Vec<Problem>,
    links: &mut Links,
) {
    for field in parent
        .get("fields")
        .and_then(Node::as_seq)
        .unwrap_or_default()
    {
        let Some(name) = key_of(cx, field, "name", "field", problems) else {
            continue;
        };
        let id_value = format!("{prefix}.{}", name.value);
        let own = cx.words(field.get("description"));
        let cats = categories(cx, field);
        let id = Text::new(id_value.clone(), name.loc);
        let retention = self::retention(cx, field, "retention").or_else(|| retention.clone());
        if let Some(d) = decl_from(
            id,
            &cats,
            own.clone().or_else(|| description.clone()),
            retention.clone(),
            cx.item(field),
        ) {
            links.fields.push(FieldFacts {
                id: id_value.clone(),
                dataset: dataset.to_string(),
                categories: cats.iter().map(|(t, _)| t.as_str().to_owned()).collect(),
            });
            out.data.push(d);
        }
        read_fields(
            cx,
            dataset,
            field,
            &id_value,
            &own.or_else(|| description.clone()),
            &retention,
            out,
            problems,
            links,
        );
    }
}

fn read_system(
    cx: Cx<'_>,
    system: &Node,
    out: &mut FileModel,
    problems: &mut Vec<Problem>,
    links: &mut Links,
) {
    let Some(key) = key_of(cx, system, "fides_key", "system", problems) else {
        return;
    };
    let system_description = cx.words(system.get("description"));
    let system_retention = retention(cx, system, "retention_period");
    // The items of this system by id, to find one again (each declaration's categories
    // were compared with every item before them).
    let mut ids: HashMap<String, usize> = HashMap::new();
    // What each declaration says of its data, and the items it gives it to, to add
    // their lists once all are read.
    let mut abouts: Vec<About> = Vec::new();
    let mut given: Vec<(usize, usize)> = Vec::new();
    for decl in system
        .get("privacy_declarations")
        .and_then(Node::as_seq)
        .unwrap_or_default()
    {
        let data_use = cx.text(decl.get("data_use"));
        let uses = data_use.as_ref().map_or(&[][..], |u| uses_of(&u.value));
        let name = cx.words(decl.get("name"));
        let datasets: Vec<String> = decl
            .get("dataset_references")
            .and_then(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .filter_map(|d| d.as_str().map(str::to_string))
            .collect();
        let mut about = About::of(cx, decl);
        about.retention = about.retention.or_else(|| system_retention.clone());
        if let Some(u) = &data_use
            && !datasets.is_empty()
        {
            links.declarations.push(DeclFacts {
                datasets,
                categories: categories(cx, decl)
                    .into_iter()
                    .map(|(t, _)| t.value.into_string())
                    .collect(),
                uses,
                loc: u.loc,
                about: about.clone(),
            });
        }
        let retention = about.retention.clone();
        for (cat, mn) in categories(cx, decl) {
            let id_value = format!("{}.{}", key.value, cat.value);
            // One item per system and category: several declarations add their uses.
            let index = match ids.get(id_value.as_str()).copied() {
                Some(i) => i,
                None => {
                    let Some(d) = decl_from(
                        Text::new(id_value.clone(), cat.loc),
                        &[(cat.clone(), mn)],
                        name.clone().or_else(|| system_description.clone()),
                        retention.clone(),
                        cx.item(decl),
                    ) else {
                        continue;
                    };
                    ids.insert(id_value, out.data.len());
                    out.data.push(d);
                    out.data.len() - 1
                }
            };
            let Some(item) = out.data.get_mut(index) else {
                continue;
            };
            // The system is what uses it: its declaration is the record of that use.
            item.used_elsewhere = true;
            about.give(item);
            given.push((index, abouts.len()));
            if let Some(u) = &data_use {
                add_uses(&mut item.uses, uses, u.loc);
                item.uses_loc = item.uses_loc.or(Some(u.loc));
            }
        }
        abouts.push(about);
    }
    // Each item's declarations in file order (the sort is stable).
    given.sort_by_key(|(item, _)| *item);
    for group in given.chunk_by(|a, b| a.0 == b.0) {
        if let Some(item) = group.first().and_then(|(i, _)| out.data.get_mut(*i)) {
            About::lists(group.iter().filter_map(|(_, a)| abouts.get(*a)), item);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::tree;
    use crate::source::FileId;

    fn read_text(text: &str) -> (FileModel, Vec<Problem>) {
        read_links(text).0
    }

    fn read_links(text: &str) -> ((FileModel, Vec<Problem>), Links) {
        let mut out = FileModel::default();
        let mut problems = Vec::new();
        let mut links = Links::default();
        let cx = Cx {
            file: FileId(0),
            text,
        };
        for doc in tree::parse(text, false) {
            let Ok(node) = doc.result else {
                panic!("parse failed")
            };
            assert!(detect(&node), "not recognised");
            read(cx, &node, &mut out, &mut problems, &mut links);
        }
        ((out, problems), links)
    }

    #[test]
    fn categories_map_by_longest_prefix() {
        let health = meaning("user.health_and_medical.record_id");
        assert_eq!(health.and_then(|m| m.sensitive), Some(Category::Health));
        let precise = meaning("user.location.precise");
        assert_eq!(precise.and_then(|m| m.location), Some(Precision::Precise));
        assert_eq!(
            meaning("user.behavior.search_history").map(|m| m.source),
            Some(Observed)
        );
        assert_eq!(
            meaning("user.contact.email").map(|m| m.source),
            Some(Volunteered)
        );
        assert_eq!(meaning("system.operations"), None);
        // fideslang 1.x
        let race = meaning("user.derived.identifiable.race");
        assert_eq!(
            race.map(|m| (m.source, m.sensitive)),
            Some((Inferred, Some(Category::Ethnicity)))
        );
        let hist = meaning("user.derived.identifiable.browsing_history");
        assert_eq!(hist.map(|m| m.source), Some(Observed));
        let health = meaning("user.provided.identifiable.health_and_medical");
        assert_eq!(
            health.map(|m| (m.source, m.sensitive)),
            Some((Volunteered, Some(Category::Health)))
        );
    }

    #[test]
    fn uses_map_by_longest_prefix() {
        assert_eq!(
            uses_of("marketing.advertising.third_party.targeted"),
            &[Use::Advertising, Use::ThirdPartySharing]
        );
        assert_eq!(
            uses_of("marketing.advertising.first_party"),
            &[Use::Advertising]
        );
        assert_eq!(
            uses_of("personalize.content.limited"),
            &[Use::Personalization]
        );
        assert_eq!(uses_of("essential.service.security"), &[Use::Security]);
        assert_eq!(uses_of("essential.service"), &[Use::Transactional]);
        assert_eq!(uses_of("collect"), &[] as &[Use]);
        assert_eq!(uses_of("made_up"), &[] as &[Use]);
    }

    #[test]
    fn dataset_fields_become_dotted_items() {
        let (out, problems) = read_text(
            "dataset:\n  - fides_key: shop\n    description: Shop customers, for orders and support\n    collections:\n      - name: customers\n        fields:\n          - name: email\n            data_categories: [user.contact.email]\n          - name: id\n            data_categories: [system.operations]\n          - name: health\n            description: Allergies the customer tells us about\n            fields:\n              - name: allergies\n                data_categories: [user.health_and_medical]\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        let ids: Vec<&str> = out.data.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(
            ids,
            ["shop.customers.email", "shop.customers.health.allergies"]
        );
        let email = &out.data[0];
        assert_eq!(email.source.value, Volunteered);
        assert_eq!(
            email.description.as_ref().map(|d| d.as_str()),
            Some("Shop customers, for orders and support")
        );
        let allergies = &out.data[1];
        assert_eq!(
            allergies.sensitive.as_ref().map(|s| s.value),
            Some(Category::Health)
        );
        assert_eq!(
            allergies.description.as_ref().map(|d| d.as_str()),
            Some("Allergies the customer tells us about")
        );
    }

    #[test]
    fn system_declarations_pair_categories_with_uses() {
        let (out, problems) = read_text(
            "system:\n  - fides_key: ads\n    system_type: Service\n    privacy_declarations:\n      - name: Target ads\n        data_categories: [user.health_and_medical, system.operations]\n        data_use: marketing.advertising.third_party.targeted\n      - name: Measure\n        data_categories: [user.health_and_medical]\n        data_use: analytics\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(out.data.len(), 1);
        let d = &out.data[0];
        assert_eq!(d.id.as_str(), "ads.user.health_and_medical");
        let uses: Vec<Use> = d.uses.iter().map(|u| u.value).collect();
        assert_eq!(
            uses,
            [Use::Advertising, Use::ThirdPartySharing, Use::Analytics]
        );
        assert_eq!(
            d.description.as_ref().map(|t| t.as_str()),
            Some("Target ads")
        );
    }

    #[test]
    fn systems_give_their_uses_to_the_fields_of_the_datasets_they_name() {
        let ((mut dataset, _), dataset_links) = read_links(
            "dataset:\n  - fides_key: shop\n    collections:\n      - name: customers\n        fields:\n          - name: email\n            data_categories: [user.contact.email]\n          - name: city\n            data_categories: [user.location.imprecise]\n",
        );
        let (_, system_links) = read_links(
            "system:\n  - fides_key: crm\n    system_type: Service\n    privacy_declarations:\n      - data_categories: [user.contact]\n        data_use: marketing.communications.email\n        dataset_references: [shop]\n      - data_categories: [user.contact]\n        data_use: analytics\n        dataset_references: [other]\n",
        );
        let mut links = Links::default();
        links.extend(dataset_links);
        links.extend(system_links);
        links.apply(&mut dataset.data);
        let uses =
            |i: usize| -> Vec<Use> { dataset.data[i].uses.iter().map(|u| u.value).collect() };
        assert_eq!(uses(0), [Use::Marketing]);
        assert!(dataset.data[0].used_elsewhere);
        assert_eq!(uses(1), [] as [Use; 0]);
    }

    #[test]
    fn subjects_legal_basis_and_retention_of_declarations() {
        let (out, problems) = read_text(
            "system:\n  - fides_key: school_app\n    system_type: Application\n    retention_period: 1 year\n    privacy_declarations:\n      - name: Send newsletters\n        data_categories: [user.contact.email]\n        data_use: marketing.communications.email\n        data_subjects: [customer, student_under_13]\n        legal_basis_for_processing: Consent\n        retention_period: until they unsubscribe\n      - name: Measure\n        data_categories: [user.contact.email, user.device.ip_address]\n        data_use: analytics\n        data_subjects: [customer]\n        legal_basis: Legitimate interests\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        let email = &out.data[0];
        let values =
            |t: &[Text]| -> Vec<String> { t.iter().map(|x| x.as_str().to_owned()).collect() };
        assert_eq!(values(email.subjects()), ["customer", "student_under_13"]);
        assert_eq!(
            values(email.legal_basis()),
            ["Consent", "Legitimate interests"]
        );
        assert_eq!(
            email.retention.as_ref().map(|r| r.as_str()),
            Some("until they unsubscribe")
        );
        assert_eq!(
            email.sensitive.as_ref().map(|s| s.value),
            Some(Category::Children)
        );
        let ip = &out.data[1];
        assert_eq!(values(ip.subjects()), ["customer"]);
        assert!(ip.sensitive.is_none());
        // The system's retention, for a declaration that states none.
        assert_eq!(ip.retention.as_ref().map(|r| r.as_str()), Some("1 year"));
    }

    #[test]
    fn a_declaration_shares_its_subjects_with_every_item_each_once() {
        // 300 categories and 300 subjects, one of them twice: 300 items, one list.
        let categories: Vec<String> = (0..300)
            .map(|i| format!("user.contact.email.c{i}"))
            .collect();
        let mut subjects: Vec<String> = (0..300).map(|i| format!("subject_{i}")).collect();
        subjects.push("subject_7".to_string());
        let (out, problems) = read_text(&format!(
            "system:\n  - fides_key: crm\n    system_type: Service\n    privacy_declarations:\n      - name: Newsletter\n        data_categories: [{}]\n        data_use: marketing\n        data_subjects: [{}]\n        legal_basis: [Consent, Consent]\n",
            categories.join(", "),
            subjects.join(", ")
        ));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(out.data.len(), 300);
        let first = out.data[0].extra.as_ref().unwrap();
        assert_eq!(first.subjects.len(), 300);
        assert_eq!(first.subjects[7].as_str(), "subject_7");
        // The first of the two `subject_7`s.
        assert!(first.subjects[7].loc.span.start() < first.subjects[299].loc.span.start());
        assert_eq!(first.legal_basis.len(), 1);
        for item in &out.data {
            let extra = item.extra.as_ref().unwrap();
            assert!(
                Arc::ptr_eq(&extra.subjects, &first.subjects),
                "{}",
                item.id.as_str()
            );
            assert!(Arc::ptr_eq(&extra.legal_basis, &first.legal_basis));
        }
    }

    #[test]
    fn declarations_of_one_category_merge_their_subjects_in_order() {
        // 200 declarations of one category: one item, each subject once, in file order.
        let declarations: String = (0..200)
            .map(|i| {
                format!(
                    "      - name: d{i}\n        data_categories: [user.contact.email]\n        data_use: marketing\n        data_subjects: [customer, subject_{i}]\n        legal_basis: Consent\n"
                )
            })
            .collect();
        let (out, problems) = read_text(&format!(
            "system:\n  - fides_key: crm\n    system_type: Service\n    privacy_declarations:\n{declarations}"
        ));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(out.data.len(), 1);
        let subjects: Vec<&str> = out.data[0].subjects().iter().map(|t| t.as_str()).collect();
        let expected: Vec<String> = std::iter::once("customer".to_string())
            .chain((0..200).map(|i| format!("subject_{i}")))
            .collect();
        assert_eq!(subjects, expected);
        let legal: Vec<&str> = out.data[0]
            .legal_basis()
            .iter()
            .map(|t| t.as_str())
            .collect();
        assert_eq!(legal, ["Consent"]);
    }

    #[test]
    fn a_category_covers_itself_and_the_categories_under_it() {
        let cats: HashSet<&str> = ["user.contact", "user.device.ip_address"]
            .into_iter()
            .collect();
        assert!(covered("user.contact", &cats));
        assert!(covered("user.contact.email", &cats));
        assert!(covered("user.contact.address.city", &cats));
        assert!(covered("user.device.ip_address", &cats));
        assert!(!covered("user.contacts", &cats));
        assert!(!covered("user.device", &cats));
        assert!(!covered("user", &cats));
        let odd: HashSet<&str> = ["", "user."].into_iter().collect();
        assert!(covered(".x", &odd), "`` covers what starts with a dot");
        assert!(covered("user..x", &odd));
        assert!(!covered("user.x", &odd));
    }

    #[test]
    fn children_subjects() {
        let t = |v: &str| {
            Text::new(
                v,
                crate::source::Loc {
                    file: FileId(0),
                    span: crate::source::Span::default(),
                },
            )
        };
        for child in [
            "child",
            "children",
            "minor",
            "minors",
            "kids",
            "student_under_13",
            "teenager",
        ] {
            assert!(children_subject(&[t(child)]).is_some(), "{child}");
        }
        for adult in [
            "customer",
            "employee",
            "patient",
            "parent",
            "next_of_kin",
            "anonymous_user",
        ] {
            assert!(children_subject(&[t(adult)]).is_none(), "{adult}");
        }
    }

    #[test]
    fn retention_of_fields_collections_and_datasets() {
        let (out, _) = read_text(
            "dataset:\n  - fides_key: shop\n    retention: No retention or erasure policy\n    collections:\n      - name: customers\n        retention: 2 years after the last order\n        fields:\n          - name: email\n            data_categories: [user.contact.email]\n          - name: card\n            retention: 30 days\n            data_categories: [user.financial]\n      - name: visits\n        fields:\n          - name: ip\n            data_categories: [user.device.ip_address]\n",
        );
        let kept: Vec<Option<&str>> = out
            .data
            .iter()
            .map(|d| d.retention.as_ref().map(|r| r.as_str()))
            .collect();
        // fideslang's default "No retention or erasure policy" states none.
        assert_eq!(
            kept,
            [Some("2 years after the last order"), Some("30 days"), None]
        );
    }

    #[test]
    fn a_system_without_key_is_a_problem() {
        let (out, problems) = read_text(
            "system:\n  - fides_key: ok\n    system_type: Service\n  - name: no key\n    privacy_declarations: []\n",
        );
        assert!(out.data.is_empty());
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("`fides_key`"));
    }

    #[test]
    fn other_yaml_is_not_fides() {
        for text in [
            "kind: data\nitems: []\n",
            "dataset:\n  - name: x\n",
            "system: linux\n",
            "dataset: [1, 2]\n",
        ] {
            let docs = tree::parse(text, false);
            let node = docs.into_iter().next().and_then(|d| d.result.ok());
            assert!(!node.is_some_and(|n| detect(&n)), "{text}");
        }
    }
}
