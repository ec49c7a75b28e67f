//! `purpose-mismatch`: a personalization uses data for something its declaration does
//! not list (purpose limitation). Items that declare no `uses` at all are left alone:
//! there is no declared purpose to compare with.

use super::{Ctx, also_used, grouped_refs};
use crate::finding::{Finding, Label, Severity};

pub const NAME: &str = "purpose-mismatch";

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for p in &ctx.project.personalizations {
        let Some(use_) = &p.use_ else { continue };
        for (id, refs) in grouped_refs(p) {
            let Some(info) = ctx.item(id) else { continue };
            if info.uses.is_empty() || info.uses.contains(&use_.value) {
                continue;
            }
            let Some(first) = refs.first() else { continue };
            let declared: Vec<&str> = info.uses.iter().map(|u| u.as_str()).collect();
            let mut f = Finding::new(
                NAME,
                Severity::Error,
                Label::new(first.loc, format!("used for {}", use_.value)),
                format!(
                    "`{}` uses `{id}` for {}, which it was not collected for",
                    p.id.value, use_.value
                ),
                format!("personalization:{} data:{id}", p.id.value),
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
