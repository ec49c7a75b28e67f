//! `missing-purpose`: a field or data item that does not say why it is collected.

use super::Ctx;
use crate::finding::{Finding, Label, Severity};

pub const NAME: &str = "missing-purpose";

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for form in &ctx.project.forms {
        for field in &form.fields {
            if field.purpose.as_ref().is_some_and(|p| !p.is_blank()) {
                continue;
            }
            let what = if field.purpose.is_some() {
                "has an empty `purpose`"
            } else {
                "has no `purpose`"
            };
            out.push(
                Finding::new(
                    NAME,
                    Severity::Error,
                    Label::new(field.id.loc, format!("`{}` {what}", field.id.value)),
                    format!(
                        "form `{}` asks for `{}` without saying why",
                        form.id.value, field.id.value
                    ),
                    format!("form:{} field:{}", form.id.value, field.id.value),
                )
                .help("add a `purpose:` that tells the person why you ask and what they get for it, e.g. `purpose: We text you when your order ships.`"),
            );
        }
    }
    for item in &ctx.project.data {
        if item.description.as_ref().is_some_and(|d| !d.is_blank()) {
            continue;
        }
        out.push(
            Finding::new(
                NAME,
                Severity::Error,
                Label::new(item.id.loc, format!("`{}` has no `description`", item.id.value)),
                format!("data item `{}` does not say what it is or why it is kept", item.id.value),
                format!("data:{}", item.id.value),
            )
            .help("add a `description:` saying what the data is, where it comes from and why you keep it"),
        );
    }
}
