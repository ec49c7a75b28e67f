//! `sensitive-targeting`: a personalization that selects people, or words its message,
//! by a sensitive topic: conditions on sensitive data, condition values naming a topic,
//! geofences around clinics or places of worship, messages that name the topic.

use super::Ctx;
use crate::finding::{Confidence, Finding, Label, Severity};
use crate::model::{Personalization, RefKind, Test, Text};

pub const NAME: &str = "sensitive-targeting";

/// Precise location is `location-trigger`'s concern; here only the topics.
const NOT_A_TOPIC: &str = "precise-location";

fn push(
    out: &mut Vec<Finding>,
    p: &Personalization,
    label: Label,
    category: &str,
    confidence: Confidence,
    extra: Option<Label>,
    what: &str,
) {
    let mut f = Finding::new(
        NAME,
        Severity::Error,
        label,
        format!("`{}` targets people by {}", p.id.value, category.replace('-', " ")),
        format!("personalization:{} category:{category} {what}", p.id.value),
    )
    .confidence(confidence)
    .help("do not choose people or words by health, pregnancy, religion, sexuality, ethnicity, politics or money trouble; offer the same content to everyone, or let people pick the topics they want to hear about");
    if let Some(l) = extra {
        f = f.label(l.loc, l.message);
    }
    out.push(f);
}

fn topics_in(ctx: &Ctx<'_>, out: &mut Vec<Finding>, p: &Personalization, text: &Text, what: &str) {
    for m in ctx.vocab.sensitive_in(&text.value) {
        if m.list == NOT_A_TOPIC {
            continue;
        }
        push(
            out,
            p,
            Label::new(
                text.sub_loc(m.range.clone()),
                format!("`{}` is in the {} list", m.term.text, m.list),
            ),
            m.list,
            Confidence::Medium,
            None,
            what,
        );
    }
}

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for p in &ctx.project.personalizations {
        // Conditions and placeholders on sensitive data.
        let mut seen: Vec<(String, String)> = Vec::new();
        for r in &p.refs {
            for hit in ctx.sensitive_of(&r.id, r.loc) {
                if hit.category == NOT_A_TOPIC
                    || seen.contains(&(r.id.clone(), hit.category.clone()))
                {
                    continue;
                }
                seen.push((r.id.clone(), hit.category.clone()));
                let how = match r.kind {
                    RefKind::Condition(_) => "chosen by",
                    RefKind::Message => "the message shows",
                    RefKind::Explanation => "the explanation shows",
                };
                push(
                    out,
                    p,
                    Label::new(r.loc, format!("{how} `{}`, {} data", r.id, hit.category)),
                    &hit.category,
                    hit.confidence,
                    (hit.loc != r.loc).then(|| Label::new(hit.loc, hit.why.clone())),
                    &format!("data:{}", r.id),
                );
            }
        }
        for c in p.conditions() {
            if let Test::Near { place, .. } = &c.test
                && let Some(m) = ctx.vocab.find("sensitive-places", &place.value)
            {
                push(
                    out,
                    p,
                    Label::new(
                        place.sub_loc(m.range.clone()),
                        format!("`{}` is in the sensitive-places list", m.term.text),
                    ),
                    "a visit to a sensitive place",
                    Confidence::Medium,
                    None,
                    &format!("near:{}", place.value),
                );
                continue;
            }
            for text in c.test.texts() {
                topics_in(ctx, out, p, &text, &format!("value:{}", text.value));
            }
        }
        for (text, what) in [(&p.message, "message"), (&p.explanation, "explanation")] {
            if let Some(t) = text {
                topics_in(ctx, out, p, t, what);
            }
        }
    }
}
