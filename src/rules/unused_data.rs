//! `unused-data`: data declared for personalization, marketing or advertising that no
//! personalization reads: collected "just in case".

use super::Ctx;
use super::{Concern, Rule, RuleMeta};
use crate::finding::{Finding, Label, Severity, Subject};
use crate::model::{At, Use};
use crate::source::Loc;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "unused-data",
        severity: Severity::Info,
        concern: Concern::Purpose,
        options: &[],
    },
    check,
};

fn for_targeting(uses: &[At<Use>]) -> Vec<&'static str> {
    uses.iter()
        .filter(|u| {
            matches!(
                u.value,
                Use::Personalization | Use::Marketing | Use::Advertising
            )
        })
        .map(|u| u.value.as_str())
        .collect()
}

fn push(
    out: &mut Vec<Finding>,
    id: &crate::model::Text,
    what: &str,
    uses: &[&str],
    uses_loc: Option<Loc>,
    subject: Subject,
) {
    let mut f = Finding::new(
        RULE.id(),
        Label::new(id.loc, "no personalization reads it"),
        format!("{what} `{}` is collected for {} but never used", id.value, uses.join(", ")),
        subject,
    )
    .help("stop collecting it, or remove the use until a personalization needs it: keep only the data you use");
    if let Some(loc) = uses_loc {
        f = f.label(loc, "declared for this");
    }
    out.push(f);
}

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for item in ctx.data() {
        let uses = for_targeting(&item.uses);
        if !uses.is_empty() && !item.used_elsewhere && !ctx.is_used(item.id.as_str()) {
            push(
                out,
                &item.id,
                "data item",
                &uses,
                item.uses_loc,
                Subject::data(&item.id.value),
            );
        }
    }
    for form in ctx.forms() {
        for field in &form.fields {
            let uses = for_targeting(field.uses());
            if !uses.is_empty() && !ctx.is_used(field.id.as_str()) {
                push(
                    out,
                    &field.id,
                    "field",
                    &uses,
                    field.uses_loc(),
                    Subject::field(&form.id.value, &field.id.value),
                );
            }
        }
    }
}
