//! `message-reveals-tracking`: a message that tells the person something about
//! themselves they did not give: tracked or inferred data in a placeholder, a
//! "we were watching" phrase, or a pattern (a distance or time measured from them,
//! a second-person verb of watching, their activity on a named network, what a
//! model thinks of them). Echoing the person's own orders, cart, bookings or saved
//! items is expected and left alone. The explanation is exempt: disclosing why is
//! its job. One finding per personalization: the strongest evidence leads.

use super::Ctx;
use super::{Concern, Rule, RuleMeta};
use crate::finding::{Confidence, Finding, Label, Severity, Subject};
use crate::model::{RefKind, Source};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "message-reveals-tracking",
        severity: Severity::Error,
        concern: Concern::Engagement,
        options: &[],
    },
    check,
};

/// What a message's words say: its watching phrases (where, described, the term) and
/// what it reveals. A function of the text and the run's lists alone, so each distinct
/// message is read once per run (real projects repeat message templates: issue 14).
struct Said {
    phrases: Vec<(std::ops::Range<usize>, String, String)>,
    reveals: Vec<super::tracking::Reveal>,
}

impl Said {
    fn of(ctx: &Ctx<'_>, text: &str) -> Self {
        let phrases = ctx
            .vocab
            .list(crate::vocab::ListName::WatchingPhrases.as_str())
            .map(|list| {
                list.find_all(text)
                    .into_iter()
                    .map(|m| (m.range.clone(), m.describe(text), m.term.text.to_string()))
                    .collect()
            })
            .unwrap_or_default();
        Said {
            phrases,
            reveals: super::tracking::Tracking::builtin().reveals(text),
        }
    }
}

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let mut seen: std::collections::HashMap<&str, Said, foldhash::fast::FixedState> =
        std::collections::HashMap::default();
    for p in ctx.personalizations() {
        // (label, confidence, declaration label, subject when it leads)
        let mut ev: Vec<(Label, Confidence, Option<Label>, Subject)> = Vec::new();
        let mut shown: Vec<&str> = Vec::new();
        for r in p.refs().filter(|r| r.kind == RefKind::Message) {
            if shown.contains(&r.id) {
                continue;
            }
            let resolved = ctx.resolve(r.id);
            let Some(source) = resolved.source.filter(|s| *s != Source::Volunteered) else {
                continue;
            };
            if ctx.is_own_record(r.id) {
                continue; // the person's own orders, cart, bookings: expected
            }
            shown.push(r.id);
            ev.push((
                Label::new(
                    r.loc,
                    format!("shows `{}`, {source} data, to the person", r.id),
                ),
                resolved.source_confidence,
                resolved.source_label(),
                Subject::reads(&p.id.value, r.id),
            ));
        }
        if let Some(message) = &p.message {
            let said = seen
                .entry(&*message.value)
                .or_insert_with(|| Said::of(ctx, &message.value));
            for (range, describe, phrase) in &said.phrases {
                ev.push((
                    Label::new(message.sub_loc(range.clone()), describe.clone()),
                    Confidence::Medium,
                    None,
                    Subject::Phrase {
                        personalization: p.id.as_str().into(),
                        phrase: phrase.clone().into(),
                    },
                ));
            }
            for r in &said.reveals {
                let loc = message.sub_loc(r.range.clone());
                if ev.iter().any(|(l, _, _, _)| l.loc == loc) {
                    continue;
                }
                ev.push((
                    Label::new(loc, r.why.clone()),
                    Confidence::Medium,
                    None,
                    Subject::Personalization {
                        id: p.id.as_str().into(),
                    },
                ));
            }
        }
        ev.sort_by_key(|e| std::cmp::Reverse(e.1));
        // The leading evidence's subject, as before there was one finding per message.
        let Some((lead, confidence, why, subject)) = ev.first().cloned() else {
            continue;
        };
        let data_led = matches!(subject, Subject::Reads { .. });
        let message = if shown.is_empty() {
            format!("`{}` tells people they were watched", p.id.value)
        } else {
            format!("`{}` tells people what was recorded about them", p.id.value)
        };
        let mut f = Finding::new(
            RULE.id(),
            lead,
            message,
            subject,
        )
        .confidence(confidence)
        .help(if data_led {
            "keep tracked and inferred data out of the message; if you must use it, say why in `explanation`"
        } else {
            "say what you offer, not what you saw; put the reason in `explanation`"
        });
        if let Some(w) = why {
            f = f.label(w.loc, w.message.clone());
        }
        for (l, _, w, _) in ev.iter().skip(1) {
            f = f.label(l.loc, l.message.clone());
            if let Some(w) = w {
                f = f.label(w.loc, w.message.clone());
            }
        }
        out.push(f);
    }
}
