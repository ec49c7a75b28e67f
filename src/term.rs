//! The terminal: whether to colour, and how wide to wrap. Decided once, in `main`,
//! from `--color`, the environment and the real terminal.

use crate::cli::ColorChoice;

/// Whether to colour a stream. `--color always|never` wins; under `auto`,
/// `FORCE_COLOR` or `CLICOLOR_FORCE` (set, not empty, not `0`) turn colour on even
/// when piped (CI logs), `NO_COLOR` (set, not empty) turns it off, and otherwise a
/// terminal gets colour. `env` looks a variable up (the process environment in
/// `main`, a table in tests).
pub fn color(choice: ColorChoice, is_terminal: bool, env: &dyn Fn(&str) -> Option<String>) -> bool {
    let set = |name: &str| env(name).is_some_and(|v| !v.is_empty() && v != "0");
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if set("FORCE_COLOR") || set("CLICOLOR_FORCE") {
                true
            } else if env("NO_COLOR").is_some_and(|v| !v.is_empty()) {
                false
            } else {
                is_terminal
            }
        }
    }
}

/// The narrowest width worth wrapping to; `COLUMNS` below it is ignored.
const MIN_WIDTH: usize = 40;
/// The width when neither `COLUMNS` nor a terminal says.
pub const DEFAULT_WIDTH: usize = 100;

/// The width to wrap at: `COLUMNS` when it is a number of at least 40, else the
/// width of the terminal on standard output or standard error, else 100.
pub fn width(columns: Option<&str>, terminal: Option<usize>) -> usize {
    columns
        .and_then(|c| c.trim().parse().ok())
        .filter(|w: &usize| *w >= MIN_WIDTH)
        .or(terminal.filter(|w| *w >= MIN_WIDTH))
        .unwrap_or(DEFAULT_WIDTH)
}

/// The width of the terminal standard output is, if it is one (piped output keeps
/// the fixed default, so files and CI logs do not depend on who ran the command).
pub fn terminal_width() -> Option<usize> {
    terminal_size::terminal_size_of(std::io::stdout()).map(|(w, _)| usize::from(w.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn color_follows_flag_then_force_then_no_color_then_terminal() {
        use ColorChoice::*;
        assert!(color(Always, false, &env(&[("NO_COLOR", "1")])));
        assert!(!color(Never, true, &env(&[("FORCE_COLOR", "1")])));
        assert!(color(Auto, true, &env(&[])));
        assert!(!color(Auto, false, &env(&[])));
        assert!(!color(Auto, true, &env(&[("NO_COLOR", "1")])));
        // An empty NO_COLOR does not count (no-color.org).
        assert!(color(Auto, true, &env(&[("NO_COLOR", "")])));
        assert!(color(Auto, false, &env(&[("FORCE_COLOR", "1")])));
        assert!(color(Auto, false, &env(&[("CLICOLOR_FORCE", "1")])));
        assert!(color(
            Auto,
            false,
            &env(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")])
        ));
        assert!(!color(Auto, false, &env(&[("FORCE_COLOR", "0")])));
        assert!(!color(Auto, false, &env(&[("FORCE_COLOR", "")])));
    }

    #[test]
    fn width_prefers_columns_then_the_terminal() {
        assert_eq!(width(Some("120"), Some(80)), 120);
        assert_eq!(width(None, Some(80)), 80);
        assert_eq!(width(Some("abc"), Some(80)), 80);
        assert_eq!(width(Some("10"), None), 100);
        assert_eq!(width(None, None), 100);
        assert_eq!(width(None, Some(12)), 100);
    }
}
