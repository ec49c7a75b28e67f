//! `third-party-sharing`: volunteered data handed to another company, by declaration
//! or through a custom-audience upload of contact data.

use super::Ctx;
use super::{Concern, Rule, RuleMeta};
use crate::finding::{Confidence, Finding, Label, Severity, Subject};
use crate::model::{Source, Use};
use crate::vocab::ListName;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "third-party-sharing",
        severity: Severity::Warning,
        concern: Concern::NotVolunteered,
        options: &[],
    },
    check,
};

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for form in ctx.forms() {
        for field in &form.fields {
            if let Some(u) = field
                .uses()
                .iter()
                .find(|u| u.value == Use::ThirdPartySharing)
            {
                out.push(
                    Finding::new(
                        RULE.id(),
                        Label::new(u.loc, "shared with other companies"),
                        format!(
                            "form `{}` hands `{}` to other companies",
                            form.id.value, field.id.value
                        ),
                        Subject::field(&form.id.value, &field.id.value),
                    )
                    .label(field.id.loc, "collected here")
                    .help(
                        "ask separately, unticked, naming who gets it and why; or keep it in-house",
                    ),
                );
            }
        }
    }
    for p in ctx.personalizations() {
        // Only a channel known to be an ad network uploads to one.
        let Some(channel) = p.channel.as_ref().filter(|c| c.value.is_ad()) else {
            continue;
        };
        let mut seen: Vec<&str> = Vec::new();
        for r in p.refs() {
            if seen.contains(&r.id) {
                continue;
            }
            let Some(info) = ctx.item(r.id) else {
                continue;
            };
            let typed = info
                .field
                .is_some_and(|f| f.field_type().value.is_contact());
            let named = crate::vocab::words(r.id)
                .iter()
                .any(|w| ctx.params.contact_words.contains(&w.norm));
            // An identifier the company recorded itself (a customer or device id),
            // whatever its source: a hidden `user_email` counts as much as a typed one.
            let identifier = info.source != Source::Volunteered
                && ctx.vocab.find(ListName::Identifiers, r.id).is_some();
            if !typed && !named && !identifier {
                continue;
            }
            let (what, origin) = if info.source == Source::Volunteered {
                ("contact data", "given to you, not to them")
            } else if typed || named {
                ("contact data", "collected by you, not given to them")
            } else {
                ("an identifier", "collected by you, not given to them")
            };
            seen.push(r.id);
            out.push(
                Finding::new(
        RULE.id(),
        Label::new(r.loc, format!("`{}` is the person's {what}", r.id)),
                    format!("`{}` uploads {what} to an ad network", p.id.value),
                    Subject::reads(&p.id.value, r.id),
                )
                .confidence(if typed { Confidence::High } else { Confidence::Medium })
                .label(channel.loc, format!("matched on {}", channel.value))
                .label(info.decl, origin)
                .help("do not match customer lists on ad platforms without a separate, explicit opt-in"),
            );
        }
    }
}
