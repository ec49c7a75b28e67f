//! `sensitive-targeting`: a personalization that selects people by a sensitive
//! topic, or tells them it knows their trait: conditions on sensitive data, condition
//! values naming a topic, geofences around clinics or places of worship,
//! placeholders of sensitive data, and copy that asserts the reader's trait ("your
//! pregnancy", "tu diagnóstico"). A topic the person subscribed to, general or
//! seasonal copy ("flu season is here") and an explanation that restates the
//! person's own choice are not targeting. One finding per personalization: the
//! strongest evidence leads, every other place is a label.

use super::Ctx;
use super::{Concern, Rule, RuleMeta};
use crate::finding::{Confidence, Finding, Label, Severity, Subject};
use crate::model::{Category, FieldType, Personalization, RefKind, Source, Test};
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

struct Evidence {
    label: Label,
    /// The category, or a sensitive place.
    topic: Topic,
    confidence: Confidence,
    /// Where the category was found, when elsewhere (a declaration).
    why: Option<Label>,
    by: TargetedBy,
}

/// Whether a data id is a visible field recording topics the person chose to hear
/// about (a subscription, tips, interests), with no declared sensitive category.
fn chosen_topic(ctx: &Ctx<'_>, id: &str) -> bool {
    let Some(info) = ctx.item(id) else {
        return false;
    };
    let Some(field) = info.field else {
        return false;
    };
    if info.data.is_some()
        || info.sensitive.is_some()
        || info.source != Source::Volunteered
        || !matches!(
            field.field_type.value,
            FieldType::Boolean | FieldType::Choice | FieldType::MultiChoice
        )
    {
        return false;
    }
    [Some(&field.id), field.label.as_ref()]
        .into_iter()
        .flatten()
        .any(|t| ctx.vocab.find(ListName::TopicChoice, &t.value).is_some())
}

fn evidence(ctx: &Ctx<'_>, p: &Personalization) -> Vec<Evidence> {
    let mut ev: Vec<Evidence> = Vec::new();
    // Conditions and placeholders on sensitive data.
    let mut seen: Vec<(&str, Category)> = Vec::new();
    for r in &p.refs {
        let chosen = matches!(r.kind, RefKind::Condition(_)) && chosen_topic(ctx, &r.id);
        for hit in ctx.sensitive_of(&r.id, r.loc) {
            if hit.category == NOT_A_TOPIC
                || (chosen && hit.confidence != Confidence::High)
                || seen.contains(&(r.id.as_str(), hit.category))
            {
                continue;
            }
            seen.push((r.id.as_str(), hit.category));
            let how = match r.kind {
                RefKind::Condition(_) => "chosen by",
                RefKind::Message => "the message shows",
                RefKind::Explanation => "the explanation shows",
            };
            ev.push(Evidence {
                label: Label::new(r.loc, format!("{how} `{}`, {} data", r.id, hit.category)),
                topic: Topic::Category(hit.category),
                confidence: hit.confidence,
                why: (hit.loc != r.loc).then(|| Label::new(hit.loc, hit.why.clone())),
                by: TargetedBy::Data(r.id.clone().into()),
            });
        }
    }
    for c in p.conditions() {
        if let Test::Near { place, .. } = &c.test
            && let Some(m) = ctx.vocab.find(ListName::SensitivePlaces, &place.value)
        {
            ev.push(Evidence {
                label: Label::new(place.sub_loc(m.range.clone()), m.describe(&place.value)),
                topic: Topic::SensitivePlace,
                confidence: Confidence::Medium,
                why: None,
                by: TargetedBy::Near(place.value.clone().into()),
            });
            continue;
        }
        if chosen_topic(ctx, &c.data.value) {
            continue; // the person picked the topic
        }
        for text in c.test.texts() {
            for (category, m) in ctx.vocab.sensitive_in(&text.value) {
                if category == NOT_A_TOPIC {
                    continue;
                }
                ev.push(Evidence {
                    label: Label::new(
                        text.sub_loc(m.range.clone()),
                        format!(
                            "chosen by the value `{}`: {}",
                            text.value,
                            m.describe(&text.value)
                        ),
                    ),
                    topic: Topic::Category(category),
                    confidence: Confidence::Medium,
                    why: None,
                    by: TargetedBy::Value(text.value.clone().into()),
                });
            }
        }
    }
    // Copy that tells the reader it knows their trait.
    for (text, what, by) in [
        (p.message.as_ref(), "the message", TargetedBy::Message),
        (
            p.explanation.as_deref(),
            "the explanation",
            TargetedBy::Explanation,
        ),
    ] {
        let Some(t) = text else { continue };
        for (category, m) in super::person::trait_assertions(ctx.vocab, &t.value) {
            ev.push(Evidence {
                label: Label::new(
                    t.sub_loc(m.range.clone()),
                    format!("{what} says the reader has it: {}", m.describe(&t.value)),
                ),
                topic: Topic::Category(category),
                confidence: Confidence::Medium,
                why: None,
                by: by.clone(),
            });
        }
    }
    ev
}

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for p in &ctx.project.personalizations {
        let mut ev = evidence(ctx, p);
        // The strongest evidence leads; ties keep source order.
        ev.sort_by_key(|e| std::cmp::Reverse(e.confidence));
        let Some(lead) = ev.first() else { continue };
        let mut topics: Vec<Topic> = Vec::new();
        for e in &ev {
            if !topics.contains(&e.topic) {
                topics.push(e.topic);
            }
        }
        let named: Vec<String> = topics
            .iter()
            .map(|t| t.as_str().replace('-', " "))
            .collect();
        let mut f = Finding::new(
            RULE.id(),
            lead.label.clone(),
            format!("`{}` targets people by {}", p.id.value, named.join(" and ")),
            Subject::Targets {
                personalization: p.id.value.clone().into(),
                topic: lead.topic,
                by: lead.by.clone(),
            },
        )
        .confidence(lead.confidence)
        .help("do not choose people or words by health, pregnancy, religion, sexuality, ethnicity, politics or money trouble; offer the same content to everyone, or let people pick the topics they want to hear about");
        let mut placed: Vec<crate::source::Loc> = vec![lead.label.loc];
        for (i, e) in ev.iter().enumerate() {
            let labels = if i == 0 {
                vec![e.why.clone()]
            } else {
                vec![Some(e.label.clone()), e.why.clone()]
            };
            for l in labels.into_iter().flatten() {
                if !placed.contains(&l.loc) {
                    placed.push(l.loc);
                    f = f.label(l.loc, l.message);
                }
            }
        }
        out.push(f);
    }
}
