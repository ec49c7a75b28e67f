//! Minimal glob matching for `exclude` patterns: `*` within a path segment, `**` across
//! segments, `?` one character. Patterns match the displayed (relative, `/`) path.

#[derive(Debug, Clone, PartialEq)]
pub struct Glob {
    pattern: String,
}

impl Glob {
    pub fn new(pattern: &str) -> Self {
        Self {
            pattern: pattern.trim_start_matches("./").to_string(),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    /// Whether the path, or any folder above it, matches.
    pub fn matches(&self, path: &str) -> bool {
        let p: Vec<char> = self.pattern.chars().collect();
        let mut prefix = String::new();
        for (i, seg) in path.split('/').enumerate() {
            if i > 0 {
                prefix.push('/');
            }
            prefix.push_str(seg);
            let s: Vec<char> = prefix.chars().collect();
            if matches(&p, &s) {
                return true;
            }
        }
        false
    }
}

fn matches(p: &[char], s: &[char]) -> bool {
    match p.first() {
        None => s.is_empty(),
        Some('*') if p.get(1) == Some(&'*') => {
            let rest = p.get(2..).unwrap_or_default();
            let rest = rest.strip_prefix(&['/']).unwrap_or(rest);
            (0..=s.len()).any(|i| {
                s.get(i..).is_some_and(|tail| {
                    (i == 0 || s.get(i - 1) == Some(&'/') || rest.is_empty()) && matches(rest, tail)
                })
            })
        }
        Some('*') => {
            let rest = p.get(1..).unwrap_or_default();
            (0..=s.len())
                .take_while(|&i| i == 0 || s.get(i - 1) != Some(&'/'))
                .any(|i| s.get(i..).is_some_and(|tail| matches(rest, tail)))
        }
        Some('?') => {
            s.first().is_some_and(|c| *c != '/')
                && matches(
                    p.get(1..).unwrap_or_default(),
                    s.get(1..).unwrap_or_default(),
                )
        }
        Some(c) => {
            s.first() == Some(c)
                && matches(
                    p.get(1..).unwrap_or_default(),
                    s.get(1..).unwrap_or_default(),
                )
        }
    }
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
}
