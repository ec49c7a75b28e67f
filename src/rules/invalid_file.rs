//! `invalid-file`: a creeplint file that cannot be read as the format says.

use super::Ctx;
use super::{Concern, Rule, RuleMeta};
use crate::finding::{Finding, Label, Severity, Subject};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "invalid-file",
        severity: Severity::Error,
        concern: Concern::FileProblems,
        options: &[],
    },
    check,
};

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for p in ctx.problems() {
        let mut f = Finding::new(
            RULE.id(),
            Label::new(p.loc, "here"),
            p.message.clone(),
            Subject::Problem {
                message: p.message.clone().into(),
            },
        )
        .labels(p.labels.iter().cloned());
        f = f.help(p.help.as_deref().unwrap_or(
            "fix this value; `creeplint schema form|data|personalization` prints what each key takes",
        ));
        out.push(f);
    }
}
