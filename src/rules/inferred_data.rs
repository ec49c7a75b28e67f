//! `inferred-data`: personalizing with data the person never gave: inferred by a model
//! or bought from or given by another company.

use super::{Concern, Rule, RuleMeta};
use super::{Ctx, also_used, grouped_refs};
use crate::finding::{Finding, Label, Severity, Subject};
use crate::model::Source;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "inferred-data",
        severity: Severity::Error,
        concern: Concern::NotVolunteered,
        options: &[],
    },
    check,
};

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for p in ctx.personalizations() {
        for (id, refs) in grouped_refs(p) {
            let r = ctx.resolve(id);
            let Some(source @ (Source::Inferred | Source::ThirdParty)) = r.source else {
                continue;
            };
            let Some(first) = refs.first() else { continue };
            let what = if source == Source::Inferred {
                "inferred by a model"
            } else {
                "obtained from another company"
            };
            let f = Finding::new(
        RULE.id(),
        Label::new(first.loc, format!("`{id}` is {what}")),
                format!("`{}` personalizes with `{id}`, which the person never gave", p.id.value),
                Subject::reads(&p.id.value, id),
            )
            .confidence(r.source_confidence)
            .labels(also_used(&refs))
            .labels(r.source_label())
            .help(
                "personalize only with what the person told you: ask for it up front, say why and what they get, and let them decline; or drop this data",
            );
            out.push(f);
        }
    }
}
