//! `cross-context`: behaviour seen in one place used to reach the person in another:
//! browsing turned into catalogs in the mailbox, searches into social ads, social
//! posts into anything; and data a declaration says is tracked across other
//! companies' apps and sites.

use super::Ctx;
use super::{Concern, Rule, RuleMeta};
use crate::finding::{Confidence, Finding, Label, Severity, Subject};
use crate::model::{Channel, Source};
use crate::vocab::ListName;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "cross-context",
        severity: Severity::Error,
        concern: Concern::NotVolunteered,
        options: &[],
    },
    check,
};

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    // Data a declaration says is linked with other companies' data for advertising
    // (tracking, in Apple's words): the cross-context use is declared outright.
    for item in ctx.data() {
        let Some(tracking) = item.tracking() else {
            continue;
        };
        out.push(
            Finding::new(
                RULE.id(),
                Label::new(tracking, "linked with other companies' data for advertising"),
                format!(
                    "`{}` is tracked: linked with other companies' data to follow people across apps and sites",
                    item.id.value
                ),
                Subject::Data {
                    id: item.id.as_str().into(),
                },
            )
            .label(item.id.loc, "declared here")
            .help("do not link what people do in your app with data from other companies' apps and sites; if the business needs it, ask first (App Tracking Transparency on iOS) and keep it out of data people did not give you"),
        );
    }
    // What the social-sources list finds in each distinct id and description, once per
    // run: references and descriptions repeat across personalizations (issue 14).
    let mut social_of: super::IdMap<&str, Option<String>> = super::IdMap::default();
    for p in ctx.personalizations() {
        let channel = p.channel.as_ref();
        let elsewhere = channel
            .is_some_and(|c| matches!(c.value, Channel::Mail | Channel::Ad | Channel::SocialAd));
        let mut seen: Vec<&str> = Vec::new();
        for r in p.refs() {
            if seen.contains(&r.id) {
                continue;
            }
            let resolved = ctx.resolve(r.id);
            let social = std::iter::once(r.id)
                .chain(
                    resolved
                        .info()
                        .and_then(|i| i.description)
                        .map(|d| d.as_str()),
                )
                .find_map(|t| {
                    social_of
                        .entry(t)
                        .or_insert_with(|| {
                            ctx.vocab
                                .find(ListName::SocialSources, t)
                                .map(|m| m.describe(t))
                        })
                        .clone()
                });
            let tracked = matches!(
                resolved.source,
                Some(Source::Observed | Source::Inferred | Source::ThirdParty)
            );
            let (label, confidence) = match (&social, elsewhere && tracked) {
                (Some(term), _) => (
                    format!("`{}` comes from social-network posts ({term})", r.id),
                    Confidence::Medium,
                ),
                (None, true) => (
                    format!(
                        "`{}` is {} data from another context",
                        r.id,
                        resolved.source.map_or("tracked", |s| s.as_str())
                    ),
                    resolved.source_confidence,
                ),
                (None, false) => continue,
            };
            seen.push(r.id);
            let mut f = Finding::new(
        RULE.id(),
        Label::new(r.loc, label),
                format!("`{}` follows people from one context into another", p.id.value),
                Subject::reads(&p.id.value, r.id),
            )
            .confidence(confidence)
            .help("keep what people do in one place out of what they receive in another: use what they chose to share with you for this channel");
            if let Some(c) = channel {
                f = f.label(c.loc, format!("reaches them by {}", c.value));
            }
            out.push(f.labels(resolved.source_label()));
        }
    }
}
