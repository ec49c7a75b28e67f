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
            field.field_type().value,
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

/// What the lists find in a text: each category with where and how it reads. Condition
/// values and messages repeat across a project's personalizations (issue 14), so each
/// distinct text is looked up once per run.
type Found = Vec<(Category, std::ops::Range<usize>, String)>;

#[derive(Default)]
struct Seen<'t> {
    /// Per data id, [`chosen_topic`].
    chosen: crate::rules::IdMap<&'t str, bool>,
    /// Per condition value, its sensitive categories ([`crate::vocab::Vocab::sensitive_in`]).
    /// (The model hands the test's texts out as copies: keyed by an owned copy.)
    values: crate::rules::IdMap<Box<str>, Found>,
    /// Per message or explanation, what it says the reader has
    /// ([`super::person::trait_assertions`]).
    traits: crate::rules::IdMap<&'t str, Found>,
}

impl<'t> Seen<'t> {
    fn chosen(&mut self, ctx: &Ctx<'_>, id: &'t str) -> bool {
        *self
            .chosen
            .entry(id)
            .or_insert_with(|| chosen_topic(ctx, id))
    }
}

fn described<'v>(found: Vec<(Category, crate::vocab::Match<'v>)>, text: &str) -> Found {
    found
        .into_iter()
        .map(|(c, m)| (c, m.range.clone(), m.describe(text)))
        .collect()
}

fn evidence<'t>(ctx: &Ctx<'_>, p: &'t Personalization, seen: &mut Seen<'t>) -> Vec<Evidence> {
    let mut ev: Vec<Evidence> = Vec::new();
    // Conditions and placeholders on sensitive data.
    let mut shown: Vec<(&str, Category)> = Vec::new();
    for r in p.refs() {
        let chosen = matches!(r.kind, RefKind::Condition(_)) && seen.chosen(ctx, r.id);
        for hit in ctx.sensitive_of(r.id, r.loc) {
            if hit.category == NOT_A_TOPIC
                || (chosen && hit.confidence != Confidence::High)
                || shown.contains(&(r.id, hit.category))
            {
                continue;
            }
            shown.push((r.id, hit.category));
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
                by: TargetedBy::Data(r.id.into()),
            });
        }
    }
    for c in p.conditions() {
        if let Test::Near(near) = &c.test
            && let Some(m) = ctx.vocab.find(ListName::SensitivePlaces, &near.place.value)
        {
            let place = &near.place;
            ev.push(Evidence {
                label: Label::new(place.sub_loc(m.range.clone()), m.describe(&place.value)),
                topic: Topic::SensitivePlace,
                confidence: Confidence::Medium,
                why: None,
                by: TargetedBy::Near(place.as_str().into()),
            });
            continue;
        }
        if seen.chosen(ctx, &c.data.value) {
            continue; // the person picked the topic
        }
        for text in c.test.texts() {
            let value: &str = &text.value;
            if !seen.values.contains_key(value) {
                let found = described(ctx.vocab.sensitive_in(value), value);
                seen.values.insert(value.into(), found);
            }
            let Some(found) = seen.values.get(value) else {
                continue;
            };
            for (category, range, describe) in found.iter() {
                if *category == NOT_A_TOPIC {
                    continue;
                }
                ev.push(Evidence {
                    label: Label::new(
                        text.sub_loc(range.clone()),
                        format!("chosen by the value `{}`: {describe}", text.value),
                    ),
                    topic: Topic::Category(*category),
                    confidence: Confidence::Medium,
                    why: None,
                    by: TargetedBy::Value(text.as_str().into()),
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
        let found = seen.traits.entry(&*t.value).or_insert_with(|| {
            described(
                super::person::trait_assertions(ctx.vocab, &t.value),
                &t.value,
            )
        });
        for (category, range, describe) in found.iter() {
            ev.push(Evidence {
                label: Label::new(
                    t.sub_loc(range.clone()),
                    format!("{what} says the reader has it: {describe}"),
                ),
                topic: Topic::Category(*category),
                confidence: Confidence::Medium,
                why: None,
                by: by.clone(),
            });
        }
    }
    ev
}

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let mut seen = Seen::default();
    for p in ctx.personalizations() {
        let mut ev = evidence(ctx, p, &mut seen);
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
                personalization: p.id.as_str().into(),
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
