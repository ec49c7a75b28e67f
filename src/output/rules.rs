//! `creeplint rules` and `creeplint explain`: the rule catalogue as text.

use crate::docs;
use crate::rules::{RULES, Rule};

/// Every rule with the one-line summary of its doc, in registry order.
fn catalogue() -> impl Iterator<Item = (&'static Rule, String)> {
    RULES
        .iter()
        .map(|r| (*r, docs::get(r.name).map(|d| d.summary).unwrap_or_default()))
}

pub fn list() -> String {
    let width = RULES.iter().map(|r| r.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (r, summary) in catalogue() {
        out.push_str(&format!(
            "{:width$}  {:7}  {}\n",
            r.name,
            r.severity.as_str(),
            summary
        ));
    }
    out
}

fn indent(text: &str, by: &str) -> String {
    text.trim_end()
        .lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{by}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn example(out: &mut String, heading: &str, ex: &docs::Example) {
    out.push_str(&format!("\n{heading}: {}\n", ex.title));
    for (name, text) in &ex.files {
        out.push_str(&format!("\n  # {name}\n{}\n", indent(text, "  ")));
    }
}

/// The whole entry of a rule; `None` when the doc is missing.
pub fn explain(name: &str) -> Option<String> {
    let rule = crate::rules::find(name)?;
    let doc = docs::get(name).ok()?;
    let mut out = format!(
        "{} ({})\n\n{}\n",
        rule.name,
        rule.severity.as_str(),
        doc.summary
    );
    out.push_str(&format!("\nWhy it matters\n{}\n", indent(&doc.why, "  ")));
    out.push_str(&format!(
        "\nWhat to do instead\n{}\n",
        indent(&doc.instead, "  ")
    ));
    for ex in &doc.examples.fires {
        example(&mut out, "Fires", ex);
    }
    for ex in &doc.examples.quiet {
        example(&mut out, "Does not fire", ex);
    }
    Some(out)
}

/// The rule table of the README (a test keeps the README equal to it).
pub fn markdown_table() -> String {
    let mut out = String::from("| rule | severity | what it catches |\n|---|---|---|\n");
    for (r, summary) in catalogue() {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            r.name,
            r.severity.as_str(),
            summary
        ));
    }
    out
}

/// `creeplint rules --format json`: every rule, in registry order, with what editors
/// and dashboards need to show it.
pub fn json() -> String {
    let rules: Vec<serde_json::Value> = catalogue()
        .map(|(r, summary)| {
            serde_json::json!({
                "name": r.name,
                "severity": r.severity.as_str(),
                "concern": crate::output::report::Concern::of(r.name).slug(),
                "summary": summary.trim(),
                "doc_url": docs::url(r.name),
            })
        })
        .collect();
    serde_json::to_string_pretty(&rules).unwrap_or_else(|_| "[]".into()) + "\n"
}
