//! `required-without-need`: a required field whose every use is optional for the person.

use super::Ctx;
use super::{Concern, Rule, RuleMeta};
use crate::finding::{Finding, Label, Severity, Subject};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "required-without-need",
        severity: Severity::Warning,
        concern: Concern::Purpose,
        options: &[],
    },
    check,
};

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for form in ctx.forms() {
        for field in &form.fields {
            let Some(required) = field.required().filter(|r| r.value) else {
                continue;
            };
            if field.uses().is_empty() || !field.uses().iter().all(|u| u.value.is_optional()) {
                continue;
            }
            // A newsletter form exists for marketing: it may require the email.
            if field
                .uses()
                .iter()
                .any(|u| form.uses.iter().any(|f| f.value == u.value))
            {
                continue;
            }
            let uses: Vec<&str> = field.uses().iter().map(|u| u.value.as_str()).collect();
            let mut f = Finding::new(
        RULE.id(),
        Label::new(required.loc, "required"),
                format!(
                    "form `{}` requires `{}` only for {}",
                    form.id.value,
                    field.id.value,
                    uses.join(", ")
                ),
                Subject::field(&form.id.value, &field.id.value),
            )
            .help("make it optional (`required: false`): people must be able to decline what they do not need to give");
            if let Some(loc) = field.uses_loc() {
                f = f.label(
                    loc,
                    format!(
                        "used only for {}, which the person may refuse",
                        uses.join(", ")
                    ),
                );
            }
            out.push(f);
        }
    }
}
