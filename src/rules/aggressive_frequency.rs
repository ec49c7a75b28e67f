//! `aggressive-frequency`: outreach with no cap, or a cap above the limit per channel.

use super::Ctx;
use crate::finding::{Finding, Label, Severity};
use crate::model::{Channel, Frequency, Period};

pub const NAME: &str = "aggressive-frequency";

/// The default caps: 1/day for sms, push and phone; 3/week for email; 1/week for mail.
pub fn default_limit(channel: Channel) -> Option<Frequency> {
    let (count, per) = match channel {
        Channel::Sms | Channel::Push | Channel::Phone => (1, Period::Day),
        Channel::Email => (3, Period::Week),
        Channel::Mail => (1, Period::Week),
        _ => return None,
    };
    Some(Frequency { count, per })
}

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for p in &ctx.project.personalizations {
        // A channel the format does not say cannot be judged for how often it reaches.
        let Some(ch) = &p.channel else { continue };
        let channel = ch.value;
        if !channel.is_outreach() {
            continue;
        }
        let limit = ctx
            .options
            .frequency_limits
            .get(channel.as_str())
            .cloned()
            .or_else(|| default_limit(channel));
        let Some(limit) = limit else { continue };
        match &p.frequency {
            None => out.push(
                Finding::new(
                    NAME,
                    Severity::Warning,
                    Label::new(ch.loc, format!("{channel} with no `frequency` cap")),
                    format!(
                        "`{}` has no limit on how often it reaches a person",
                        p.id.value
                    ),
                    format!("personalization:{} uncapped", p.id.value),
                )
                .help(format!("add `frequency: {limit}` or less")),
            ),
            Some(f) if f.value.per_month() > limit.per_month() + 1e-9 => out.push(
                Finding::new(
                    NAME,
                    Severity::Warning,
                    Label::new(f.loc, format!("more than the {limit} limit for {channel}")),
                    format!(
                        "`{}` reaches people up to {} by {channel}",
                        p.id.value, f.value
                    ),
                    format!("personalization:{} over-cap", p.id.value),
                )
                .label(ch.loc, format!("sent by {channel}"))
                .help(format!("lower it to `{limit}` or less")),
            ),
            Some(_) => {}
        }
    }
}
