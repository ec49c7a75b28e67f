//! `missing-purpose`: a field or data item that does not say why it is collected.
//! Purposes chosen from a fixed list (Apple's) are stated unless only `Other` is chosen.

use super::Ctx;
use super::{Concern, Rule, RuleMeta};
use crate::finding::{Finding, Help, Label, Severity, Subject, concat, help_text};
use crate::model::{DataDecl, FixedPurpose, Purpose};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "missing-purpose",
        severity: Severity::Error,
        concern: Concern::Purpose,
        options: &[],
    },
    check,
};

/// The help for a purpose the format has a place for, naming that place.
fn add_purpose(key: &str) -> String {
    const WHY: &str = "that tells the person why you ask and what they get for it";
    const EXAMPLE: &str = "We text you when your order ships.";
    // In the file's own syntax: an HTML attribute, a JSON Schema key, a YAML key.
    if key.starts_with("data-") {
        format!(
            "add a `{key}` attribute {WHY}, e.g. `{key}=\"{EXAMPLE}\"` (or state it in a data file, as an item named `FORM_ID.FIELD_NAME`)"
        )
    } else if key.starts_with("x-") {
        format!(
            "add an `\"{key}\"` {WHY}, e.g. `\"{key}\": \"{EXAMPLE}\"` (or state it in a data file, as an item named `FORM_ID.FIELD_PATH`)"
        )
    } else {
        format!("add a `{key}:` {WHY}, e.g. `{key}: {EXAMPLE}`")
    }
}

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    // Room for exactly the findings: one form field in two may lack a purpose, and a
    // list grown by doubling held room for up to twice them while the rules ran (issue 14).
    let fields = ctx.forms().flat_map(|form| &form.fields);
    let missing = fields.filter(|f| !f.purpose.is_stated()).count();
    let items = ctx.data().filter(|item| match item.fixed_purpose() {
        Some(fixed) => !fixed.says_something,
        None => item.description.as_ref().is_none_or(|d| d.is_blank()),
    });
    out.reserve_exact(missing + items.count());
    // Each purpose key's help is made once: the same few texts go to every field.
    let mut helps: Vec<(&'static str, Help)> = Vec::new();
    let mut help_for = |key: &'static str| -> Help {
        if let Some((_, h)) = helps.iter().find(|(k, _)| *k == key) {
            return h.clone();
        }
        let h = help_text(&add_purpose(key));
        helps.push((key, h.clone()));
        h
    };
    let no_slot = help_text(
        "this format has no place to say why a field is asked: say it next to the field where the person reads it, and record it in a creeplint data file (`kind: data`, `description:`)",
    );
    for form in ctx.forms() {
        for field in &form.fields {
            let id = &*field.id.value;
            let (label, help) = match &field.purpose {
                p if p.is_stated() => continue,
                Purpose::Stated { key, .. } => (
                    concat(&["`", id, "` has an empty `", key, "`"]),
                    help_for(key),
                ),
                Purpose::Missing { key } => {
                    (concat(&["`", id, "` has no `", key, "`"]), help_for(key))
                }
                Purpose::NoSlot => (
                    concat(&["`", id, "` has no stated purpose"]),
                    no_slot.clone(),
                ),
            };
            out.push(
                Finding::new(
                    RULE.id(),
                    Label::new(field.id.loc, label),
                    concat(&[
                        "form `",
                        &*form.id.value,
                        "` asks for `",
                        id,
                        "` without saying why",
                    ]),
                    Subject::field(&form.id.value, id),
                )
                .shared_help(&help),
            );
        }
    }
    for item in ctx.data() {
        if let Some(fixed) = item.fixed_purpose() {
            fixed_purpose(out, item, fixed);
            continue;
        }
        if item.description.as_ref().is_some_and(|d| !d.is_blank()) {
            continue;
        }
        out.push(
            Finding::new(
        RULE.id(),
        Label::new(item.id.loc, format!("`{}` has no `description`", item.id.value)),
                format!("data item `{}` does not say what it is or why it is kept", item.id.value),
                Subject::data(&item.id.value),
            )
            .help("add a `description:` saying what the data is, where it comes from and why you keep it"),
        );
    }
}

/// Purposes chosen from a fixed list (an Apple privacy manifest): stated unless none is
/// chosen or only the catch-all `Other`, which tells people nothing.
fn fixed_purpose(out: &mut Vec<Finding>, item: &DataDecl, fixed: &FixedPurpose) {
    if fixed.says_something {
        return;
    }
    let loc = fixed.loc.unwrap_or(item.id.loc);
    let what = if fixed.catch_all {
        "`Other` says nothing about what it is for"
    } else {
        "no purpose is listed"
    };
    out.push(
        Finding::new(
            RULE.id(),
            Label::new(loc, what),
            format!("data item `{}` does not say what it is collected for", item.id.value),
            Subject::Data {
                id: item.id.as_str().into(),
            },
        )
        .label(item.id.loc, "collected here")
        .help(format!(
            "list in `{}` what the data is for (app functionality, analytics, product personalization, ...); `Other` tells people nothing",
            fixed.key
        )),
    );
}
