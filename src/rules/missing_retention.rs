//! `missing-retention`: sensitive or personalization-used data with no stated retention.

use std::collections::BTreeSet;

use super::Ctx;
use crate::finding::{Finding, Label, Severity};

pub const NAME: &str = "missing-retention";

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let used: BTreeSet<&str> = ctx
        .project
        .personalizations
        .iter()
        .flat_map(|p| p.refs.iter().map(|r| r.id.as_str()))
        .collect();
    let why = |id: &str, sensitive: bool| match (sensitive, used.contains(id)) {
        (true, true) => Some("sensitive and used for personalization"),
        (true, false) => Some("sensitive"),
        (false, true) => Some("used for personalization"),
        (false, false) => None,
    };
    for form in &ctx.project.forms {
        for field in &form.fields {
            if field.retention.as_ref().is_some_and(|r| !r.is_blank()) {
                continue;
            }
            let sensitive = ctx
                .item(&field.id.value)
                .is_some_and(|i| !ctx.sensitive_of_item(i).is_empty());
            let Some(reason) = why(&field.id.value, sensitive) else {
                continue;
            };
            out.push(
                Finding::new(
                    NAME,
                    Severity::Info,
                    Label::new(field.id.loc, format!("{reason}, kept for an unstated time")),
                    format!("form `{}` does not say how long it keeps `{}`", form.id.value, field.id.value),
                    format!("form:{} field:{}", form.id.value, field.id.value),
                )
                .help("add `retention:`, e.g. `retention: 12 months after your last order` or `until account deletion`"),
            );
        }
    }
    for item in &ctx.project.data {
        if item.retention.as_ref().is_some_and(|r| !r.is_blank()) {
            continue;
        }
        let sensitive = ctx
            .item(&item.id.value)
            .is_some_and(|i| !ctx.sensitive_of_item(i).is_empty());
        let Some(reason) = why(&item.id.value, sensitive) else {
            continue;
        };
        out.push(
            Finding::new(
                NAME,
                Severity::Info,
                Label::new(item.id.loc, format!("{reason}, kept for an unstated time")),
                format!("data item `{}` has no stated retention", item.id.value),
                format!("data:{}", item.id.value),
            )
            .help("add `retention:`, e.g. `retention: 90 days`"),
        );
    }
}
