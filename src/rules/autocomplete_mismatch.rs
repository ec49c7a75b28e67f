//! `autocomplete-mismatch`: a field's `autocomplete` token names other personal data than
//! its label (or, without a label, its name) asks for: a browser would fill in the wrong
//! data, and the person may send it without noticing.

use super::{Concern, Ctx, Rule, RuleMeta};
use crate::autocomplete::{Table, Token};
use crate::finding::{Confidence, Finding, Label, Severity, Subject};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "autocomplete-mismatch",
        severity: Severity::Warning,
        concern: Concern::Engagement,
        options: &[],
    },
    check,
};

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for form in ctx.forms() {
        for field in &form.fields {
            let Some(ac) = field.autocomplete() else {
                continue;
            };
            // Read only once a field has a token: most forms have none, and reading the
            // table was 9% of a one-file check.
            let table = Table::builtin();
            let Token::Field { name, range } = table.parse_value(&ac.value) else {
                continue;
            };
            // What the person reads decides; the field's name only when there is no label.
            let (shown, confidence) = match field.label.as_ref().filter(|l| !l.is_blank()) {
                Some(l) => (l, Confidence::High),
                None => (&field.id, Confidence::Medium),
            };
            let concepts = table.concepts_in(&shown.value);
            let Some((asked, at)) = concepts.first() else {
                continue;
            };
            if concepts.iter().any(|(c, _)| table.agrees(name, c)) {
                continue;
            }
            let asks = table.asks(asked);
            let what = if confidence == Confidence::High {
                "its label"
            } else {
                "its name"
            };
            out.push(
                Finding::new(
                    RULE.id(),
                    Label::new(
                        ac.sub_loc(range.clone()),
                        format!("a browser fills in {} here", name.collects),
                    ),
                    format!(
                        "form `{}` marks `{}` as `{}`, but {what} asks for {asks}",
                        form.id.value, field.id.value, name.token
                    ),
                    Subject::field(&form.id.value, &field.id.value),
                )
                .confidence(confidence)
                .label(shown.sub_loc(at.clone()), format!("asks for {asks}"))
                .help(match table.token_for(asked) {
                    Some(t) => format!(
                        "mark it `{t}` (what the label asks), or `off` if no saved data fits"
                    ),
                    None => "no autofill token fits what the label asks: use `off`".to_string(),
                }),
            );
        }
    }
}
