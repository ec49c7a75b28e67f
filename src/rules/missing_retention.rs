//! `missing-retention`: sensitive or personalization-used data with no stated retention.

use super::Ctx;
use super::SensitiveHit;
use crate::finding::{Confidence, Finding, Label, Severity};

pub const NAME: &str = "missing-retention";

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    // Why it needs a retention, and how sure that is: use by a personalization is a
    // fact; sensitivity may come from a word list.
    let why = |id: &str, hit: Option<&SensitiveHit>| -> Option<(String, Confidence)> {
        let used = ctx.is_used(id);
        match (hit, used) {
            (Some(h), true) => Some((
                format!("sensitive ({}) and used for personalization", h.why),
                Confidence::High,
            )),
            (Some(h), false) => Some((format!("sensitive ({})", h.why), h.confidence)),
            (None, true) => Some(("used for personalization".to_string(), Confidence::High)),
            (None, false) => None,
        }
    };
    for form in &ctx.project.forms {
        for field in &form.fields {
            if field.retention.as_ref().is_some_and(|r| !r.is_blank()) {
                continue;
            }
            let hits = ctx
                .item(&field.id.value)
                .map(|i| ctx.sensitive_of_item(i))
                .unwrap_or_default();
            let Some((reason, confidence)) = why(&field.id.value, hits.first()) else {
                continue;
            };
            out.push(
                Finding::new(
                    NAME,
                    Severity::Info,
                    Label::new(field.id.loc, format!("{reason}, kept for an unstated time")),
                    format!("form `{}` does not say how long it keeps `{}`", form.id.value, field.id.value),
                    format!("form:{} field:{}", form.id.value, field.id.value),
                )
                .confidence(confidence)
                .help("add `retention:`, e.g. `retention: 12 months after your last order` or `until account deletion`"),
            );
        }
    }
    for item in &ctx.project.data {
        if item.retention.as_ref().is_some_and(|r| !r.is_blank()) {
            continue;
        }
        let hits = ctx
            .item(&item.id.value)
            .map(|i| ctx.sensitive_of_item(i))
            .unwrap_or_default();
        let Some((reason, confidence)) = why(&item.id.value, hits.first()) else {
            continue;
        };
        out.push(
            Finding::new(
                NAME,
                Severity::Info,
                Label::new(item.id.loc, format!("{reason}, kept for an unstated time")),
                format!("data item `{}` has no stated retention", item.id.value),
                format!("data:{}", item.id.value),
            )
            .confidence(confidence)
            .help("add `retention:`, e.g. `retention: 90 days`"),
        );
    }
}
