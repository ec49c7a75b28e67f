//! `sensitive-data`: a form field or data item that collects a special category
//! (health, religion, sexuality, ...), declared or found by the term lists.

use super::{Concern, Rule, RuleMeta};
use super::{Ctx, SensitiveHit};
use crate::finding::{Finding, Label, Severity, Subject};
use crate::model::Field;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "sensitive-data",
        severity: Severity::Warning,
        concern: Concern::Sensitive,
        options: &[],
    },
    check,
};

fn field_hits(ctx: &Ctx<'_>, field: &Field) -> Vec<SensitiveHit> {
    let mut hits: Vec<SensitiveHit> = Vec::new();
    if let Some(s) = &field.sensitive {
        hits.push(SensitiveHit {
            category: s.value,
            confidence: crate::finding::Confidence::High,
            loc: s.loc,
            why: format!("declared `sensitive: {}`", s.value),
            term: None,
        });
    }
    // A nested field is read by its own name, not its parents' (`children.address.city`
    // is an address); the parent's words are found on the fields that are about it.
    let name = field.name();
    let mut texts = vec![name.as_ref()];
    texts.extend(field.label.iter());
    // The options of a relationship question ("Son", "Grandchild") name a kinship.
    let relationship = ctx
        .vocab
        .list("relationship-questions")
        .is_some_and(|l| texts.iter().any(|t| l.find(&t.value).is_some()));
    texts.extend(field.help.iter());
    for o in field.options.iter().filter(|_| !relationship) {
        texts.push(&o.value);
        texts.extend(o.label.iter());
    }
    for text in texts {
        for (category, m) in ctx.vocab.sensitive_in(&text.value) {
            if hits.iter().any(|h| h.category == category) {
                continue;
            }
            hits.push(SensitiveHit {
                category,
                confidence: crate::finding::Confidence::Medium,
                loc: text.sub_loc(m.range.clone()),
                why: format!("`{}` is in the {} list", m.term.text, m.list),
                term: Some(m.term.text.clone()),
            });
        }
    }
    hits
}

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for form in &ctx.project.forms {
        for field in &form.fields {
            let acknowledged =
                field.sensitive.is_some() && field.purpose.is_stated() && !field.is_required();
            for hit in field_hits(ctx, field) {
                let severity = if acknowledged {
                    Severity::Info
                } else {
                    Severity::Warning
                };
                let help = if acknowledged {
                    "declared, explained and optional: keep it that way, and keep it out of targeting".to_string()
                } else {
                    format!(
                        "ask only if you truly need it: say why in `purpose`, keep it optional, and declare `sensitive: {}` so reviews see it",
                        hit.category
                    )
                };
                out.push(
                    Finding::new(
                        RULE.id(),
                        Label::new(hit.loc, hit.why.clone()),
                        format!(
                            "form `{}` collects {} data in `{}`",
                            form.id.value, hit.category, field.id.value
                        ),
                        Subject::FieldCategory {
                            form: form.id.value.clone(),
                            field: field.id.value.clone(),
                            category: hit.category,
                        },
                    )
                    .severity(severity)
                    .confidence(hit.confidence)
                    .help(help),
                );
            }
        }
    }
    for item in &ctx.project.data {
        let Some(info) = ctx.item(&item.id.value) else {
            continue;
        };
        for hit in ctx.sensitive_of_item(info) {
            out.push(
                Finding::new(
        RULE.id(),
        Label::new(hit.loc, hit.why.clone()),
                    format!("data item `{}` holds {} data", item.id.value, hit.category),
                    Subject::DataCategory {
                        id: item.id.value.clone(),
                        category: hit.category,
                    },
                )
                .confidence(hit.confidence)
                .label(item.id.loc, "declared here")
                .help("keep special-category data only with an explicit reason and the person's explicit choice; never derive it from behaviour"),
            );
        }
    }
}
