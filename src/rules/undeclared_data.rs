//! `undeclared-data`: a personalization reads data that no form or data file declares.

use super::{Concern, Rule, RuleMeta};
use super::{Ctx, also_used, grouped_refs};
use crate::finding::{Finding, Label, Severity, Subject};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "undeclared-data",
        severity: Severity::Warning,
        concern: Concern::NotVolunteered,
        options: &[],
    },
    check,
};

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for p in &ctx.project.personalizations {
        for (id, refs) in grouped_refs(p) {
            if ctx.item(id).is_some() {
                continue;
            }
            let Some(first) = refs.first() else { continue };
            let r = ctx.resolve(id);
            let guess = match r.source {
                Some(s) => format!("; from its name it looks {s}"),
                None => String::new(),
            };
            out.push(
                Finding::new(
        RULE.id(),
        Label::new(first.loc, format!("`{id}` is declared nowhere{guess}")),
                    format!("`{}` reads `{id}`, which no form or data file declares", p.id.value),
                    Subject::reads(&p.id.value, id),
                )
                .labels(also_used(&refs))
                .help(format!(
                    "declare `{id}` in a `kind: data` file with its `source`, `description` and `uses`, or as a form field, so its use can be checked"
                )),
            );
        }
    }
}
