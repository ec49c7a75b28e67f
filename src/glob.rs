//! Glob matching for `exclude` patterns: `*` within a path segment, `**` across
//! segments, `?` one character. Patterns match the displayed (relative, `/`) path.
//! Each pattern is compiled once to a regular expression, whose finite automaton
//! matches in time linear in the path, whatever the pattern (a backtracking matcher
//! takes exponential time on `*a*a*a*a*b`).

use regex::Regex;

#[derive(Debug, Clone)]
pub struct Glob {
    pattern: String,
    /// `None` only for a pattern too large to compile, which then matches nothing.
    re: Option<Regex>,
    /// The folder the pattern is relative to (the configuration file's), when not the
    /// current folder.
    base: Option<std::path::PathBuf>,
}

impl PartialEq for Glob {
    fn eq(&self, other: &Self) -> bool {
        self.pattern == other.pattern && self.base == other.base
    }
}

/// A path made absolute without following its last component (a symbolic link is
/// not followed), for comparing with a base folder.
fn absolute(path: &std::path::Path) -> Option<std::path::PathBuf> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let parent = std::fs::canonicalize(&parent).ok()?;
    match path.file_name() {
        Some(name) => Some(parent.join(name)),
        None => Some(parent),
    }
}

impl Glob {
    pub fn new(pattern: &str) -> Self {
        let pattern = pattern.trim_start_matches("./").to_string();
        let re = Regex::new(&to_regex(&pattern)).ok();
        Self {
            pattern,
            re,
            base: None,
        }
    }

    /// The same pattern, relative to `folder` (the folder of the configuration file
    /// that wrote it), as in other linters.
    pub fn relative_to(self, folder: &std::path::Path) -> Self {
        Self {
            base: std::fs::canonicalize(folder).ok().or(self.base),
            ..self
        }
    }

    /// Whether a file or folder met while walking is excluded: its path relative to
    /// the pattern's folder (or as displayed, when the pattern has none) matches.
    pub fn matches_path(&self, path: &std::path::Path) -> bool {
        match &self.base {
            None => self.matches(&crate::source::display_path(path)),
            Some(base) => absolute(path)
                .and_then(|p| {
                    p.strip_prefix(base).ok().map(|rel| {
                        rel.components()
                            .map(|c| c.as_os_str().to_string_lossy().into_owned())
                            .collect::<Vec<_>>()
                            .join("/")
                    })
                })
                .is_some_and(|rel| self.matches(&rel)),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    /// Whether the path, or any folder above it, matches.
    pub fn matches(&self, path: &str) -> bool {
        self.re.as_ref().is_some_and(|re| re.is_match(path))
    }
}

/// The pattern as an anchored regular expression. `**` (with the `/` after it) matches
/// nothing or whole folders; a match may stop at a `/`, so `legacy` also covers
/// `legacy/a.yaml`.
fn to_regex(pattern: &str) -> String {
    let mut re = String::from("^");
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                if chars.peek().is_none() {
                    re.push_str(".*");
                } else {
                    chars.next_if_eq(&'/');
                    re.push_str("(?:.*/)?");
                }
            }
            '*' => re.push_str("[^/]*"),
            '?' => re.push_str("[^/]"),
            c => re.push_str(&regex::escape(c.encode_utf8(&mut [0; 4]))),
        }
    }
    re.push_str("(?:/.*)?$");
    re
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(Glob::new("legacy/**").matches("legacy/a/b.yaml"));
        assert!(Glob::new("legacy").matches("legacy/a.yaml"));
        assert!(Glob::new("**/*.json").matches("a/b/c.json"));
        assert!(Glob::new("*.json").matches("c.json"));
        assert!(!Glob::new("*.json").matches("a/c.yaml"));
        assert!(Glob::new("examples/*/old-*.yaml").matches("examples/shop/old-forms.yaml"));
        assert!(!Glob::new("legacy/**").matches("src/legacy.yaml"));
    }

    #[test]
    fn more_glob_semantics() {
        assert!(Glob::new("**").matches("a/b.yaml"));
        assert!(Glob::new("a/**/b.yaml").matches("a/b.yaml"));
        assert!(Glob::new("a/**/b.yaml").matches("a/x/y/b.yaml"));
        assert!(!Glob::new("a/**/b.yaml").matches("ab.yaml"));
        assert!(Glob::new("?.yaml").matches("x.yaml"));
        assert!(!Glob::new("?.yaml").matches("xy.yaml"));
        assert!(!Glob::new("a?b").matches("a/b"));
        assert!(Glob::new("./old").matches("old/x.yaml"));
        assert!(!Glob::new("old").matches("older/x.yaml"));
        // Regular-expression characters are literal.
        assert!(Glob::new("a.(b)+[c]{d}$^|\\.yaml").matches("a.(b)+[c]{d}$^|\\.yaml"));
        assert!(!Glob::new("a.yaml").matches("abyaml"));
    }

    #[test]
    fn stars_do_not_backtrack() {
        // A backtracking matcher explores about C(40, 10) = 850 million splits here;
        // an automaton reads the 40 characters once per state.
        let g = Glob::new("*a*a*a*a*a*a*a*a*a*a*b");
        let name = "a".repeat(40);
        assert!(!g.matches(&name));
        assert!(!g.matches(&format!("{name}/{name}/{name}")));
        assert!(g.matches(&format!("{name}b")));
    }
}
