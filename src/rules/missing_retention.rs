//! `missing-retention`: sensitive or personalization-used data with no stated retention.

use super::Ctx;
use super::{Concern, Rule, RuleMeta};
use crate::finding::{Confidence, Finding, Label, Severity, Subject};
use crate::model::Text;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "missing-retention",
        severity: Severity::Info,
        concern: Concern::Purpose,
        options: &[],
    },
    check,
};

/// One field or data item to judge: its id, its retention, and what it belongs to.
struct Judged<'a> {
    id: &'a Text,
    retention: Option<&'a Text>,
    /// The field's form, or `None` for a data item.
    form: Option<&'a Text>,
}

impl Judged<'_> {
    /// How a finding names it: the message and the subject, made only for a finding
    /// (they were two texts for every field and item; issue 14).
    fn named(&self) -> (String, Subject) {
        match self.form {
            Some(form) => (
                format!(
                    "form `{}` does not say how long it keeps `{}`",
                    form.value, self.id.value
                ),
                Subject::field(&form.value, &self.id.value),
            ),
            None => (
                format!("data item `{}` has no stated retention", self.id.value),
                Subject::data(&self.id.value),
            ),
        }
    }
}

/// Why it needs a retention, and how sure that is: use by a personalization is a
/// fact; sensitivity may come from a word list.
fn reason(ctx: &Ctx<'_>, id: &str) -> Option<(String, Confidence)> {
    let hits = ctx
        .item(id)
        .map(|i| ctx.sensitive_of_item(&i))
        .unwrap_or_default();
    match (hits.first(), ctx.is_used(id)) {
        (Some(h), true) => Some((
            format!("sensitive ({}) and used for personalization", h.why),
            Confidence::High,
        )),
        (Some(h), false) => Some((format!("sensitive ({})", h.why), h.confidence)),
        (None, true) => Some(("used for personalization".to_string(), Confidence::High)),
        (None, false) => None,
    }
}

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let fields = ctx.forms().flat_map(|form| {
        form.fields.iter().map(move |field| Judged {
            id: &field.id,
            retention: field.retention.as_ref(),
            form: Some(&form.id),
        })
    });
    let items = ctx.data().map(|item| Judged {
        id: &item.id,
        retention: item.retention.as_ref(),
        form: None,
    });
    for s in fields.chain(items) {
        if s.retention.is_some_and(|r| !r.is_blank()) {
            continue;
        }
        let Some((reason, confidence)) = reason(ctx, &s.id.value) else {
            continue;
        };
        let (message, subject) = s.named();
        out.push(
            Finding::new(
                RULE.id(),
                Label::new(s.id.loc, format!("{reason}, kept for an unstated time")),
                message,
                subject,
            )
            .confidence(confidence)
            .help("add `retention:`, e.g. `retention: 12 months after your last order` or `until account deletion`"),
        );
    }
}
