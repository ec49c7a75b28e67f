//! `sensitive-targeting`: a personalization that selects people, or words its message,
//! by a sensitive topic: conditions on sensitive data, condition values naming a topic,
//! geofences around clinics or places of worship, messages that name the topic.

use super::Ctx;
use super::{Concern, Rule, RuleMeta};
use crate::finding::{Confidence, Finding, Label, Severity, Subject};
use crate::model::{Category, Personalization, RefKind, Test, Text};
use crate::subject::{TargetedBy, Topic};
use crate::vocab::ListName;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "sensitive-targeting",
        severity: Severity::Error,
        concern: Concern::Sensitive,
        options: &[],
    },
    check,
};

/// Precise location is `location-trigger`'s concern; here only the topics.
const NOT_A_TOPIC: Category = Category::PreciseLocation;

fn push(
    out: &mut Vec<Finding>,
    p: &Personalization,
    label: Label,
    topic: Topic,
    confidence: Confidence,
    extra: Option<Label>,
    by: TargetedBy,
) {
    let mut f = Finding::new(
        RULE.id(),
        label,
        format!(
            "`{}` targets people by {}",
            p.id.value,
            topic.as_str().replace('-', " ")
        ),
        Subject::Targets {
            personalization: p.id.value.clone(),
            topic,
            by,
        },
    )
    .confidence(confidence)
    .help("do not choose people or words by health, pregnancy, religion, sexuality, ethnicity, politics or money trouble; offer the same content to everyone, or let people pick the topics they want to hear about");
    if let Some(l) = extra {
        f = f.label(l.loc, l.message);
    }
    out.push(f);
}

fn topics_in(
    ctx: &Ctx<'_>,
    out: &mut Vec<Finding>,
    p: &Personalization,
    text: &Text,
    by: &TargetedBy,
) {
    for (category, m) in ctx.vocab.sensitive_in(&text.value) {
        if category == NOT_A_TOPIC {
            continue;
        }
        push(
            out,
            p,
            Label::new(
                text.sub_loc(m.range.clone()),
                format!("`{}` is in the {} list", m.term.text, m.list),
            ),
            Topic::Category(category),
            Confidence::Medium,
            None,
            by.clone(),
        );
    }
}

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for p in &ctx.project.personalizations {
        // Conditions and placeholders on sensitive data.
        let mut seen: Vec<(&str, Category)> = Vec::new();
        for r in &p.refs {
            for hit in ctx.sensitive_of(&r.id, r.loc) {
                if hit.category == NOT_A_TOPIC || seen.contains(&(r.id.as_str(), hit.category)) {
                    continue;
                }
                seen.push((r.id.as_str(), hit.category));
                let how = match r.kind {
                    RefKind::Condition(_) => "chosen by",
                    RefKind::Message => "the message shows",
                    RefKind::Explanation => "the explanation shows",
                };
                push(
                    out,
                    p,
                    Label::new(r.loc, format!("{how} `{}`, {} data", r.id, hit.category)),
                    Topic::Category(hit.category),
                    hit.confidence,
                    (hit.loc != r.loc).then(|| Label::new(hit.loc, hit.why.clone())),
                    TargetedBy::Data(r.id.clone()),
                );
            }
        }
        for c in p.conditions() {
            if let Test::Near { place, .. } = &c.test
                && let Some(m) = ctx.vocab.find(ListName::SensitivePlaces, &place.value)
            {
                push(
                    out,
                    p,
                    Label::new(
                        place.sub_loc(m.range.clone()),
                        format!("`{}` is in the sensitive-places list", m.term.text),
                    ),
                    Topic::SensitivePlace,
                    Confidence::Medium,
                    None,
                    TargetedBy::Near(place.value.clone()),
                );
                continue;
            }
            for text in c.test.texts() {
                topics_in(ctx, out, p, &text, &TargetedBy::Value(text.value.clone()));
            }
        }
        for (text, by) in [
            (&p.message, TargetedBy::Message),
            (&p.explanation, TargetedBy::Explanation),
        ] {
            if let Some(t) = text {
                topics_in(ctx, out, p, t, &by);
            }
        }
    }
}
