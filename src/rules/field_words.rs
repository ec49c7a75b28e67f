//! What the term lists find in every form field's name and label, looked up once per
//! run and shared: the facts of a field's id (`Ctx::new`) and `sensitive-data` asked the
//! sensitive lists the same question of the same two texts (issue 14). Most fields
//! name nothing sensitive, so the run holds a place per field (4 bytes), a bit per
//! field and the few matches there are, not a list per field.

use super::IdMap;
use crate::model::{Category, Field, Form, Project};
use crate::vocab::{Match, TermList, Vocab, tokens};

/// A sensitive category named in a field's name or label: the first match of its
/// list in that text, as [`Vocab::sensitive_in`] finds it.
#[derive(Debug, Clone)]
pub struct NameHit<'a> {
    /// Found in the label; otherwise in the name ([`Field::name`]).
    pub in_label: bool,
    pub category: Category,
    pub found: Match<'a>,
}

/// What the lists find in a field's name and label.
#[derive(Debug, Clone, Default)]
pub struct NameWords<'a> {
    /// The sensitive categories of the name, then of the label, each in text order.
    pub hits: Vec<NameHit<'a>>,
    /// The name or the label is a relationship question (`relationship-questions`):
    /// its options name a kinship, not a sensitive category.
    pub relationship: bool,
}

impl<'a> NameWords<'a> {
    /// Look a field's name and label up (each split once for both questions).
    pub fn of(vocab: &'a Vocab, field: &Field) -> Self {
        let relationship_list = vocab.list("relationship-questions");
        let mut out = NameWords::default();
        for (in_label, text) in texts(field) {
            let (found, relationship) = text_words(vocab, relationship_list, text);
            out.relationship |= relationship;
            out.hits
                .extend(found.into_iter().map(|(category, found)| NameHit {
                    in_label,
                    category,
                    found,
                }));
        }
        out
    }
}

/// The texts of a field that are looked up: its name ([`Field::name`], the last part
/// of a dotted id), then its label.
fn texts(field: &Field) -> impl Iterator<Item = (bool, &str)> {
    let id: &str = &field.id.value;
    let name = match id.rsplit_once('.') {
        Some((_, last)) if !last.is_empty() => last,
        _ => id,
    };
    std::iter::once((false, name)).chain(field.label.iter().map(|t| (true, &*t.value)))
}

/// What the lists find in one text: its sensitive categories (first match each, in
/// text order) and whether it is a relationship question. A function of the text and
/// the run's lists alone, so a run looks each distinct text up once ([`Memo`]).
fn text_words<'a>(
    vocab: &'a Vocab,
    relationship_list: Option<&'a TermList>,
    text: &str,
) -> (Vec<(Category, Match<'a>)>, bool) {
    let ws = tokens(text);
    let relationship = relationship_list.is_some_and(|l| l.first_in_words(&ws).is_some());
    (vocab.sensitive_in_words(&ws), relationship)
}

/// [`text_words`] of every distinct text once: real forms repeat their labels (`Email
/// address`, `Date of birth`) and their field names (`email`, `phone`) from form to
/// form (issue 14). Each text's matches are kept once, as a place in `found`.
///
/// At most [`MEMO_TEXTS`] texts are kept: a text met after that is looked up each time
/// (what a first meeting costs anyway). The texts that repeat are mostly met early,
/// and field ids are mostly unique: a memo of every text held an entry for each field
/// of the project, 17 MB a thread at 500,000 fields, and that memory stayed resident
/// for the rest of the run (issue 14).
struct Memo<'a, 't> {
    vocab: &'a Vocab,
    relationship_list: Option<&'a TermList>,
    /// Per text, where its matches are in `found` and its relationship bit.
    seen: IdMap<&'t str, (u32, u32, bool)>,
    found: Vec<(Category, Match<'a>)>,
    /// The matches of the last text looked up without being kept.
    unkept: Vec<(Category, Match<'a>)>,
}

/// How many distinct texts a [`Memo`] keeps (about 270 KB).
const MEMO_TEXTS: usize = 1 << 12;

impl<'a, 't> Memo<'a, 't> {
    fn new(vocab: &'a Vocab) -> Self {
        Memo {
            vocab,
            relationship_list: vocab.list("relationship-questions"),
            seen: IdMap::default(),
            found: Vec::new(),
            unkept: Vec::new(),
        }
    }

    /// The matches of `text` and its relationship bit; `None` past four billion matches.
    fn get(&mut self, text: &'t str) -> Option<(&[(Category, Match<'a>)], bool)> {
        let (start, end, relationship) = match self.seen.get(text) {
            Some(&known) => known,
            None => {
                let (found, relationship) = text_words(self.vocab, self.relationship_list, text);
                if self.seen.len() >= MEMO_TEXTS {
                    self.unkept = found;
                    return Some((&self.unkept, relationship));
                }
                let start = u32::try_from(self.found.len()).ok()?;
                self.found.extend(found);
                let end = u32::try_from(self.found.len()).ok()?;
                self.seen.insert(text, (start, end, relationship));
                (start, end, relationship)
            }
        };
        Some((self.found.get(start as usize..end as usize)?, relationship))
    }
}

/// The words of a run of consecutive forms' fields, found on one thread.
#[derive(Default)]
struct Part<'a> {
    /// Per field, where its hits start in `hits`.
    starts: Vec<u32>,
    /// The places (in this part) of the fields that are relationship questions.
    relationship: Vec<u32>,
    hits: Vec<NameHit<'a>>,
}

impl<'a> Part<'a> {
    fn of(vocab: &'a Vocab, forms: impl Iterator<Item = &'a Form> + Clone) -> Option<Self> {
        let mut memo = Memo::new(vocab);
        let mut out = Part {
            starts: Vec::with_capacity(forms.clone().map(|f| f.fields.len()).sum()),
            ..Part::default()
        };
        for field in forms.flat_map(|f| &f.fields) {
            let place = u32::try_from(out.starts.len()).ok()?;
            out.starts.push(u32::try_from(out.hits.len()).ok()?);
            let mut relationship = false;
            for (in_label, text) in texts(field) {
                let (found, r) = memo.get(text)?;
                relationship |= r;
                out.hits
                    .extend(found.iter().map(|(category, found)| NameHit {
                        in_label,
                        category: *category,
                        found: found.clone(),
                    }));
            }
            if relationship {
                out.relationship.push(place);
            }
        }
        Some(out)
    }
}

/// [`NameWords`] of every form field of a project, in one flat list.
#[derive(Debug, Default)]
pub struct FieldWords<'a> {
    /// Per form, the place of its first field among all fields.
    form_start: Vec<u32>,
    /// Per field (forms in order, then fields in order), where its hits start in `hits`;
    /// one more entry at the end, `hits.len()`.
    starts: Vec<u32>,
    /// One bit per field: [`NameWords::relationship`].
    relationship: Vec<u64>,
    hits: Vec<NameHit<'a>>,
}

impl<'a> FieldWords<'a> {
    /// Every field's words. A project of more than four billion fields or hits keeps
    /// none (each is then looked up when asked for).
    pub fn new(project: &'a Project, vocab: &'a Vocab) -> Self {
        Self::on(project, vocab, std::num::NonZeroUsize::new(1))
    }

    /// Every field's words, found on up to `threads` threads (each a run of whole
    /// forms, in order; the same result as one thread).
    pub fn on(
        project: &'a Project,
        vocab: &'a Vocab,
        threads: Option<std::num::NonZeroUsize>,
    ) -> Self {
        Self::build(project, vocab, threads).unwrap_or_default()
    }

    fn build(
        project: &'a Project,
        vocab: &'a Vocab,
        threads: Option<std::num::NonZeroUsize>,
    ) -> Option<Self> {
        let total: usize = project.forms.iter().map(|f| f.fields.len()).sum();
        let threads = super::threads_for(total, threads);
        let mut form_start = Vec::with_capacity(project.forms.len());
        let mut place = 0u32;
        for form in &project.forms {
            form_start.push(place);
            place = place.checked_add(u32::try_from(form.fields.len()).ok()?)?;
        }
        let parts = parts(&form_start, total, threads);
        let parts: Vec<Option<Part<'a>>> = if parts.len() <= 1 {
            vec![Part::of(vocab, project.forms.iter())]
        } else {
            crate::parallel::each_part(&parts, |forms| {
                Part::of(vocab, project.forms.range(forms.clone()).map(|(_, f)| f))
            })
            .into_iter()
            .map(|part| part.unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
        };
        let mut out = FieldWords {
            form_start,
            starts: Vec::with_capacity(total + 1),
            relationship: vec![0; total.div_ceil(64)],
            hits: Vec::with_capacity(parts.iter().flatten().map(|p| p.hits.len()).sum()),
        };
        for part in parts {
            let part = part?;
            let (first_place, first_hit) = (out.starts.len(), u32::try_from(out.hits.len()).ok()?);
            for start in part.starts {
                out.starts.push(start.checked_add(first_hit)?);
            }
            for p in part.relationship {
                let _ = crate::bits::put(&mut out.relationship, first_place + p as usize);
            }
            out.hits.extend(part.hits);
        }
        out.starts.push(u32::try_from(out.hits.len()).ok()?);
        Some(out)
    }

    /// The place of a form's field among all fields.
    pub fn place(&self, form: usize, field: usize) -> Option<usize> {
        let place = *self.form_start.get(form)? as usize + field;
        // The next form's start (or the end) bounds this form's fields.
        let end = self
            .form_start
            .get(form + 1)
            .map_or(self.starts.len().saturating_sub(1), |&s| s as usize);
        (place < end).then_some(place)
    }

    /// The hits and the relationship bit of the field at `place`.
    pub fn at(&self, place: usize) -> Option<(&[NameHit<'a>], bool)> {
        let start = *self.starts.get(place)? as usize;
        let end = *self.starts.get(place + 1)? as usize;
        let relationship = crate::bits::has(&self.relationship, place);
        Some((self.hits.get(start..end)?, relationship))
    }
}

/// The forms cut into at most `threads` runs of whole forms with about as many fields
/// each, as ranges of their numbers; `form_start` is each form's first field among all
/// `total` fields.
fn parts(form_start: &[u32], total: usize, threads: usize) -> Vec<std::ops::Range<usize>> {
    // The fields before form `k` (all of them past the last form).
    let before = |k: usize| form_start.get(k).map_or(total, |&s| s as usize);
    let mut out = Vec::with_capacity(threads);
    let mut at = 0;
    for i in (1..=threads).rev() {
        let want = total.saturating_sub(before(at)).div_ceil(i);
        let mut end = at;
        while before(end).saturating_sub(before(at)) < want && end < form_start.len() {
            end += 1;
        }
        out.push(at..end);
        at = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A form of `n` fields whose names are unique and whose labels repeat: sensitive
    /// ones, a relationship question, dotted ids and plain ones.
    fn project(n: usize) -> Project {
        let labels = [
            "Email address",
            "Your diagnosis",
            "Relationship to the patient",
            "Religión",
            "Date of birth",
        ];
        let mut text = String::from("kind: form\nid: f\npurpose: Sign up.\nfields:\n");
        for i in 0..n {
            let id = match i % 3 {
                0 => format!("field_{i}"),
                1 => format!("health.pregnancy_{i}"),
                _ => format!("ethnicOrigin{i}"),
            };
            let label = labels.get(i % labels.len()).copied().unwrap_or_default();
            text.push_str(&format!(
                "  - id: {id}\n    label: {label}\n    type: text\n"
            ));
        }
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("f.yaml");
        std::fs::write(&path, &text).unwrap_or_else(|e| panic!("{e}"));
        let registry = crate::formats::Registry::builtin();
        let read = crate::formats::read_file(path, crate::source::FileId(0), &registry).read;
        let mut project = Project {
            forms: read.model.forms.into(),
            ..Project::default()
        };
        // The same fields again as a second and third form: whole forms per thread.
        let again = project.forms.clone();
        project.forms.extend(again.iter().cloned());
        project.forms.extend(again);
        project
    }

    fn key(hits: &[NameHit<'_>]) -> Vec<(bool, Category, String, std::ops::Range<usize>)> {
        hits.iter()
            .map(|h| {
                let term = h.found.term.text.to_string();
                (h.in_label, h.category, term, h.found.range.clone())
            })
            .collect()
    }

    /// Each text looked up once and the fields cut across threads find, for every
    /// field, what looking its name and label up on their own finds.
    #[test]
    fn memo_and_threads_find_what_each_field_finds() {
        let project = project(3_000);
        let vocab = Vocab::builtin();
        let one = FieldWords::on(&project, vocab, std::num::NonZeroUsize::new(1));
        let three = FieldWords::on(&project, vocab, std::num::NonZeroUsize::new(3));
        let mut relationships = 0;
        let mut sensitive = 0;
        for (fi, form) in project.forms.iter().enumerate() {
            assert_eq!(form.fields.len(), 3_000);
            for (i, field) in form.fields.iter().enumerate() {
                let alone = NameWords::of(vocab, field);
                for words in [&one, &three] {
                    let at = words.place(fi, i).and_then(|p| words.at(p));
                    let Some((hits, relationship)) = at else {
                        panic!("no words for field {i} of form {fi}");
                    };
                    assert_eq!(key(hits), key(&alone.hits), "{}", field.id.value);
                    assert_eq!(relationship, alone.relationship, "{}", field.id.value);
                }
                relationships += usize::from(alone.relationship);
                sensitive += usize::from(!alone.hits.is_empty());
            }
        }
        assert!(relationships > 0 && sensitive > 0);
        assert_eq!(one.place(3, 0), None);
    }

    /// Past [`MEMO_TEXTS`] distinct texts, a text is looked up each time it is met,
    /// kept or not, and finds what it finds alone: the ids of the first form fill the
    /// memo, and the second and third forms meet them again (both kept and unkept).
    #[test]
    fn a_full_memo_finds_what_each_text_finds() {
        let project = project(MEMO_TEXTS + 1_000);
        let vocab = Vocab::builtin();
        let relationship_list = vocab.list("relationship-questions");
        let mut memo = Memo::new(vocab);
        let mut sensitive = 0;
        for field in project.forms.iter().flat_map(|f| &f.fields) {
            for (_, text) in texts(field) {
                let (found, relationship) = text_words(vocab, relationship_list, text);
                let Some((got, got_relationship)) = memo.get(text) else {
                    panic!("no words for {text}");
                };
                let key = |(c, m): &(Category, Match<'_>)| {
                    (
                        *c,
                        m.list.to_owned(),
                        m.term.text.to_string(),
                        m.range.clone(),
                    )
                };
                let got: Vec<_> = got.iter().map(key).collect();
                let want: Vec<_> = found.iter().map(key).collect();
                assert_eq!(got, want, "{text}");
                assert_eq!(got_relationship, relationship, "{text}");
                sensitive += usize::from(!want.is_empty());
            }
        }
        assert_eq!(memo.seen.len(), MEMO_TEXTS);
        assert!(sensitive > 0);
    }
}
