//! `hidden-collection`: a hidden field that collects personal data the person never sees.

use super::Ctx;
use super::{Concern, Rule, RuleMeta};
use crate::finding::{Confidence, Finding, Label, Severity, Subject};
use crate::model::Source;
use crate::vocab::ListName;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "hidden-collection",
        severity: Severity::Error,
        concern: Concern::NotVolunteered,
        options: &[],
    },
    check,
};

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for form in ctx.forms() {
        for field in form.fields.iter().filter(|f| f.is_hidden()) {
            let texts: Vec<&crate::model::Text> = [Some(&field.id), field.label.as_ref()]
                .into_iter()
                .flatten()
                .collect();
            let reason: Option<(Label, Confidence)> = if let Some(s) = field.sensitive() {
                Some((
                    Label::new(s.loc, format!("declared `sensitive: {}`", s.value)),
                    Confidence::High,
                ))
            } else if let Some(s) = field.source().filter(|s| s.value == Source::Device) {
                Some((
                    Label::new(s.loc, "read from the person's device"),
                    Confidence::High,
                ))
            } else {
                let lists = [
                    ListName::LocationNames,
                    ListName::Identifiers,
                    ListName::BrowsingContext,
                ];
                texts
                    .iter()
                    .find_map(|t| {
                        lists
                            .iter()
                            .find_map(|l| ctx.vocab.find(*l, &t.value).map(|m| (t, m)))
                            .or_else(|| {
                                ctx.vocab
                                    .sensitive_in(&t.value)
                                    .into_iter()
                                    .next()
                                    .map(|(_, m)| (t, m))
                            })
                    })
                    .map(|(t, m)| {
                        (
                            Label::new(t.sub_loc(m.range.clone()), m.describe(&t.value)),
                            Confidence::Medium,
                        )
                    })
            };
            let Some((why, confidence)) = reason else {
                continue;
            };
            out.push(
                Finding::new(
                    RULE.id(),
                    Label::new(field.field_type().loc, "hidden: the person never sees it"),
                    format!(
                        "form `{}` collects `{}` in a hidden field",
                        form.id.value, field.id.value
                    ),
                    Subject::field(&form.id.value, &field.id.value),
                )
                .confidence(confidence)
                .label(why.loc, why.message)
                .help("ask for it in a visible field with a purpose, or stop collecting it"),
            );
        }
    }
}
