//! `unexplained-personalization`: a personalization that uses data beyond coarse
//! location and does not tell the person why they see it.

use super::Ctx;
use super::{Concern, Rule, RuleMeta};
use crate::finding::{Finding, Label, Severity, Subject};
use crate::model::Precision;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "unexplained-personalization",
        severity: Severity::Warning,
        concern: Concern::Engagement,
        options: &[],
    },
    check,
};

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for p in ctx.personalizations() {
        if p.explanation.as_ref().is_some_and(|e| !e.is_blank()) {
            continue;
        }
        let beyond_coarse = p.refs().find(|r| {
            ctx.resolve(r.id)
                .location()
                .is_none_or(|l| l.precision != Precision::Coarse)
        });
        let Some(evidence) = beyond_coarse.map(|r| (r.loc, format!("uses `{}`", r.id))) else {
            continue;
        };
        out.push(
            Finding::new(
        RULE.id(),
        Label::new(p.id.loc, "no `explanation`"),
                format!("`{}` does not tell people why they see it", p.id.value),
                Subject::Personalization {
                id: p.id.as_str().into(),
            },
            )
            .label(evidence.0, evidence.1)
            .help("add an `explanation:` in plain words, e.g. `You see this because you saved running shoes to your wishlist.`"),
        );
    }
}
