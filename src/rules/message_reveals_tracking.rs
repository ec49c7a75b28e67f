//! `message-reveals-tracking`: a message that shows the person they were watched, by
//! inserting tracked or inferred data or by saying so. The explanation is exempt:
//! disclosing why is its job.

use super::Ctx;
use super::{Concern, Rule, RuleMeta};
use crate::finding::{Confidence, Finding, Label, Severity, Subject};
use crate::model::{RefKind, Source};
use crate::vocab::ListName;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "message-reveals-tracking",
        severity: Severity::Error,
        concern: Concern::Engagement,
        options: &[],
    },
    check,
};

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for p in &ctx.project.personalizations {
        for r in p.refs.iter().filter(|r| r.kind == RefKind::Message) {
            let resolved = ctx.resolve(&r.id);
            let Some(source) = resolved.source.filter(|s| *s != Source::Volunteered) else {
                continue;
            };
            let mut f = Finding::new(
        RULE.id(),
        Label::new(r.loc, format!("shows `{}`, {source} data, to the person", r.id)),
                format!("`{}` tells people what was recorded about them", p.id.value),
                Subject::reads(&p.id.value, &r.id),
            )
            .confidence(resolved.source_confidence)
            .help("keep tracked and inferred data out of the message; if you must use it, say why in `explanation`");
            if let Some(loc) = resolved.source_loc {
                f = f.label(loc, resolved.source_why.clone());
            }
            out.push(f);
        }
        let Some(message) = &p.message else { continue };
        if let Some(m) = ctx.vocab.find(ListName::WatchingPhrases, &message.value) {
            out.push(
                Finding::new(
                    RULE.id(),
                    Label::new(
                        message.sub_loc(m.range.clone()),
                        format!("`{}` is in the watching-phrases list", m.term.text),
                    ),
                    format!("`{}` tells people they were watched", p.id.value),
                    Subject::Phrase {
                        personalization: p.id.value.clone(),
                        phrase: m.term.text.clone(),
                    },
                )
                .confidence(Confidence::Medium)
                .help("say what you offer, not what you saw; put the reason in `explanation`"),
            );
        }
    }
}
