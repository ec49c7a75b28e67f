//! `observed-data`: personalizing with behaviour tracked, or read from the device,
//! without the person handing it over. Locations are `location-trigger`'s.

use super::{Ctx, also_used, grouped_refs};
use crate::finding::{Finding, Label, Severity};
use crate::model::{RefKind, Source};

pub const NAME: &str = "observed-data";

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for p in &ctx.project.personalizations {
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
            if r.location.is_some() || only_place {
                continue;
            }
            let Some(first) = refs.first() else { continue };
            let what = if source == Source::Observed {
                "recorded from what the person did"
            } else {
                "read from the person's device"
            };
            let mut f = Finding::new(
                NAME,
                Severity::Warning,
                Label::new(first.loc, format!("`{id}` is {what}")),
                format!("`{}` personalizes with `{id}`, tracked rather than given", p.id.value),
                format!("personalization:{} data:{id}", p.id.value),
            )
            .confidence(r.source_confidence)
            .labels(also_used(&refs))
            .help(
                "prefer what the person chose to tell you (preferences, saved items); if you keep this, explain it in `explanation` and let people turn it off",
            );
            if let Some(loc) = r.source_loc {
                f = f.label(loc, r.source_why.clone());
            }
            out.push(f);
        }
    }
}
