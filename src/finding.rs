//! The one `Finding` type every rule returns and every output renders.

use std::fmt;

use serde::Serialize;

pub use crate::identity::RuleId;
use crate::source::Loc;
pub use crate::subject::{Key, Subject};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How sure a finding is: `high` when it follows from what the files declare,
/// `medium` or `low` when it comes from a word list or a name guess.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

/// A text many findings share: a help text, a label's text.
///
/// One word in a finding or label, where an `Arc<str>` is two: the run keeps every
/// finding and label until they are written (issue 14: 8 bytes of each of ~33,000
/// findings and ~60,000 labels at the 2,001-file project; with the subject key,
/// findings 120 -> 96 bytes, labels 32 -> 24). The text is one block more (16 bytes)
/// per distinct text, and most findings and labels say one of a rule's few texts.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SharedText(std::sync::Arc<Box<str>>);

impl std::ops::Deref for SharedText {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for SharedText {
    fn as_ref(&self) -> &str {
        self
    }
}

impl fmt::Debug for SharedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl fmt::Display for SharedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

impl From<&str> for SharedText {
    fn from(text: &str) -> Self {
        SharedText(std::sync::Arc::new(text.into()))
    }
}

impl From<String> for SharedText {
    fn from(text: String) -> Self {
        SharedText(std::sync::Arc::new(text.into_boxed_str()))
    }
}

/// A finding's help text, shared by the findings that give the same advice.
pub type Help = SharedText;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Label {
    pub loc: Loc,
    /// Shared by the labels that say the same: most labels of a run are a rule's fixed
    /// words ("declared for this") or the same few texts for each form or item, and a
    /// run keeps tens of thousands of them until they are written (issue 14: ~8,000
    /// distinct texts among ~60,000 labels at the 2,001-file project).
    pub message: LabelText,
}

/// A label's text, shared by the labels that say the same.
pub type LabelText = SharedText;

/// How many of its latest label and help texts a thread remembers to share.
const RECENT: usize = 16;

/// The latest texts of a kind a thread made, the newest at `next - 1`: a rule gives
/// the same few texts to finding after finding (the fields of a form, the reads of a
/// personalization, the limits of a few channels), and a finding saying one of them
/// shares its copy. A few compared texts, not a set of every text: the set would be
/// held at the run's peak, and a miss costs only a copy ([`crate::pipeline`] shares
/// the help texts a rule's findings still repeat once the rule is done).
struct Recent<T> {
    texts: [Option<T>; RECENT],
    next: usize,
}

impl<T: std::ops::Deref<Target = str> + Clone> Recent<T> {
    const fn new() -> Self {
        Recent {
            texts: [const { None }; RECENT],
            next: 0,
        }
    }

    /// The recent copy of `text`, or `make(text)` remembered as the newest.
    fn get_or_make(&mut self, text: &str, make: impl FnOnce(&str) -> T) -> T {
        // Newest first: a repeated text is mostly one of the last few.
        for i in (0..RECENT).map(|k| (self.next + RECENT - 1 - k) % RECENT) {
            if let Some(Some(t)) = self.texts.get(i)
                && **t == *text
            {
                return t.clone();
            }
        }
        let made = make(text);
        if let Some(slot) = self.texts.get_mut(self.next) {
            *slot = Some(made.clone());
        }
        self.next = (self.next + 1) % RECENT;
        made
    }
}

thread_local! {
    static LAST_LABELS: std::cell::RefCell<Recent<LabelText>> =
        const { std::cell::RefCell::new(Recent::new()) };
    /// Help texts as given, not shortened: a text that was shortened never equals its
    /// input, and is simply made again.
    static LAST_HELPS: std::cell::RefCell<Recent<Help>> =
        const { std::cell::RefCell::new(Recent::new()) };
    /// The help texts of the problems a reading thread met, as written.
    static LAST_PROBLEM_HELPS: std::cell::RefCell<Recent<Help>> =
        const { std::cell::RefCell::new(Recent::new()) };
}

/// `text` as a problem's help, as written (the finding it becomes shortens it): the copy
/// of a recent problem's help that says the same when there is one. A schema's advice
/// is the same for every file that makes the same mistake (issue 14: "use one of" and
/// the allowed values, 160 bytes, in each of thousands of forms).
pub(crate) fn problem_help(text: &str) -> Help {
    LAST_PROBLEM_HELPS.with_borrow_mut(|recent| recent.get_or_make(text, |t: &str| Help::from(t)))
}

/// `text` as a label's text: shortened like every text, and the copy of a recent
/// label that says the same when there is one.
fn label_text(text: &str) -> LabelText {
    let short = crate::clip::shortened(text);
    let text = short.as_deref().unwrap_or(text);
    LAST_LABELS.with_borrow_mut(|recent| recent.get_or_make(text, |t| LabelText::from(t)))
}

impl Label {
    pub fn new(loc: Loc, message: impl AsRef<str>) -> Self {
        Self {
            loc,
            message: label_text(message.as_ref()),
        }
    }
}

/// A help text as findings hold it: shortened like every text, made once for the
/// findings that give the same advice.
pub fn help_text(help: &str) -> Help {
    match crate::clip::shortened(help) {
        Some(short) => Help::from(short),
        None => Help::from(help),
    }
}

/// `parts` as one text of exactly their length: a message or label made of a few parts,
/// without `format!`'s spare room and the copy that drops it.
pub fn concat(parts: &[&str]) -> String {
    let mut s = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        s.push_str(p);
    }
    s
}

/// A text kept for the whole run without spare room: `format!` leaves up to twice the
/// length, and there are tens of thousands of messages (issue 14).
fn exact(s: String) -> Box<str> {
    s.into_boxed_str()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule's record: its name prints and serializes as before.
    pub rule: RuleId,
    pub severity: Severity,
    pub confidence: Confidence,
    /// Stands alone as a title. Exactly its length, like the labels' texts (issue 14).
    pub message: Box<str>,
    /// What is wrong here.
    pub primary: Label,
    /// Why: declarations in this or other files. A boxed slice: exactly the labels, and
    /// a word less than a `Vec` in every finding (most have none, issue 14).
    pub secondary: Box<[Label]>,
    /// What to do instead. Shared: most rules give the same few texts to thousands of
    /// findings, and the pipeline keeps one copy of each per run (issue 14).
    pub help: Option<Help>,
    /// What the finding is about, independent of line numbers (item ids and the
    /// matched thing), for baselines: kept compact, printed as the rule's [`Subject`].
    pub subject: Key,
}

impl Finding {
    /// A finding of `rule` at `primary`, with the rule's default severity; `subject`
    /// names what it is about without positions.
    pub fn new(rule: RuleId, primary: Label, message: impl Into<String>, subject: Subject) -> Self {
        Self {
            rule,
            severity: rule.severity(),
            confidence: Confidence::High,
            message: exact(crate::clip::text(message.into())),
            primary,
            secondary: Box::default(),
            help: None,
            subject: Key::from(subject),
        }
    }

    /// A severity other than the rule's default (one decided by the evidence).
    pub fn severity(mut self, s: Severity) -> Self {
        self.severity = s;
        self
    }

    pub fn confidence(mut self, c: Confidence) -> Self {
        self.confidence = c;
        self
    }

    /// What to do instead. A rule mostly gives the same few texts to many findings: a
    /// text equal to one of the last few this thread gave is not shortened and copied
    /// again, the finding shares the earlier copy (issue 14: the same few texts were
    /// held once per finding until the rule was done).
    pub fn help(mut self, help: impl AsRef<str>) -> Self {
        // Compared as given: a fixed text is not copied to find out it is a recent one.
        let shared =
            LAST_HELPS.with_borrow_mut(|recent| recent.get_or_make(help.as_ref(), help_text));
        self.help = Some(shared);
        self
    }

    /// A help text made once with [`help_text`] and given to many findings.
    pub fn shared_help(mut self, help: &Help) -> Self {
        self.help = Some(help.clone());
        self
    }

    /// Add a secondary label, unless it repeats the primary place.
    pub fn label(self, loc: Loc, message: impl AsRef<str>) -> Self {
        if loc == self.primary.loc {
            return self;
        }
        self.with_label(Label::new(loc, message))
    }

    pub fn labels(mut self, labels: impl IntoIterator<Item = Label>) -> Self {
        for l in labels {
            if l.loc != self.primary.loc {
                self = self.with_label(l);
            }
        }
        self
    }

    fn with_label(mut self, label: Label) -> Self {
        // Room for exactly the labels: a first push keeps room for four, and most
        // findings have one or two for the whole run (issue 14).
        let mut labels = std::mem::take(&mut self.secondary).into_vec();
        labels.reserve_exact(1);
        labels.push(label);
        self.secondary = labels.into_boxed_slice();
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run keeps every finding until it is written (15,000 at 2,000 forms): a field
    /// added to `Finding` or `Subject` costs that many times its size (issue 14).
    #[test]
    fn a_finding_stays_small() {
        assert!(size_of::<Key>() <= 16, "{}", size_of::<Key>());
        assert!(size_of::<Label>() <= 24, "{}", size_of::<Label>());
        assert!(size_of::<Finding>() <= 96, "{}", size_of::<Finding>());
    }
}
