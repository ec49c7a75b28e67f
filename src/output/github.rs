//! `--format github`: one GitHub Actions workflow command per finding, which the
//! Actions runner turns into an annotation on the pull request's changed lines.

use crate::finding::{Finding, Severity};
use crate::source::Sources;

/// GitHub's escaping of a command's message. Control characters other than line
/// breaks (which GitHub decodes) are shown escaped: the runner prints the message to
/// the log, a terminal of sorts, and a NUL cuts it short.
pub fn escape_data(s: &str) -> String {
    super::escape::controls_except(s, &['\n', '\r', '\t'])
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub's escaping of a command's property values (also `:` and `,`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(sources: &Sources, findings: &[Finding]) -> String {
    super::written(|w| write(w, sources, findings)).unwrap_or_default()
}

/// [`render`], written to `w` one annotation at a time.
pub fn write(
    w: &mut dyn std::io::Write,
    sources: &Sources,
    findings: &[Finding],
) -> std::io::Result<()> {
    for f in findings {
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        // The annotation's body: the message, what to do, and where the rule is explained.
        let mut message = f.message.to_string();
        if let Some(help) = &f.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        message.push_str("\ndocs: ");
        message.push_str(&crate::docs::url(f.rule.name()));
        let start = sources.line_col(f.primary.loc);
        let end = sources.end_line_col(f.primary.loc);
        writeln!(
            w,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(sources.display(f.primary.loc.file)),
            start.line,
            start.column,
            end.line,
            end.column,
            escape_property(f.rule.name()),
            escape_data(&message),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape_data("100% a\r\nb: c, d"), "100%25 a%0D%0Ab: c, d");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
        assert_eq!(
            escape_data("id \u{1b}]0;x\u{7}\0\r\n"),
            "id \\u{1b}]0;x\\u{7}\\u{0}%0D%0A"
        );
    }
}
