//! `location-trigger`: a personalization chosen by where the person is. Severity by
//! precision and channel: texting someone who walks past a shop is creepy; prices in
//! the visitor's currency are not.

use super::{Concern, Rule, RuleMeta};
use super::{Ctx, LocationClass};
use crate::finding::{Confidence, Finding, Label, Severity, Subject};
use crate::model::{Channel, Precision, Test};
use crate::source::Loc;
use crate::vocab::ListName;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "location-trigger",
        severity: Severity::Error,
        concern: Concern::Location,
        options: &[],
    },
    check,
};

struct Hit {
    loc: Loc,
    precision: Precision,
    confidence: Confidence,
    label: String,
    why: Option<(Loc, String)>,
}

fn severity(precision: Precision, channel: Channel) -> Option<Severity> {
    match (precision, channel.is_outreach(), channel.is_ad()) {
        (Precision::Precise, true, _) | (Precision::Precise, _, true) => Some(Severity::Error),
        (Precision::Precise, false, false) => Some(Severity::Warning),
        (Precision::Coarse, true, _) => Some(Severity::Warning),
        (Precision::Coarse, false, _) => None,
    }
}

/// Whether a condition tests where the person is (`near:` or an arrival trigger).
pub fn is_place_condition(ctx: &Ctx<'_>, c: &crate::model::Condition) -> bool {
    match &c.test {
        Test::Near(_) => true,
        Test::Trigger(event) => is_place_event(ctx, &event.value),
        _ => false,
    }
}

fn is_place_event(ctx: &Ctx<'_>, event: &str) -> bool {
    let words = crate::vocab::words(event);
    let geofence = words
        .iter()
        .any(|w| ctx.params.geofence_words.contains(&w.norm));
    let place = words
        .iter()
        .any(|w| ctx.params.place_events.contains(&w.norm));
    geofence
        || (place && words.len() > 1)
        || ctx.vocab.find(ListName::LocationNames, event).is_some()
}

/// How the channel reaches the person, for a label: "sent by sms", "shown in the app".
fn sent_by(channel: crate::model::Channel) -> String {
    use crate::model::Channel;
    match channel {
        Channel::InApp => "shown in the app".to_string(),
        Channel::Web => "shown on the website".to_string(),
        c => format!("sent by {c}"),
    }
}

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for p in ctx.personalizations() {
        let mut hits: Vec<Hit> = Vec::new();
        for c in p.conditions() {
            let r = ctx.resolve(&c.data.value);
            let data_class = r.location().cloned();
            let why_of = |class: &LocationClass| class.loc.map(|l| (l, class.why.clone()));
            match &c.test {
                Test::Near(near) => {
                    let (place, within) = (&near.place, &near.within);
                    // A radius of 1,850 ft or less is precise geolocation in law; a
                    // wider one is coarse unless the data it reads is itself precise;
                    // no radius at all is precise.
                    let data_precise = data_class
                        .as_ref()
                        .is_some_and(|d| d.precision == Precision::Precise);
                    let (label, precision) = match within {
                        Some(w) if w.value <= ctx.params.precise_radius_m => (
                            format!(
                                "within {:.0} m of `{}`: precise geolocation (1,850 ft or less)",
                                w.value, place.value
                            ),
                            Precision::Precise,
                        ),
                        Some(w) if data_precise => (
                            format!(
                                "within {:.0} m of `{}`, read from a precise position",
                                w.value, place.value
                            ),
                            Precision::Precise,
                        ),
                        Some(w) => (
                            format!(
                                "within {:.0} m of `{}`: coarse location (over 1,850 ft)",
                                w.value, place.value
                            ),
                            Precision::Coarse,
                        ),
                        None => (
                            format!("fires when the person is near `{}`", place.value),
                            Precision::Precise,
                        ),
                    };
                    hits.push(Hit {
                        loc: c.test_loc(),
                        precision,
                        confidence: Confidence::High,
                        label,
                        why: data_class.as_ref().and_then(why_of),
                    });
                }
                Test::Trigger(event) if is_place_event(ctx, &event.value) => hits.push(Hit {
                    loc: event.loc,
                    precision: Precision::Precise,
                    confidence: Confidence::High,
                    label: format!(
                        "fires on `{}`: when the person arrives somewhere",
                        event.value
                    ),
                    why: None,
                }),
                _ => {
                    if let Some(class) = data_class {
                        hits.push(Hit {
                            loc: c.data.loc,
                            precision: class.precision,
                            confidence: class.confidence,
                            label: match class.precision {
                                Precision::Precise => {
                                    format!("`{}` is where the person is, precisely", c.data.value)
                                }
                                Precision::Coarse => format!(
                                    "`{}` is the person's approximate location",
                                    c.data.value
                                ),
                            },
                            why: why_of(&class)
                                .or_else(|| r.info().map(|i| (i.decl, class.why.clone()))),
                        });
                    }
                }
            }
        }
        // The most precise, most certain evidence leads; the rest are labels.
        hits.sort_by_key(|h| {
            (
                h.precision != Precision::Precise,
                std::cmp::Reverse(h.confidence),
                h.loc,
            )
        });
        let Some(lead) = hits.first() else { continue };
        // How far location goes depends on the channel: unknown, it cannot be judged.
        let Some(channel) = &p.channel else { continue };
        let Some(severity) = severity(lead.precision, channel.value) else {
            continue;
        };
        let (message, help) = match lead.precision {
            Precision::Precise => (
                format!(
                    "`{}` {} people based on where they are",
                    p.id.value,
                    channel.value.verb()
                ),
                if channel.value.is_outreach() || channel.value.is_ad() {
                    "trigger it from something the person chose to do (a store they saved, an alert they turned on), or show it in the app instead"
                } else {
                    "use coarse location (country, region or city) or a place the person chose, like their preferred store"
                },
            ),
            Precision::Coarse => (
                format!(
                    "`{}` {} people based on their region or city",
                    p.id.value,
                    channel.value.verb()
                ),
                "reach out on what the person asked for; keep region-based choices (currency, language, shipping) on the page",
            ),
        };
        let mut f = Finding::new(
            RULE.id(),
            Label::new(lead.loc, lead.label.clone()),
            message,
            Subject::Personalization {
                id: p.id.as_str().into(),
            },
        )
        .severity(severity)
        .confidence(lead.confidence)
        .label(channel.loc, sent_by(channel.value))
        .help(help);
        if let Some((loc, why)) = &lead.why {
            f = f.label(*loc, why.clone());
        }
        for h in hits.iter().skip(1) {
            f = f.label(h.loc, h.label.clone());
        }
        out.push(f);
    }
}
