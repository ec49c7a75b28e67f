//! `aggressive-frequency`: outreach with no cap, or a cap above the limit per channel.

use super::Ctx;
use super::{Concern, Rule, RuleMeta};
use crate::finding::{Finding, Label, Severity, Subject};
use std::collections::BTreeMap;

use crate::model::{Channel, Frequency};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "aggressive-frequency",
        severity: Severity::Warning,
        concern: Concern::Engagement,
        options: &["limits"],
    },
    check,
};

/// Frequency caps by channel: the defaults of `rules/aggressive-frequency.yaml`, and
/// the configuration's `limits`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Limits(BTreeMap<Channel, Frequency>);

impl Limits {
    /// The cap of a channel, given as a [`Channel`] or by its name.
    pub fn get<C: TryInto<Channel>>(&self, channel: C) -> Option<&Frequency> {
        self.0.get(&channel.try_into().ok()?)
    }

    pub fn insert(&mut self, channel: Channel, limit: Frequency) {
        self.0.insert(channel, limit);
    }

    pub fn iter(&self) -> impl Iterator<Item = (Channel, &Frequency)> {
        self.0.iter().map(|(c, f)| (*c, f))
    }

    /// `defaults`, overridden by caps given by channel name ([`super::RuleOptions`]);
    /// a name that is no channel is ignored (the configuration rejects it).
    pub fn with_overrides(
        defaults: &BTreeMap<Channel, Frequency>,
        named: &BTreeMap<String, Frequency>,
    ) -> Self {
        let mut limits = Limits(defaults.clone());
        for (name, limit) in named {
            if let Some(channel) = Channel::parse(name) {
                limits.insert(channel, limit.clone());
            }
        }
        limits
    }
}

impl TryFrom<&str> for Channel {
    type Error = ();
    fn try_from(name: &str) -> Result<Self, ()> {
        Channel::parse(name).ok_or(())
    }
}

/// What a personalization's outreach breaks: no cap, or a cap above the limit.
enum Breach<'p> {
    Uncapped,
    OverCap(&'p crate::model::At<Frequency>),
}

/// The channel, its limit and what `p` breaks, when it breaks one.
fn breach<'p>(
    ctx: &Ctx<'_>,
    p: &'p crate::model::Personalization,
) -> Option<(&'p crate::model::ChannelInfo, Frequency, Breach<'p>)> {
    // A channel the format does not say cannot be judged for how often it reaches.
    let ch = p.channel.as_ref()?;
    if !ch.value.is_outreach() {
        return None;
    }
    let limit = ctx.limits.get(ch.value).cloned()?;
    let breach = match &p.frequency {
        // A cap is written but cannot be read: the file's problem says so.
        None if p.unreadable.contains(&"frequency") => return None,
        None => Breach::Uncapped,
        Some(f) if f.value.per_month() > limit.per_month() + 1e-9 => Breach::OverCap(f),
        Some(_) => return None,
    };
    Some((ch, limit, breach))
}

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let personalizations = ctx.personalizations();
    // Room for exactly the findings: a list grown by doubling held room for up to
    // twice them at the run's peak, the rules' last lists (issue 14).
    out.reserve_exact(
        personalizations
            .clone()
            .filter(|p| breach(ctx, p).is_some())
            .count(),
    );
    for p in personalizations {
        let Some((ch, limit, breach)) = breach(ctx, p) else {
            continue;
        };
        let channel = ch.value;
        match breach {
            Breach::Uncapped => out.push(
                Finding::new(
                    RULE.id(),
                    Label::new(ch.loc, format!("{channel} with no `frequency` cap")),
                    format!(
                        "`{}` has no limit on how often it reaches a person",
                        p.id.value
                    ),
                    Subject::Uncapped {
                        personalization: p.id.as_str().into(),
                    },
                )
                .help(format!("add `frequency: {limit}` or less")),
            ),
            Breach::OverCap(f) => out.push(
                Finding::new(
                    RULE.id(),
                    Label::new(f.loc, format!("more than the {limit} limit for {channel}")),
                    format!(
                        "`{}` reaches people up to {} by {channel}",
                        p.id.value, f.value
                    ),
                    Subject::OverCap {
                        personalization: p.id.as_str().into(),
                    },
                )
                .label(ch.loc, format!("sent by {channel}"))
                .help(format!("lower it to `{limit}` or less")),
            ),
        }
    }
}
