//! Long values in messages: a finding quotes the value it is about (an id, a purpose),
//! and a 2 MB id on 200 findings would make 400 MB of output. Quoted values and whole
//! texts are shortened with an ellipsis; spans are untouched, so they still point at
//! the whole value.

/// The most characters of a quoted (`code`) value kept in a message or label.
pub const MAX_QUOTED_CHARS: usize = 80;
/// The most characters of a whole message, label or help text.
pub const MAX_TEXT_CHARS: usize = 1_000;
/// The most characters of a finding's subject (its baseline identity).
pub const MAX_SUBJECT_CHARS: usize = 200;

/// `s` cut to its first `head` and last `tail` characters around an ellipsis, when
/// longer than `head + tail + 1`.
fn cut(s: &str, head: usize, tail: usize) -> Option<String> {
    let count = s.chars().count();
    if count <= head + tail + 1 {
        return None;
    }
    let start: String = s.chars().take(head).collect();
    let end: String = s.chars().skip(count - tail).collect();
    Some(format!("{start}…{end}"))
}

/// Quoted values over [`MAX_QUOTED_CHARS`] and texts over [`MAX_TEXT_CHARS`] shortened.
pub fn text(s: String) -> String {
    shortened(&s).unwrap_or(s)
}

/// [`text`] of a borrowed text: `None` when it is short enough as it is.
pub fn shortened(s: &str) -> Option<String> {
    if s.len() <= MAX_QUOTED_CHARS {
        return None;
    }
    let mut out: Option<String> = None;
    // `a` `b` `c`: odd parts are quoted values, when every quote is closed.
    // The parts are not collected to find out: help texts and most messages of a run
    // are longer than a quoted value and have none to cut (issue 14).
    if s.matches('`').count().is_multiple_of(2)
        && s.split('`')
            .skip(1)
            .step_by(2)
            .any(|p| p.len() > MAX_QUOTED_CHARS)
    {
        let mut shortened = String::new();
        for (i, part) in s.split('`').enumerate() {
            if i > 0 {
                shortened.push('`');
            }
            match (i % 2 == 1)
                .then(|| cut(part, MAX_QUOTED_CHARS - 20, 19))
                .flatten()
            {
                Some(short) => shortened.push_str(&short),
                None => shortened.push_str(part),
            }
        }
        out = Some(shortened);
    }
    let now = out.as_deref().unwrap_or(s);
    if now.len() > MAX_TEXT_CHARS
        && let Some(short) = cut(now, MAX_TEXT_CHARS - 200, 199)
    {
        out = Some(short);
    }
    out
}

/// A subject over [`MAX_SUBJECT_CHARS`]: its head and its tail, which names the
/// field or item a finding is about. Two long subjects that differ only in the middle
/// become one baseline key, told apart by its occurrence index.
pub fn subject(s: String) -> String {
    if s.len() <= MAX_SUBJECT_CHARS {
        return s;
    }
    cut(&s, MAX_SUBJECT_CHARS - 60, 59).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_quoted_values_keep_their_ends() {
        let id = format!("start{}end", "x".repeat(2_000_000));
        let message = text(format!("`{id}` does not say why it is collected"));
        assert_eq!(
            message,
            format!(
                "`start{}…{}end` does not say why it is collected",
                "x".repeat(55),
                "x".repeat(16)
            )
        );
        assert_eq!(text("`short` value".into()), "`short` value");
        let plain = "é".repeat(5_000);
        let cut = text(plain);
        assert_eq!(cut.chars().count(), MAX_TEXT_CHARS);
        assert!(cut.contains('…'));
    }

    #[test]
    fn long_subjects_stay_distinct() {
        let a = subject(format!("form:{} field:a", "x".repeat(1_000)));
        let b = subject(format!("form:{} field:b", "x".repeat(1_000)));
        assert_ne!(a, b);
        assert!(a.chars().count() <= MAX_SUBJECT_CHARS);
        assert_eq!(subject("p geo".into()), "p geo");
    }
}
