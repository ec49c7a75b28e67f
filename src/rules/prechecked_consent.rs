//! `prechecked-consent`: a consent checkbox that is ticked before the person ticks it.

use super::Ctx;
use super::{Concern, Rule, RuleMeta};
use crate::finding::{Confidence, Finding, Label, Severity, Subject};
use crate::model::{FieldType, Scalar, Use};
use crate::vocab::ListName;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "prechecked-consent",
        severity: Severity::Error,
        concern: Concern::Engagement,
        options: &[],
    },
    check,
};

fn is_ticked(v: &Scalar) -> bool {
    match v {
        Scalar::Bool(b) => *b,
        Scalar::Str(s) => matches!(
            s.to_lowercase().as_str(),
            "true" | "yes" | "on" | "checked" | "1"
        ),
        Scalar::Num(n) => *n == 1.0,
        Scalar::Null => false,
    }
}

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for form in ctx.forms() {
        for field in &form.fields {
            if field.field_type().value != FieldType::Boolean {
                continue;
            }
            let Some(default) = field.default().filter(|d| is_ticked(&d.value)) else {
                continue;
            };
            let by_use = field.uses().iter().find(|u| {
                matches!(
                    u.value,
                    Use::Marketing
                        | Use::Advertising
                        | Use::ThirdPartySharing
                        | Use::Analytics
                        | Use::Personalization
                        | Use::Research
                )
            });
            // What the person reads decides: a label that mentions consent words only
            // to refuse ("Do not share my data") is not consent, whatever the id says.
            let shown: Vec<&crate::model::Text> = [field.label.as_ref(), field.help()]
                .into_iter()
                .flatten()
                .collect();
            let consent = ctx.vocab.get(ListName::Consent);
            let refusal = shown.iter().any(|t| {
                consent.is_some_and(|l| l.mentions(&t.value) && l.find(&t.value).is_none())
            });
            let mut candidates = shown.clone();
            if !refusal {
                candidates.push(&field.id);
            }
            let by_words = candidates
                .into_iter()
                .find_map(|t| consent.and_then(|l| l.find(&t.value)).map(|m| (t, m)));
            let (why, confidence) = match (by_use.filter(|_| !refusal), by_words) {
                (Some(u), _) => (
                    Label::new(u.loc, format!("grants consent to {}", u.value)),
                    Confidence::High,
                ),
                (None, Some((t, m))) => (
                    Label::new(t.sub_loc(m.range.clone()), m.describe(&t.value)),
                    Confidence::Medium,
                ),
                (None, None) => continue,
            };
            out.push(
                Finding::new(
        RULE.id(),
        Label::new(default.loc, "ticked before the person chooses"),
                    format!("form `{}` pre-ticks the consent box `{}`", form.id.value, field.id.value),
                    Subject::field(&form.id.value, &field.id.value),
                )
                .confidence(confidence)
                .label(why.loc, why.message)
                .help("leave it unticked (`default: false`): consent counts only when the person gives it"),
            );
        }
    }
}
