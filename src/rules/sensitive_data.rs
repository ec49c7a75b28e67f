//! `sensitive-data`: a form field or data item that collects a special category
//! (health, religion, sexuality, ...), declared or found by the term lists.

use super::{Concern, Rule, RuleMeta};
use super::{Ctx, SensitiveHit};
use crate::finding::{Finding, Label, Severity, Subject};
use crate::model::{Category, Field, Source};
use crate::vocab::ListName;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "sensitive-data",
        severity: Severity::Warning,
        concern: Concern::Sensitive,
        options: &[],
    },
    check,
};

/// What the sensitive lists find in each distinct help text and choice: a function of
/// the text alone, and choices repeat across a project's forms (`yes`, a list of
/// countries), so each is looked up once per check (issue 14).
type Found<'t, 'v> = super::IdMap<&'t str, Vec<(Category, crate::vocab::Match<'v>)>>;

fn field_hits<'t, 'v>(
    ctx: &Ctx<'v>,
    seen: &mut Found<'t, 'v>,
    form: usize,
    index: usize,
    field: &'t Field,
) -> Vec<SensitiveHit> {
    let mut hits: Vec<SensitiveHit> = Vec::new();
    if let Some(s) = field.sensitive() {
        hits.push(SensitiveHit {
            category: s.value,
            confidence: crate::finding::Confidence::High,
            loc: s.loc,
            why: format!("declared `sensitive: {}`", s.value),
            term: None,
        });
    }
    let mut add = |category, text: &crate::model::Text, m: &crate::vocab::Match<'_>| {
        if !hits.iter().any(|h| h.category == category) {
            hits.push(SensitiveHit {
                category,
                confidence: crate::finding::Confidence::Medium,
                loc: text.sub_loc(m.range.clone()),
                why: m.describe(&text.value),
                term: Some(m.written(&text.value)),
            });
        }
    };
    // A nested field is read by its own name, not its parents' (`children.address.city`
    // is an address); the parent's words are found on the fields that are about it.
    // The name and the label were looked up once for the run (the facts read them too).
    let name = field.name();
    let (name_hits, relationship) = ctx.name_words(form, index, field);
    for h in name_hits.iter() {
        let text = match (h.in_label, &field.label) {
            (true, Some(label)) => label,
            (true, None) => continue,
            (false, _) => name.as_ref(),
        };
        add(h.category, text, &h.found);
    }
    // The options of a relationship question ("Son", "Grandchild") name a kinship.
    let more = field.help().into_iter().chain(
        field
            .options()
            .iter()
            .filter(|_| !relationship)
            .flat_map(|o| std::iter::once(&o.value).chain(o.label.as_deref())),
    );
    for text in more {
        let found = seen
            .entry(text.value.as_str())
            .or_insert_with(|| ctx.vocab.sensitive_in(&text.value));
        for (category, m) in found.iter() {
            add(*category, text, m);
        }
    }
    hits
}

/// Whether the rule can find anything in a choice's text (its value or its label): what
/// `pipeline::Options::drop_choices` keeps of the forms' choices as each file is read.
/// The rule reads a choice only for what the sensitive lists find in it.
pub(crate) fn reads_choice(vocab: &crate::vocab::Vocab, text: &str) -> bool {
    !vocab.sensitive_in(text).is_empty()
}

/// One finding from several hits: the first (declared, else the first found) leads;
/// hits naming another category are added as labels, never as a second finding.
fn one_finding(
    hits: &[SensitiveHit],
    severity: Severity,
    message: impl Fn(Category) -> String,
    subject: impl Fn(Category) -> Subject,
    help: impl Fn(Category) -> String,
) -> Option<Finding> {
    let lead = hits.first()?;
    let mut f = Finding::new(
        RULE.id(),
        Label::new(lead.loc, lead.why.clone()),
        message(lead.category),
        subject(lead.category),
    )
    .severity(severity)
    .confidence(lead.confidence)
    .help(help(lead.category));
    let mut named = vec![lead.category];
    for h in hits.iter().skip(1) {
        if !named.contains(&h.category) {
            named.push(h.category);
            f = f.label(h.loc, format!("also {}: {}", h.category, h.why));
        }
    }
    Some(f)
}

/// A data item's description says why it is kept: a sentence with a purpose word
/// (`grammar/purpose-markers`: "so", "para"), not a vague phrase. Data inferred about
/// the person or bought from others is never acknowledged: it was not theirs to give.
fn says_why(ctx: &Ctx<'_>, info: &crate::model::ItemInfo<'_>) -> bool {
    !matches!(info.source, Source::Inferred | Source::ThirdParty)
        && info.description.is_some_and(|d| {
            crate::vocab::tokens(&d.value).len() >= ctx.params.min_purpose_words
                && ctx.vocab.find(ListName::VaguePurpose, &d.value).is_none()
                && ctx
                    .vocab
                    .list("purpose-markers")
                    .is_some_and(|l| l.find(&d.value).is_some())
        })
}

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let mut seen = Found::default();
    for (fi, form) in ctx.forms_at() {
        for (i, field) in form.fields.iter().enumerate() {
            let acknowledged =
                field.sensitive().is_some() && field.purpose.is_stated() && !field.is_required();
            let hits = field_hits(ctx, &mut seen, fi, i, field);
            out.extend(one_finding(
                &hits,
                if acknowledged {
                    Severity::Info
                } else {
                    Severity::Warning
                },
                |c| {
                    format!(
                        "form `{}` collects {} data in `{}`",
                        form.id.value, c, field.id.value
                    )
                },
                |c| Subject::FieldCategory {
                    form: form.id.as_str().into(),
                    field: field.id.as_str().into(),
                    category: c,
                },
                |c| {
                    if acknowledged {
                        "declared, explained and optional: keep it that way, and keep it out of targeting".to_string()
                    } else {
                        format!(
                            "ask only if you truly need it: say why in `purpose`, keep it optional, and declare `sensitive: {c}` so reviews see it"
                        )
                    }
                },
            ));
        }
    }
    for item in ctx.data() {
        let Some(info) = ctx.item(&item.id.value) else {
            continue;
        };
        // A declared `location: precise` is precise-location data (see `classify`).
        let hits = ctx.sensitive_of_item(&info);
        let acknowledged = info.sensitive.is_some() && says_why(ctx, &info);
        let f = one_finding(
            &hits,
            if acknowledged {
                Severity::Info
            } else {
                Severity::Warning
            },
            |c| format!("data item `{}` holds {} data", item.id.value, c),
            |c| Subject::DataCategory {
                id: item.id.as_str().into(),
                category: c,
            },
            |c| {
                if acknowledged {
                    "declared and explained: keep it that way, and keep it out of targeting"
                        .to_string()
                } else if c == Category::PreciseLocation {
                    "ask for the position in context, when the feature that needs it is used; use a coarse location (city, postcode) when that is enough; say why in `description`; let people decline or turn it off later, and keep it no longer than the feature needs".to_string()
                } else {
                    "keep special-category data only with an explicit reason and the person's explicit choice; never derive it from behaviour".to_string()
                }
            },
        );
        if let Some(f) = f {
            out.push(f.label(item.id.loc, "declared here"));
        }
    }
}
