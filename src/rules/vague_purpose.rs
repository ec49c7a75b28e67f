//! `vague-purpose`: a purpose that does not say what will be done with the data.

use super::Ctx;
use super::{Concern, Rule, RuleMeta};
use crate::finding::{Confidence, Finding, Label, Severity, Subject};
use crate::model::{Text, Use};
use crate::vocab::ListName;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "vague-purpose",
        severity: Severity::Warning,
        concern: Concern::Purpose,
        options: &[],
    },
    check,
};

fn check_text(
    ctx: &Ctx<'_>,
    out: &mut Vec<Finding>,
    text: &Text,
    owner: &str,
    subject: Subject,
    wants_benefit: bool,
) {
    if text.is_blank() {
        return; // missing-purpose's
    }
    // Split once for the word count and both lists.
    let ws = crate::vocab::tokens(&text.value);
    let words = ws.len();
    let (label, confidence, help) = if let Some(m) =
        ctx.vocab.find_in_words(ListName::VaguePurpose, &ws)
    {
        (
            Label::new(text.sub_loc(m.range.clone()), m.describe(&text.value)),
            Confidence::Medium,
            "say what you will do with it and what the person gets, e.g. `We text you a code when you sign in from a new device.`",
        )
    } else if words < ctx.params.min_purpose_words {
        (
            Label::new(
                text.loc,
                format!(
                    "{words} word{} cannot say what is done with it",
                    if words == 1 { "" } else { "s" }
                ),
            ),
            Confidence::High,
            "write a sentence a person understands: what you will do with it and what they get",
        )
    } else if wants_benefit
        && ctx.vocab.find_in_words(ListName::Benefit, &ws).is_none()
        && super::person::outcome(ctx.vocab, &text.value).is_none()
    {
        (
            Label::new(text.loc, "names no benefit to the person"),
            Confidence::Medium,
            "for personalization and marketing, say what the person gets: `so we can send you a birthday discount`",
        )
    } else {
        return;
    };
    out.push(
        Finding::new(
            RULE.id(),
            label,
            format!("the purpose of {owner} is vague"),
            subject,
        )
        .confidence(confidence)
        .help(help),
    );
}

fn wants_benefit(uses: &[crate::model::At<Use>]) -> bool {
    uses.iter().any(|u| {
        matches!(
            u.value,
            Use::Personalization | Use::Marketing | Use::Advertising
        )
    })
}

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for form in &ctx.project.forms {
        if let Some(p) = form.purpose.text() {
            check_text(
                ctx,
                out,
                p,
                &format!("form `{}`", form.id.value),
                Subject::Form {
                    form: form.id.value.clone().into(),
                },
                false,
            );
        }
        for field in &form.fields {
            if let Some(p) = field.purpose.text() {
                check_text(
                    ctx,
                    out,
                    p,
                    &format!("`{}` in form `{}`", field.id.value, form.id.value),
                    Subject::field(&form.id.value, &field.id.value),
                    wants_benefit(&field.uses),
                );
            }
        }
    }
    for item in &ctx.project.data {
        if let Some(d) = &item.description {
            check_text(
                ctx,
                out,
                d,
                &format!("data item `{}`", item.id.value),
                Subject::data(&item.id.value),
                false,
            );
        }
    }
}
