//! What the term lists find in every form field's name and label, looked up once per
//! run and shared: the facts of a field's id (`Ctx::new`) and `sensitive-data` asked the
//! sensitive lists the same question of the same two texts (issue 14). Most fields
//! name nothing sensitive, so the run holds a place per field (4 bytes), a bit per
//! field and the few matches there are, not a list per field.

use crate::model::{Category, Field, Project};
use crate::vocab::{Match, Vocab, tokens};

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
        let name = field.name();
        let texts = std::iter::once((false, &name.value))
            .chain(field.label.iter().map(|t| (true, &t.value)));
        for (in_label, text) in texts {
            let ws = tokens(text);
            out.relationship |= relationship_list.is_some_and(|l| l.first_in_words(&ws).is_some());
            out.hits.extend(
                vocab
                    .sensitive_in_words(&ws)
                    .into_iter()
                    .map(|(category, found)| NameHit {
                        in_label,
                        category,
                        found,
                    }),
            );
        }
        out
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
        Self::build(project, vocab).unwrap_or_default()
    }

    fn build(project: &'a Project, vocab: &'a Vocab) -> Option<Self> {
        let total: usize = project.forms.iter().map(|f| f.fields.len()).sum();
        let mut out = FieldWords {
            form_start: Vec::with_capacity(project.forms.len()),
            starts: Vec::with_capacity(total + 1),
            relationship: vec![0; total.div_ceil(64)],
            hits: Vec::new(),
        };
        for form in &project.forms {
            out.form_start.push(u32::try_from(out.starts.len()).ok()?);
            for field in &form.fields {
                let words = NameWords::of(vocab, field);
                let place = out.starts.len();
                out.starts.push(u32::try_from(out.hits.len()).ok()?);
                if words.relationship
                    && let Some(bits) = out.relationship.get_mut(place / 64)
                {
                    *bits |= 1 << (place % 64);
                }
                out.hits.extend(words.hits);
            }
        }
        out.starts.push(u32::try_from(out.hits.len()).ok()?);
        out.hits.shrink_to_fit();
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
        let relationship = self
            .relationship
            .get(place / 64)
            .is_some_and(|bits| bits & (1 << (place % 64)) != 0);
        Some((self.hits.get(start..end)?, relationship))
    }
}
