//! Purposes stated outside a form: a native `kind: data` item named `FORM_ID.FIELD_ID`
//! (`checkout.card_number`, `apply.applicant.address.city`) describes that field of an HTML
//! or JSON Schema form, whose markup or generated schema cannot carry `data-purpose` or
//! `x-purpose`. Runs after every file is read and paired.

use std::collections::HashMap;

use super::{ReadFile, html_form, jsonschema_form};
use crate::model::Purpose;

/// Whether a file's forms come from a format other than creeplint's own.
pub fn is_foreign(file: &ReadFile) -> bool {
    matches!(file.reader, Some(html_form::NAME | jsonschema_form::NAME))
}

/// Move what each naming data item says onto its field, and drop the item: it describes
/// the field, it is not a separate declaration. The item's `description` becomes the
/// field's purpose; its `uses`, `retention`, `sensitive` and `source` fill what the field
/// leaves out (what the form says wins). The longest matching form id decides.
pub fn apply(files: &mut [ReadFile]) {
    // Every foreign form by id: (file, form index), in file order. Each data item was
    // compared with every foreign form of the project (10,000 items and 2,000 HTML
    // forms: 20 million comparisons, issue 14); now each of the item's dotted prefixes
    // is looked up.
    let mut forms: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
    for (fi, f) in files.iter().enumerate().filter(|(_, f)| is_foreign(f)) {
        for (i, form) in f.read.model.forms.iter().enumerate() {
            forms
                .entry(form.id.as_str().to_owned())
                .or_default()
                .push((fi, i));
        }
    }
    if forms.is_empty() {
        return;
    }
    for di in 0..files.len() {
        if files.get(di).is_none_or(is_foreign) {
            continue;
        }
        let Some(items) = files
            .get_mut(di)
            .map(|f| std::mem::take(&mut f.read.model.data))
        else {
            continue;
        };
        crate::work::add(crate::work::Kind::Items, items.len() as u64);
        let mut kept = Vec::with_capacity(items.len());
        for item in items {
            let target = field_named(files, &forms, item.id.as_str());
            let field = target.and_then(|(fi, i, field)| {
                files
                    .get_mut(fi)?
                    .read
                    .model
                    .forms
                    .get_mut(i)?
                    .fields
                    .get_mut(field)
            });
            let Some(f) = field else {
                kept.push(item);
                continue;
            };
            if !f.purpose.is_stated()
                && let Some(text) = item.description.clone()
            {
                f.purpose = Purpose::Stated {
                    key: &"description",
                    text,
                };
            }
            if f.retention.is_none() {
                f.retention = item.retention.clone();
            }
            // (The field's lists are made only when there is something to write.)
            if f.uses().is_empty()
                && (!item.uses.is_empty() || item.uses_loc.is_some() || f.uses_loc().is_some())
            {
                let lists = f.lists_mut();
                lists.uses = item.uses.as_slice().into();
                lists.uses_loc = item.uses_loc;
            }
            let extra = f.extra_mut();
            if extra.sensitive.is_none() {
                extra.sensitive = item.sensitive.clone();
            }
            if extra.source.is_none() {
                extra.source = Some(item.source.clone());
            }
        }
        if let Some(f) = files.get_mut(di) {
            f.read.model.data = kept;
        }
    }
}

/// The field an item id names (`FORM_ID.FIELD_ID`): (file, form index, field index). The
/// longest form id wins; of forms with the same id, the last that has the field; of
/// its fields, the first with that id.
fn field_named(
    files: &[ReadFile],
    forms: &HashMap<String, Vec<(usize, usize)>>,
    id: &str,
) -> Option<(usize, usize, usize)> {
    id.rmatch_indices('.').find_map(|(at, _)| {
        let rest = id.get(at + 1..)?;
        let same_id = forms.get(id.get(..at)?)?;
        same_id.iter().rev().find_map(|&(fi, i)| {
            let fields = &files.get(fi)?.read.model.forms.get(i)?.fields;
            let field = fields.iter().position(|x| x.id.as_str() == rest)?;
            Some((fi, i, field))
        })
    })
}
