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

/// What the lists say of a purpose text: a function of the text (and whether its
/// uses want a benefit named) and the run's lists alone, so each distinct text is
/// looked up once per run (real projects repeat their purposes: issue 14).
#[derive(Clone)]
enum Verdict {
    /// A term of the vague-purpose list, where it is and how it reads.
    Vague(std::ops::Range<usize>, String),
    /// Too few words (this many).
    Short(usize),
    NoBenefit,
    Clear,
}

fn verdict(ctx: &Ctx<'_>, text: &str, wants_benefit: bool) -> Verdict {
    // Split once for the word count and both lists.
    let ws = crate::vocab::tokens(text);
    let words = ws.len();
    if let Some(m) = ctx.vocab.find_in_words(ListName::VaguePurpose, &ws) {
        Verdict::Vague(m.range.clone(), m.describe(text))
    } else if words < ctx.params.min_purpose_words {
        Verdict::Short(words)
    } else if wants_benefit
        && ctx.vocab.find_in_words(ListName::Benefit, &ws).is_none()
        && super::person::outcome(ctx.vocab, text).is_none()
    {
        Verdict::NoBenefit
    } else {
        Verdict::Clear
    }
}

/// Each distinct (text, wants a benefit) once.
type Verdicts<'t> = std::collections::HashMap<(&'t str, bool), Verdict, foldhash::fast::FixedState>;

fn check_text<'t>(
    ctx: &Ctx<'_>,
    out: &mut Vec<Finding>,
    seen: &mut Verdicts<'t>,
    text: &'t Text,
    // What the purpose belongs to, in words and as a subject: made only for a finding
    // (most purposes are clear, and these were two texts or more for each; issue 14).
    about: impl FnOnce() -> (String, Subject),
    wants_benefit: bool,
) {
    if text.is_blank() {
        return; // missing-purpose's
    }
    let verdict = seen
        .entry((&*text.value, wants_benefit))
        .or_insert_with(|| verdict(ctx, &text.value, wants_benefit));
    let (label, confidence, help) = match verdict {
        Verdict::Vague(range, describe) => (
            Label::new(text.sub_loc(range.clone()), describe.clone()),
            Confidence::Medium,
            "say what you will do with it and what the person gets, e.g. `We text you a code when you sign in from a new device.`",
        ),
        Verdict::Short(words) => (
            Label::new(
                text.loc,
                format!(
                    "{words} word{} cannot say what is done with it",
                    if *words == 1 { "" } else { "s" }
                ),
            ),
            Confidence::High,
            "write a sentence a person understands: what you will do with it and what they get",
        ),
        Verdict::NoBenefit => (
            Label::new(text.loc, "names no benefit to the person"),
            Confidence::Medium,
            "for personalization and marketing, say what the person gets: `so we can send you a birthday discount`",
        ),
        Verdict::Clear => return,
    };
    let (owner, subject) = about();
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
    let mut seen = Verdicts::default();
    for form in ctx.forms() {
        if let Some(p) = form.purpose.text() {
            check_text(
                ctx,
                out,
                &mut seen,
                p,
                || {
                    (
                        format!("form `{}`", form.id.value),
                        Subject::Form {
                            form: form.id.as_str().into(),
                        },
                    )
                },
                false,
            );
        }
        for field in &form.fields {
            if let Some(p) = field.purpose.text() {
                check_text(
                    ctx,
                    out,
                    &mut seen,
                    p,
                    || {
                        (
                            format!("`{}` in form `{}`", field.id.value, form.id.value),
                            Subject::field(&form.id.value, &field.id.value),
                        )
                    },
                    wants_benefit(field.uses()),
                );
            }
        }
    }
    for item in ctx.data() {
        if let Some(d) = &item.description {
            check_text(
                ctx,
                out,
                &mut seen,
                d,
                || {
                    (
                        format!("data item `{}`", item.id.value),
                        Subject::data(&item.id.value),
                    )
                },
                false,
            );
        }
    }
}
