//! What the targeting readers (flagd, Firebase Remote Config) share: a tree of
//! conditions with alternatives, spans inside JSON strings, and the step from a
//! targeting rule to a model personalization.

use std::path::Path;

use super::tree::{self, Node};
use super::{FileRead, Problem, Reader};
use crate::model::{
    At, ChannelInfo, Condition, Frequency, Logic as Combined, Personalization, Text, Use,
};
use crate::source::{FileId, Language, Loc, SourceFile, Span};
use crate::suppress::{self, CommentSyntax};

/// Conditions as a targeting language writes them: all of, any of, not.
#[derive(Debug, Clone, PartialEq)]
pub enum Logic {
    All(Vec<Logic>),
    Any(Vec<Logic>),
    Not(Box<Logic>),
    Cond(Condition),
}

impl Logic {
    /// Every condition in any branch, in source order.
    pub fn conditions(&self) -> Vec<&Condition> {
        match self {
            Logic::All(xs) | Logic::Any(xs) => xs.iter().flat_map(Logic::conditions).collect(),
            Logic::Not(x) => x.conditions(),
            Logic::Cond(c) => vec![c],
        }
    }

    /// The number of conditions in every branch, without collecting them.
    pub fn count(&self) -> usize {
        match self {
            Logic::All(xs) | Logic::Any(xs) => xs.iter().map(Logic::count).sum(),
            Logic::Not(x) => x.count(),
            Logic::Cond(_) => 1,
        }
    }

    /// An `all` of the non-empty parts, without needless nesting.
    pub fn all(parts: Vec<Logic>) -> Logic {
        Self::join(parts, Logic::All)
    }

    pub fn any(parts: Vec<Logic>) -> Logic {
        Self::join(parts, Logic::Any)
    }

    fn join(parts: Vec<Logic>, make: fn(Vec<Logic>) -> Logic) -> Logic {
        let mut parts: Vec<Logic> = parts.into_iter().filter(|p| !p.is_empty()).collect();
        if parts.len() == 1 {
            return parts.remove(0);
        }
        make(parts)
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Logic::All(xs) | Logic::Any(xs) => xs.iter().all(Logic::is_empty),
            Logic::Not(x) => x.is_empty(),
            Logic::Cond(_) => false,
        }
    }
}

/// What a targeting reader knows of one personalization before it becomes the model's.
pub struct Targeted {
    pub id: Text,
    pub description: Option<Text>,
    pub use_: Option<At<Use>>,
    pub logic: Logic,
    pub channel: ChannelInfo,
    pub message: Option<Text>,
    pub explanation: Option<Text>,
    /// A cap written where the format leaves room for it (flag metadata, a description).
    pub frequency: Option<At<Frequency>>,
    pub item: Loc,
    /// Who answers for it (a flag's `metadata.owner`), for reports.
    pub owner: Option<Text>,
}

impl Targeted {
    /// The model's personalization: the conditions of every branch in source order,
    /// combined as the file writes them.
    pub fn into_personalization(self) -> Personalization {
        let mut when: Vec<Condition> = Vec::new();
        let logic = index(self.logic, &mut when);
        let placeholders =
            super::native::placeholders_of(self.message.as_ref(), self.explanation.as_ref());
        Personalization {
            id: self.id,
            description: self.description.map(Box::new),
            use_: self.use_,
            when: when.into_boxed_slice(),
            logic: logic.into(),
            channel: Some(self.channel),
            message: self.message,
            explanation: self.explanation.map(Box::new),
            frequency: self.frequency,
            placeholders,
            item: self.item,
            unreadable: Default::default(),
        }
    }
}

/// The model's combination of conditions, each condition moved into `when`.
fn index(logic: Logic, when: &mut Vec<Condition>) -> Combined {
    match logic {
        Logic::All(xs) => Combined::All(xs.into_iter().map(|x| index(x, when)).collect()),
        Logic::Any(xs) => Combined::Any(xs.into_iter().map(|x| index(x, when)).collect()),
        Logic::Not(x) => Combined::Not(Box::new(index(*x, when))),
        Logic::Cond(c) => {
            when.push(c);
            Combined::Condition(when.len() - 1)
        }
    }
}

/// Which targeting format a document is in, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Flagd,
    RemoteConfig,
}

/// Whether a file's name says it is a targeting file, so that a syntax error in it is
/// reported rather than the file skipped.
pub fn named(path: &std::path::Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    name.ends_with("remoteconfig.template.json")
        || [".flagd.json", ".flagd.yaml", ".flagd.yml"]
            .iter()
            .any(|e| name.ends_with(e))
}

/// Recognise a parsed document as a flag set or a Remote Config template: a cheap
/// sniff of the name and text first, then the document's shape. Returns the node that
/// holds the definitions (an OpenFeature Operator `FeatureFlag` resource keeps its
/// flag set under `spec.flagSpec`).
pub fn detect<'d>(
    path: &std::path::Path,
    text: &str,
    doc: &'d Node,
    json: bool,
) -> Option<(Format, &'d Node)> {
    if json && super::remote_config::sniff(path, text) && super::remote_config::is_template(doc) {
        return Some((Format::RemoteConfig, doc));
    }
    if !super::flagd::sniff(path, text) {
        return None;
    }
    if super::flagd::is_flag_set(doc) {
        return Some((Format::Flagd, doc));
    }
    let spec = doc.get("spec").and_then(|s| s.get("flagSpec"))?;
    (doc.get("kind").and_then(Node::as_str) == Some("FeatureFlag")
        && super::flagd::is_flag_set(spec))
    .then_some((Format::Flagd, spec))
}

/// Read a recognised document into personalizations and problems.
pub fn read(
    format: Format,
    doc: &Node,
    text: &str,
    file: FileId,
) -> (Vec<Personalization>, Vec<super::Problem>) {
    let (found, problems, _) = read_owned(format, doc, text, file);
    (found, problems)
}

/// [`read`], with who answers for each personalization.
pub fn read_owned(
    format: Format,
    doc: &Node,
    text: &str,
    file: FileId,
) -> (
    Vec<Personalization>,
    Vec<super::Problem>,
    Vec<crate::model::Owner>,
) {
    let (found, problems) = match format {
        Format::Flagd => {
            let mut r = super::flagd::Reader::new(file, text);
            let found = r.read(doc);
            (found, r.problems)
        }
        Format::RemoteConfig => {
            let mut r = super::remote_config::Reader::new(file, text);
            let found = r.read(doc);
            (found, r.problems)
        }
    };
    let owners = found
        .iter()
        .filter_map(|t| {
            Some(crate::model::Owner {
                name: t.owner.clone()?,
                item: t.item,
            })
        })
        .collect();
    (
        found
            .into_iter()
            .map(Targeted::into_personalization)
            .collect(),
        problems,
        owners,
    )
}

fn is_json(path: &Path, text: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || text.trim_start().starts_with('{')
}

/// Read a file whose documents have the format's shape; a file that only looked like
/// one (a YAML file that mentions `flags` and `state`) goes to the native reader, so it
/// is read, reported or skipped exactly as before.
pub fn read_file(source: &SourceFile, id: FileId, want: Format) -> FileRead {
    let json = is_json(&source.path, &source.text);
    let mut out = FileRead {
        language: if json { Language::Json } else { Language::Yaml },
        ..FileRead::default()
    };
    let mut others = false;
    for doc in tree::parse(&source.text, json) {
        let node = match doc.result {
            Ok(node) => node,
            // Named as one of ours: a syntax error is reported, not skipped.
            Err(e) if named(&source.path) => {
                out.documents += 1;
                out.problems.push(
                    Problem::new(
                        loc(id, e.span),
                        format!("{} {}", if json { "JSON" } else { "YAML" }, e.message),
                    )
                    .help("fix the syntax; the other files are still checked"),
                );
                continue;
            }
            Err(_) => {
                others = true;
                continue;
            }
        };
        match detect(&source.path, &source.text, &node, json) {
            Some((format, defs)) if format == want => {
                out.documents += 1;
                let (found, problems, owners) = read_owned(format, defs, &source.text, id);
                out.model.personalizations.extend(found);
                out.model.owners.extend(owners);
                out.problems.extend(problems);
            }
            _ => others = true,
        }
    }
    if others {
        // Other documents of the file (a native one beside a flag set, or none of ours
        // at all) are the native reader's.
        let native = super::native::NativeReader.read(source, id);
        if out.documents == 0 {
            return native;
        }
        out.documents += native.documents;
        out.model.forms.extend(native.model.forms);
        out.model.data.extend(native.model.data);
        out.model
            .personalizations
            .extend(native.model.personalizations);
        out.problems.extend(native.problems);
        out.allows.extend(
            native
                .allows
                .into_iter()
                .filter(|a| a.written == suppress::Written::Entry),
        );
    }
    if !json {
        let mut allows =
            suppress::comments(source, id, &out.model.item_spans(), CommentSyntax::Hash);
        allows.append(&mut out.allows);
        out.allows = allows;
    }
    out
}

/// The most conditions one file may expand to: `$ref`s and shared conditions are
/// copied where they are used, and a few lines can otherwise ask for billions.
pub const MAX_CONDITIONS: usize = 50_000;

pub fn loc(file: FileId, span: Span) -> Loc {
    Loc { file, span }
}

pub use super::tree::last_end;
pub use super::{node_text, scalar};

/// For a JSON string literal written at the start of `raw` (opening quote included),
/// the file offset of every byte of its decoded value, plus one for its end: decoded
/// offsets become file offsets even across escapes (`\"`, `\n`, `\u00e9`).
/// `None` when `raw` does not start with a string literal decoding to `value`.
pub fn json_string_offsets(raw: &str, base: usize, value: &str) -> Option<Vec<usize>> {
    let mut chars = raw.char_indices().peekable();
    let (_, quote) = chars.next()?;
    if quote != '"' && quote != '\'' {
        // A plain YAML scalar: bytes are the value's own.
        return (raw.get(..value.len()) == Some(value))
            .then(|| (0..=value.len()).map(|i| base + i).collect());
    }
    let mut decoded = String::new();
    let mut offsets = Vec::with_capacity(value.len() + 1);
    while let Some((i, c)) = chars.next() {
        if c == quote {
            offsets.push(base + i);
            return (decoded == value).then_some(offsets);
        }
        let ch = if c == '\\' && quote == '"' {
            let (_, e) = chars.next()?;
            match e {
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                'b' => '\u{8}',
                'f' => '\u{c}',
                'u' => {
                    let hex = |chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>| {
                        let mut n = 0u32;
                        for _ in 0..4 {
                            n = n * 16 + chars.next()?.1.to_digit(16)?;
                        }
                        Some(n)
                    };
                    let hi = hex(&mut chars)?;
                    if (0xD800..0xDC00).contains(&hi) {
                        if chars.next()?.1 != '\\' || chars.next()?.1 != 'u' {
                            return None;
                        }
                        let lo = hex(&mut chars)?;
                        char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo.checked_sub(0xDC00)?))?
                    } else {
                        char::from_u32(hi)?
                    }
                }
                other => other,
            }
        } else if c == '\'' && quote == '\'' {
            // Unreachable: the closing quote is handled above; `''` escapes are not
            // decoded, so such values fall back to the whole span.
            return None;
        } else {
            c
        };
        for _ in 0..ch.len_utf8() {
            offsets.push(base + i);
        }
        decoded.push(ch);
    }
    None
}

/// Map a byte range of a decoded string value to a span in the file, through the
/// offsets of [`json_string_offsets`]; the whole value when they are unknown.
pub fn map_range(offsets: Option<&[usize]>, range: std::ops::Range<usize>, whole: Span) -> Span {
    let Some(offsets) = offsets else {
        return whole;
    };
    match (offsets.get(range.start), offsets.get(range.end)) {
        (Some(&start), Some(&end)) if end >= start => {
            // The end offset is where the next character starts: extend over the
            // last character's escape.
            let end = if range.end > range.start {
                offsets
                    .get(range.end - 1)
                    .map_or(end, |&last| end.max(last + 1))
            } else {
                end
            };
            Span::new(start, end - start)
        }
        _ => whole,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_through_escapes() {
        let raw = r#""a\"b\u00e9c\n""#;
        let value = "a\"béc\n";
        let offs = json_string_offsets(raw, 100, value).unwrap_or_default();
        assert_eq!(offs.len(), value.len() + 1);
        // `a` at 1, `"` (escaped) at 2, `b` at 4, `é` (2 bytes) at 5, `c` at 11.
        assert_eq!(offs[0], 101);
        assert_eq!(offs[1], 102);
        assert_eq!(offs[2], 104);
        assert_eq!(offs[3], 105);
        assert_eq!(offs[4], 105);
        assert_eq!(offs[5], 111);
        assert_eq!(*offs.last().unwrap_or(&0), 114);
        // The range of `c` maps to its one byte; `é` to its whole escape.
        assert_eq!(
            map_range(Some(&offs), 5..6, Span::default()),
            Span::new(111, 1)
        );
        assert_eq!(
            map_range(Some(&offs), 3..5, Span::default()),
            Span::new(105, 6)
        );
        assert_eq!(json_string_offsets(raw, 0, "other"), None);
    }

    #[test]
    fn surrogate_pairs_and_plain_scalars() {
        let raw = r#""\ud83d\ude00!""#;
        let offs = json_string_offsets(raw, 0, "😀!").unwrap_or_default();
        assert_eq!(offs[4], 13);
        assert_eq!(
            json_string_offsets("plain: x", 5, "plain"),
            Some(vec![5, 6, 7, 8, 9, 10])
        );
    }
}
