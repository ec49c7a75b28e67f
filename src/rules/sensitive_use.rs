//! `sensitive-use`: a sensitive category declared for advertising, marketing or sharing
//! with other companies, in any format: a native item with `sensitive:` and `uses:`, a
//! Fides privacy declaration, an Apple privacy manifest entry.

use super::{Concern, Ctx, Rule, RuleMeta};
use crate::finding::{Finding, Label, Severity, Subject};
use crate::model::{At, Category, Use};
use crate::source::Loc;

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        name: "sensitive-use",
        severity: Severity::Error,
        concern: Concern::Sensitive,
        options: &[],
    },
    check,
};

/// Uses that special-category data must never serve.
fn forbidden(uses: &[At<Use>]) -> Vec<&At<Use>> {
    let mut out: Vec<&At<Use>> = Vec::new();
    for u in uses {
        if matches!(
            u.value,
            Use::Marketing | Use::Advertising | Use::ThirdPartySharing
        ) && !out.iter().any(|o| o.value == u.value)
        {
            out.push(u);
        }
    }
    out
}

fn push(
    out: &mut Vec<Finding>,
    what: String,
    subject: Subject,
    sensitive: &At<Category>,
    uses: &[&At<Use>],
    decl: Loc,
) {
    // Precise location has its own rule (`location-trigger`) and is not a special
    // category of data in GDPR's sense.
    if sensitive.value == Category::PreciseLocation {
        return;
    }
    let Some(first) = uses.first() else { return };
    let names: Vec<&str> = uses.iter().map(|u| u.value.as_str()).collect();
    let category = sensitive.value.as_str().replace('-', " ");
    // Uses written in one place (a Fides `data_use`, an Apple purpose) share one label.
    let here: Vec<&str> = uses
        .iter()
        .filter(|u| u.loc == first.loc)
        .map(|u| u.value.as_str())
        .collect();
    let mut f = Finding::new(
        RULE.id(),
        Label::new(first.loc, format!("declared for {}", here.join(", "))),
        format!("{what} holds {category} data and is declared for {}", names.join(", ")),
        subject,
    )
    .label(sensitive.loc, format!("{category} data"))
    .help("never use special-category data (health, sexuality, religion, ethnicity, ...) for advertising, marketing or sharing with other companies: remove that use, or stop collecting the data; offers on a sensitive topic go to everyone, or to people who subscribe to the topic themselves");
    let mut labelled = vec![first.loc];
    for u in uses.iter().skip(1) {
        if labelled.contains(&u.loc) {
            continue;
        }
        labelled.push(u.loc);
        let at: Vec<&str> = uses
            .iter()
            .filter(|x| x.loc == u.loc)
            .map(|x| x.value.as_str())
            .collect();
        f = f.label(u.loc, format!("declared for {}", at.join(", ")));
    }
    if decl != sensitive.loc && decl != first.loc {
        f = f.label(decl, "declared here");
    }
    out.push(f);
}

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for item in ctx.data() {
        let Some(sensitive) = &item.sensitive else {
            continue;
        };
        push(
            out,
            format!("data item `{}`", item.id.value),
            Subject::DataCategory {
                id: item.id.as_str().into(),
                category: sensitive.value,
            },
            sensitive,
            &forbidden(&item.uses),
            item.id.loc,
        );
    }
    for form in ctx.forms() {
        for field in &form.fields {
            let Some(sensitive) = field.sensitive() else {
                continue;
            };
            push(
                out,
                format!("`{}` in form `{}`", field.id.value, form.id.value),
                Subject::FieldCategory {
                    form: form.id.as_str().into(),
                    field: field.id.as_str().into(),
                    category: sensitive.value,
                },
                sensitive,
                &forbidden(field.uses()),
                field.id.loc,
            );
        }
    }
}
