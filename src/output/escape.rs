//! Text from checked files on a terminal or in a comment: control characters (ESC, NUL,
//! a lone carriage return, DEL, C1 codes) and bidirectional overrides are shown
//! escaped, as `\u{1b}`, so a file cannot set a terminal's title, clear its screen or
//! reorder what a reviewer reads. JSON and SARIF escape them by their own rules.

use std::borrow::Cow;

/// Whether a character must not reach a terminal as it is.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        // Bidirectional embeddings, overrides and isolates ("Trojan Source").
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Unsafe characters escaped, except those in `keep`.
pub fn controls_except<'a>(s: &'a str, keep: &[char]) -> Cow<'a, str> {
    if !s.chars().any(|c| is_unsafe(c) && !keep.contains(&c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe(c) && !keep.contains(&c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Every control character escaped, line breaks too: for one-line values (file names).
pub fn controls(s: &str) -> Cow<'_, str> {
    controls_except(s, &[])
}

/// Control characters escaped except line breaks and tabs: for messages and help.
pub fn controls_but_lines(s: &str) -> Cow<'_, str> {
    controls_except(s, &['\n', '\t'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_a_terminal_would_obey() {
        assert_eq!(
            controls("a\u{1b}]0;pwned\u{7}\u{1b}[2J\0b"),
            "a\\u{1b}]0;pwned\\u{7}\\u{1b}[2J\\u{0}b"
        );
        assert_eq!(controls("x\u{202e}y\u{9b}"), "x\\u{202e}y\\u{9b}");
        assert_eq!(controls_but_lines("a\nb\tc\rd"), "a\nb\tc\\u{d}d");
        assert_eq!(controls("a\nb"), "a\\u{a}b");
        assert!(matches!(controls("añ ü"), Cow::Borrowed("añ ü")));
    }
}
