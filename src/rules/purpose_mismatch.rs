//! `purpose-mismatch`: a personalization uses data for something its declaration does
//! not list (purpose limitation). Items that declare no `uses` at all are left alone:
//! there is no declared purpose to compare with.

use super::{Concern, Rule, RuleMeta};
use super::{Ctx, also_used, grouped_refs};
use crate::finding::{Finding, Label, Severity, Subject};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "purpose-mismatch",
        severity: Severity::Error,
        concern: Concern::Purpose,
        options: &[],
    },
    check,
};

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for p in ctx.personalizations() {
        let Some(use_) = &p.use_ else { continue };
        for (id, refs) in grouped_refs(p) {
            let Some(info) = ctx.item(id) else { continue };
            if info.uses.is_empty() || info.uses.contains(use_.value) {
                continue;
            }
            let Some(first) = refs.first() else { continue };
            let declared: Vec<&str> = info.uses.iter().map(|u| u.as_str()).collect();
            let mut f = Finding::new(
                RULE.id(),
                Label::new(first.loc, format!("used for {}", use_.value)),
                format!(
                    "`{}` uses `{id}` for {}, which it was not collected for",
                    p.id.value, use_.value
                ),
                Subject::reads(&p.id.value, id),
            )
            .labels(also_used(&refs))
            .label(
                use_.loc,
                format!("this personalization is for {}", use_.value),
            )
            .help(format!(
                "use `{id}` only for what people were told ({}), or ask for it again for {}",
                declared.join(", "),
                use_.value
            ));
            if let Some(loc) = info.uses_loc {
                f = f.label(loc, format!("collected for {}", declared.join(", ")));
            }
            out.push(f);
        }
    }
}
