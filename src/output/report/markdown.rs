//! The Markdown report: the verdict, the findings and the data inventory in
//! GitHub-flavoured Markdown, sized for a pull-request comment.

use std::fmt::Write as _;

use super::{Place, Report, SourceView};

/// GitHub refuses comments over 65,536 characters; stay well under it.
pub const LIMIT: usize = 60_000;
/// Room kept for closing a section and the note that says it was cut.
const RESERVE: usize = 600;

/// Escape plain text for a table cell: no `|` or line break may end the cell, and no
/// markup from a checked file may turn into HTML or formatting.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\n' => out.push_str("<br>"),
            '\r' => {}
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '*' | '_' | '~' | '[' | ']' | '`' => {
                out.push('\\');
                out.push(c);
            }
            // A comment is also read in terminals (`gh pr view`): no escape sequences.
            c if crate::output::escape::is_unsafe(c) => {
                out.push_str(&c.escape_unicode().to_string().replace('\\', "\\\\"));
            }
            _ => out.push(c),
        }
    }
    out
}

/// A table cell: `code` spans (as findings write ids) stay code, the rest is escaped.
pub fn cell(s: &str) -> String {
    if s.matches('`').count() % 2 == 1 {
        return text(s);
    }
    let mut out = String::new();
    for (i, part) in s.split('`').enumerate() {
        if i % 2 == 1 {
            // Inside a code span only the cell delimiter and line breaks matter.
            let part = part.replace('|', "\\|").replace(['\r', '\n'], " ");
            let part = crate::output::escape::controls(&part);
            let _ = write!(out, "`{part}`");
        } else {
            out.push_str(&text(part));
        }
    }
    out
}

fn code(s: &str) -> String {
    cell(&format!("`{}`", s.replace('`', "'")))
}

/// `file:line` as code, linked to the file's line in the repository when its web
/// address is configured (`repository:` in creeplint.yaml).
fn place(r: &Report<'_>, p: &Place) -> String {
    let shown = code(&p.to_string());
    match r.meta.link(&p.path, p.line) {
        Some(url) => format!("[{shown}]({url})"),
        None => shown,
    }
}

fn source(s: &SourceView) -> String {
    text(&s.text())
}

fn or_none(s: Option<&str>) -> String {
    s.map_or_else(|| "—".to_string(), cell)
}

fn list(v: &[String]) -> String {
    if v.is_empty() {
        "—".to_string()
    } else {
        v.iter().map(|s| cell(s)).collect::<Vec<_>>().join(", ")
    }
}

/// Appends rows while they fit in the budget, and counts those that do not.
struct Budget {
    out: String,
    cut: usize,
}

impl Budget {
    fn fits(&self, more: usize) -> bool {
        self.cut == 0 && self.out.len() + more + RESERVE <= LIMIT
    }
    fn row(&mut self, row: &str) {
        if self.fits(row.len() + 1) {
            self.out.push_str(row);
            self.out.push('\n');
        } else {
            self.cut += 1;
        }
    }
    fn push(&mut self, s: &str) {
        self.out.push_str(s);
    }
    /// Close a section, saying how many rows were left out.
    fn close(&mut self, what: &str) -> usize {
        let cut = std::mem::take(&mut self.cut);
        if cut > 0 {
            let _ = write!(
                self.out,
                "\n_{cut} more {what} not shown, to keep this comment under {LIMIT} characters. Run `creeplint report` for the full HTML report._\n"
            );
        }
        cut
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The whole comment.
pub fn render(r: &Report<'_>) -> String {
    let mut b = Budget {
        out: String::new(),
        cut: 0,
    };
    match &r.meta.project {
        Some(p) => {
            let _ = write!(b.out, "## creeplint report: {}\n\n", text(p));
        }
        None => b.push("## creeplint report\n\n"),
    }
    let mut run = Vec::new();
    if let Some(d) = &r.meta.date {
        run.push(text(d));
    }
    if let Some(c) = r.meta.short_commit() {
        let branch = r
            .meta
            .branch
            .as_deref()
            .map(|br| format!(" on {}", code(br)))
            .unwrap_or_default();
        run.push(format!("commit {}{branch}", code(c)));
    }
    if !run.is_empty() {
        let _ = write!(b.out, "{}\n\n", run.join(" · "));
    }
    let _ = write!(
        b.out,
        "**{}, {}, {}** in {} ({} skipped).\n\n> {}\n\n",
        plural(r.total.errors, "error"),
        plural(r.total.warnings, "warning"),
        plural(r.total.infos, "info"),
        plural(r.summary.files, "file"),
        r.summary.skipped,
        text(&r.verdict)
    );
    b.push("| Concern | Errors | Warnings | Infos |\n|---|---:|---:|---:|\n");
    for (c, n) in &r.by_concern {
        let _ = writeln!(
            b.out,
            "| {} | {} | {} | {} |",
            c.title(),
            n.errors,
            n.warnings,
            n.infos
        );
    }

    if let Some(base) = &r.baseline {
        let _ = write!(
            b.out,
            "\n### Compared with the baseline\n\n**{} new**, {} unchanged, {} fixed since {}.\n",
            base.new,
            base.unchanged,
            base.fixed.len(),
            code(&base.path)
        );
        if !base.fixed.is_empty() {
            let _ = write!(
                b.out,
                "\n<details><summary>{} fixed</summary>\n\n| Rule | File | What |\n|---|---|---|\n",
                plural(base.fixed.len(), "finding")
            );
            for e in &base.fixed {
                let row = format!(
                    "| {} | {} | {} |",
                    code(&e.rule),
                    code(&e.file),
                    text(&e.subject)
                );
                b.row(&row);
            }
            b.close("fixed findings");
            b.push("\n</details>\n");
        }
    }
    if !r.owners.is_empty() {
        b.push("\n### Owners\n\n| Owner | Forms | Data items | Personalizations | Errors | Warnings | Infos |\n|---|---|---|---|---:|---:|---:|\n");
        let codes = |v: &[String]| {
            if v.is_empty() {
                "—".to_string()
            } else {
                v.iter().map(|s| code(s)).collect::<Vec<_>>().join(", ")
            }
        };
        for o in &r.owners {
            let row = format!(
                "| {} | {} | {} | {} | {} | {} | {} |",
                o.owner
                    .as_deref()
                    .map_or_else(|| "_no owner_".to_string(), text),
                codes(&o.forms),
                codes(&o.items),
                codes(&o.personalizations),
                o.counts.errors,
                o.counts.warnings,
                o.counts.infos
            );
            b.row(&row);
        }
        b.close("owners");
    }
    let _ = write!(
        b.out,
        "\n### Findings\n\n<details{}><summary>{}</summary>\n\n",
        if r.findings.len() <= 10 { " open" } else { "" },
        plural(r.findings.len(), "finding")
    );
    if r.findings.is_empty() {
        b.push("No findings.\n");
    } else {
        b.push("| Severity | Concern | Finding | Where | What to do |\n|---|---|---|---|---|\n");
        // As in the HTML report: by concern, errors first within each.
        for f in r.findings_by_concern().into_iter().flat_map(|(_, fs)| fs) {
            let row = format!(
                "| {}{} | {} | {} ({}) | {} | {} |",
                f.finding.severity.as_str(),
                if f.new == Some(true) { " **new**" } else { "" },
                f.concern.title(),
                cell(&f.finding.message),
                code(f.finding.rule.name()),
                place(r, &f.place),
                or_none(f.finding.help.as_deref())
            );
            b.row(&row);
        }
    }
    let findings_cut = b.close("findings");
    b.push("\n</details>\n");

    let _ = write!(
        b.out,
        "\n### Data inventory\n\n<details><summary>{}, {}</summary>\n\n",
        plural(r.items.len(), "data item"),
        plural(r.personalizations.len(), "personalization")
    );
    if r.items.is_empty() {
        b.push("No data items.\n");
    } else {
        b.push(
            "| Id | Label | Comes from | Source | Stated purpose | Uses | Sensitive | Location | Retention | Used by |\n|---|---|---|---|---|---|---|---|---|---|\n",
        );
        for i in &r.items {
            if findings_cut > 0 {
                b.cut += 1;
                continue;
            }
            let id = if i.undeclared {
                format!("{} **undeclared**", code(&i.id))
            } else {
                code(&i.id)
            };
            let from = i
                .origins
                .iter()
                .map(|o| format!("{} {}", cell(&o.what), place(r, &o.place)))
                .collect::<Vec<_>>()
                .join("<br>");
            let used_by = i
                .used_by
                .iter()
                .map(|p| code(p))
                .collect::<Vec<_>>()
                .join(", ");
            let row = format!(
                "| {id} | {} | {from} | {} | {} | {} | {} | {} | {} | {} |",
                or_none(i.label.as_deref()),
                source(&i.source),
                or_none(i.purpose.as_deref()),
                list(&i.uses),
                list(&i.sensitive),
                or_none(i.location.as_deref()),
                or_none(i.retention.as_deref()),
                if used_by.is_empty() {
                    "—".to_string()
                } else {
                    used_by
                },
            );
            b.row(&row);
        }
    }
    b.close("data items");
    b.push("\n</details>\n");
    b.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_keep_the_table_whole() {
        assert_eq!(cell("a|b\nc"), "a\\|b<br>c");
        assert_eq!(cell("<script>"), "&lt;script&gt;");
        assert_eq!(cell("`a|b` ok"), "`a\\|b` ok");
        assert_eq!(cell("odd ` tick"), "odd \\` tick");
    }
}
