//! `invalid-file`: a creeplint file that cannot be read as the format says.

use super::Ctx;
use crate::finding::{Finding, Label, Severity};

pub const NAME: &str = "invalid-file";

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for p in ctx.problems {
        let mut f = Finding::new(
            NAME,
            Severity::Error,
            Label::new(p.loc, "here"),
            p.message.clone(),
            p.message.clone(),
        )
        .labels(p.labels.iter().cloned());
        f = f.help(p.help.clone().unwrap_or_else(|| {
            "fix this value; `creeplint schema form|data|personalization` prints what each key takes".to_string()
        }));
        out.push(f);
    }
}
