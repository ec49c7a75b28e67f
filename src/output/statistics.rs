//! `--statistics`: how many findings each rule reported, most first, as ruff prints
//! them, so a team adopting creeplint sees where the work is.

use crate::finding::Finding;
use crate::pipeline::RuleCounts;

pub fn render(findings: &[Finding]) -> String {
    render_counts(&RuleCounts::of(findings))
}

/// [`render`] from the counts a run kept as it wrote its findings.
pub fn render_counts(counts: &RuleCounts) -> String {
    let mut rows: Vec<(&str, usize, crate::Severity)> = counts.iter().collect();
    // Most findings first; ties by name, so the output is stable.
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut out = String::from("Findings by rule:\n");
    if rows.is_empty() {
        out.push_str("  none\n");
    }
    let count_width = rows
        .iter()
        .map(|r| r.1.to_string().len())
        .max()
        .unwrap_or(1);
    let name_width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    for (rule, n, severity) in rows {
        out.push_str(&format!(
            "  {n:>count_width$}  {rule:name_width$}  {severity}\n"
        ));
    }
    out.push('\n');
    out
}
