//! Purposes stated outside a form: a native `kind: data` item named `FORM_ID.FIELD_ID`
//! (`checkout.card_number`, `apply.applicant.address.city`) describes that field of an HTML
//! or JSON Schema form, whose markup or generated schema cannot carry `data-purpose` or
//! `x-purpose`. Runs after every file is read and paired.

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
    // (file, form index, form id) of every foreign form.
    let forms: Vec<(usize, usize, String)> = files
        .iter()
        .enumerate()
        .filter(|(_, f)| is_foreign(f))
        .flat_map(|(fi, f)| {
            f.read
                .model
                .forms
                .iter()
                .enumerate()
                .map(move |(i, form)| (fi, i, form.id.as_str().to_owned()))
        })
        .collect();
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
        let mut kept = Vec::with_capacity(items.len());
        for item in items {
            let id = item.id.as_str();
            let target = forms
                .iter()
                .filter_map(|(fi, i, form_id)| {
                    let rest = id.strip_prefix(form_id.as_str())?.strip_prefix('.')?;
                    let field = files
                        .get(*fi)?
                        .read
                        .model
                        .forms
                        .get(*i)?
                        .fields
                        .iter()
                        .position(|x| x.id.as_str() == rest)?;
                    Some((form_id.len(), *fi, *i, field))
                })
                .max_by_key(|(len, ..)| *len);
            let field = target.and_then(|(_, fi, i, field)| {
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
