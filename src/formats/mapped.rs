//! What the readers of other tools' declarations (Fides, Apple privacy manifests, event
//! schemas) share: spanned texts and item spans from the tree, and the small helpers
//! that turn another vocabulary into creeplint's.

use super::tree::Node;
use crate::model::{At, Text, Use};
use crate::source::{FileId, Loc, Span};

/// The file being read, to turn tree spans into locations.
#[derive(Clone, Copy)]
pub(crate) struct Cx<'a> {
    pub file: FileId,
    pub text: &'a str,
}

impl Cx<'_> {
    pub fn loc(&self, span: Span) -> Loc {
        Loc {
            file: self.file,
            span,
        }
    }

    /// A scalar as text, marked verbatim when the file holds exactly that text (plain
    /// or simply quoted), so a word inside it can be pointed at.
    pub fn text(&self, node: Option<&Node>) -> Option<Text> {
        super::node_text(node?, self.text, self.file)
    }

    /// A non-blank text.
    pub fn words(&self, node: Option<&Node>) -> Option<Text> {
        self.text(node).filter(|t| !t.is_blank())
    }

    /// A whole item: from its first key to the end of its last value.
    pub fn item(&self, node: &Node) -> Loc {
        let start = node.head_span().start();
        let end = super::native::last_end(node).max(start);
        self.loc(Span::new(start, end - start))
    }
}

/// Adds uses, each once, at `loc`.
pub(crate) fn add_uses(out: &mut Vec<At<Use>>, uses: &[Use], loc: Loc) {
    for u in uses {
        if !out.iter().any(|x| x.value == *u) {
            out.push(At { value: *u, loc });
        }
    }
}

/// The entry of `table` whose key is the longest dotted prefix of `key` (`a.b` matches
/// `a.b` and `a.b.c`, not `a.bc`).
pub(crate) fn longest_prefix<'t, T>(table: &'t [(&'static str, T)], key: &str) -> Option<&'t T> {
    table
        .iter()
        .filter(|(prefix, _)| {
            key == *prefix
                || key
                    .strip_prefix(prefix)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
        .max_by_key(|(prefix, _)| prefix.len())
        .map(|(_, v)| v)
}

/// A name turned into an id segment: `Sign In Failed` -> `sign_in_failed`.
pub(crate) fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars() {
        if c.is_alphanumeric() || c == '-' {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_match_on_dots() {
        let table = [("user", 1), ("user.contact", 2), ("user.contact.email", 3)];
        assert_eq!(longest_prefix(&table, "user.contact.email"), Some(&3));
        assert_eq!(
            longest_prefix(&table, "user.contact.phone_number"),
            Some(&2)
        );
        assert_eq!(longest_prefix(&table, "user.contacts"), Some(&1));
        assert_eq!(longest_prefix(&table, "system.operations"), None);
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Sign In Failed"), "sign_in_failed");
        assert_eq!(slug("send email to"), "send_email_to");
        assert_eq!(slug("  user.id "), "user_id");
    }
}
