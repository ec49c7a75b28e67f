//! `invalid-allow`: a suppression without a reason, naming an unknown rule, or
//! suppressing nothing. Whether an allow suppresses anything is only known once every
//! other rule has run, so the pipeline builds these findings; the registered check is
//! empty and exists so the rule can be listed, explained, selected and configured.

use super::Ctx;
use super::{Concern, Rule, RuleMeta};
use crate::finding::{Finding, Label, Severity, Subject};
use crate::model::Text;
use crate::source::Loc;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "invalid-allow",
        severity: Severity::Warning,
        concern: Concern::FileProblems,
        options: &[],
    },
    check,
};

pub fn check(_ctx: &Ctx<'_>, _out: &mut Vec<Finding>) {}

fn names(rules: &[Text]) -> String {
    rules
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn no_reason(at: Loc, rules: &[Text]) -> Finding {
    Finding::new(
        RULE.id(),
        Label::new(at, "no reason after `--`"),
        format!(
            "the allow of `{}` has no reason, so it suppresses nothing",
            names(rules)
        ),
        Subject::AllowWithoutReason {
            rules: names(rules).into(),
        },
    )
    .help("write why this is accepted after `--`: `# creeplint: allow RULE -- reason`")
}

pub fn no_rule(at: Loc) -> Finding {
    Finding::new(
        RULE.id(),
        Label::new(at, "no rule named"),
        "this allow names no rule",
        Subject::AllowWithoutRule,
    )
    .help("name the rule to allow: `# creeplint: allow RULE -- reason` (`creeplint rules` lists them)")
}

pub fn unknown_rule(name: &Text, suggestion: Option<&str>) -> Finding {
    let help = match suggestion {
        Some(s) => format!("did you mean `{s}`?"),
        None => "`creeplint rules` lists every rule".to_string(),
    };
    Finding::new(
        RULE.id(),
        Label::new(name.loc, "not a rule"),
        format!("the allow names an unknown rule `{}`", name.value),
        Subject::AllowUnknownRule {
            rule: name.as_str().into(),
        },
    )
    .help(help)
}

pub fn unused(name: &Text) -> Finding {
    Finding::new(
        RULE.id(),
        Label::new(name.loc, "nothing to suppress here"),
        format!("the allow of `{}` suppresses nothing", name.value),
        Subject::AllowUnused {
            rule: name.as_str().into(),
        },
    )
    .help("remove it: the finding it accepted is gone, or it is not on this line or the next item")
}
