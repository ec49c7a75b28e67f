//! `missing-purpose`: a field or data item that does not say why it is collected.
//! Purposes chosen from a fixed list (Apple's) are stated unless only `Other` is chosen.

use super::Ctx;
use super::{Concern, Rule, RuleMeta};
use crate::finding::{Finding, Label, Severity, Subject};
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
    for form in &ctx.project.forms {
        for field in &form.fields {
            let (what, help) = match &field.purpose {
                p if p.is_stated() => continue,
                Purpose::Stated { key, .. } => (
                    format!("has an empty `{key}`"),
                    add_purpose(key),
                ),
                Purpose::Missing { key } => (format!("has no `{key}`"), add_purpose(key)),
                Purpose::NoSlot => (
                    "has no stated purpose".to_string(),
                    "this format has no place to say why a field is asked: say it next to the field where the person reads it, and record it in a creeplint data file (`kind: data`, `description:`)".to_string(),
                ),
            };
            out.push(
                Finding::new(
                    RULE.id(),
                    Label::new(field.id.loc, format!("`{}` {what}", field.id.value)),
                    format!(
                        "form `{}` asks for `{}` without saying why",
                        form.id.value, field.id.value
                    ),
                    Subject::field(&form.id.value, &field.id.value),
                )
                .help(help),
            );
        }
    }
    for item in &ctx.project.data {
        if let Some(fixed) = &item.fixed_purpose {
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
                id: item.id.value.clone().into(),
            },
        )
        .label(item.id.loc, "collected here")
        .help(format!(
            "list in `{}` what the data is for (app functionality, analytics, product personalization, ...); `Other` tells people nothing",
            fixed.key
        )),
    );
}
