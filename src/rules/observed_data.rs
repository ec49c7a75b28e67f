//! `observed-data`: personalizing with behaviour tracked, or read from the device,
//! without the person handing it over. Locations are `location-trigger`'s.

use super::{Concern, Rule, RuleMeta};
use super::{Ctx, also_used, grouped_refs};
use crate::finding::{Finding, Label, Severity, Subject};
use crate::model::{RefKind, Source};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "observed-data",
        severity: Severity::Warning,
        concern: Concern::NotVolunteered,
        options: &[],
    },
    check,
};

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for p in ctx.personalizations() {
        for (id, refs) in grouped_refs(p) {
            let r = ctx.resolve(id);
            let Some(source @ (Source::Observed | Source::Device)) = r.source else {
                continue;
            };
            // Locations, and data read only to tell where the person is, are
            // `location-trigger`'s concern.
            let only_place = refs.iter().all(|r| match r.kind {
                RefKind::Condition(i) => p
                    .when
                    .get(i)
                    .is_some_and(|c| super::location_trigger::is_place_condition(ctx, c)),
                _ => false,
            });
            // The person's own orders, cart, bookings and saved items are what they
            // did knowingly, not tracking (as in `message-reveals-tracking`).
            if r.location().is_some() || only_place || ctx.is_own_record(id) {
                continue;
            }
            let Some(first) = refs.first() else { continue };
            let what = if source == Source::Observed {
                "recorded from what the person did"
            } else {
                "read from the person's device"
            };
            let f = Finding::new(
        RULE.id(),
        Label::new(first.loc, format!("`{id}` is {what}")),
                format!("`{}` personalizes with `{id}`, tracked rather than given", p.id.value),
                Subject::reads(&p.id.value, id),
            )
            .confidence(r.source_confidence)
            .labels(also_used(&refs))
            .labels(r.source_label())
            .help(
                "prefer what the person chose to tell you (preferences, saved items); if you keep this, explain it in `explanation` and let people turn it off",
            );
            out.push(f);
        }
    }
}
