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
    for p in ctx.personalizations() {
        // Most personalizations read only declared data: not grouped at all (issue 14).
        if p.refs().all(|r| ctx.item(r.id).is_some()) {
            continue;
        }
        for (id, refs) in grouped_refs(p) {
            if ctx.item(id).is_some() {
                continue;
            }
            let Some(first) = refs.first() else { continue };
            // A declared id one typo away: the reference is a misspelling, not new data.
            if let Some(meant) = ctx.did_you_mean(id) {
                let mut finding = Finding::new(
                    RULE.id(),
                    Label::new(first.loc, format!("did you mean `{meant}`?")),
                    format!(
                        "`{}` reads `{id}`, which no form or data file declares: did you mean `{meant}`?",
                        p.id.value
                    ),
                    Subject::reads(&p.id.value, id),
                )
                .labels(also_used(&refs))
                .help(format!(
                    "fix the typo: write `{meant}`, the id the data is declared with"
                ));
                if let Some(item) = ctx.item(meant) {
                    finding = finding.labels(vec![Label::new(
                        item.decl,
                        format!("`{meant}` is declared here"),
                    )]);
                }
                out.push(finding);
                continue;
            }
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
