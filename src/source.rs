//! One loaded file: its display path, its text and a line index. Every span in
//! creeplint is a byte range into one of these; lines and columns are derived here only.

use std::path::{Path, PathBuf};

/// Index of a file in the [`Sources`] table. 32 bits: a run reads far fewer than four
/// billion files, and a `Loc` of 12 bytes instead of 24 is held in every model value
/// (issue 14).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

impl FileId {
    /// The id of the file at `index` in path order; an index past `u32::MAX` (never
    /// reached: no run holds that many files) saturates instead of wrapping.
    pub const fn new(index: usize) -> Self {
        Self(clamp_u32(index))
    }
    /// The file's place in the [`Sources`] table.
    pub const fn index(self) -> usize {
        self.0 as usize
    }
}

/// A byte range inside one file. 32-bit offsets: texts are at most 8 MiB
/// ([`crate::io::MAX_FILE_BYTES`]), so every span of a read file fits (issue 14).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub offset: u32,
    pub len: u32,
}

/// `n` as 32 bits, `u32::MAX` when larger (no file creeplint reads comes near it).
const fn clamp_u32(n: usize) -> u32 {
    if n > u32::MAX as usize {
        u32::MAX
    } else {
        n as u32
    }
}

impl Span {
    /// A span from byte offsets. An offset past `u32::MAX` clamps to it, and the length
    /// to what is left up to it, so the end never wraps (files are at most 8 MiB: never
    /// reached from input).
    pub const fn new(offset: usize, len: usize) -> Self {
        let offset = clamp_u32(offset);
        let len = clamp_u32(len);
        let room = u32::MAX - offset;
        Self {
            offset,
            len: if len > room { room } else { len },
        }
    }
    /// Where the span starts, as a byte offset into the text.
    pub const fn start(&self) -> usize {
        self.offset as usize
    }
    /// Its length in bytes.
    pub const fn len(&self) -> usize {
        self.len as usize
    }
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }
    /// Just past its last byte.
    pub const fn end(&self) -> usize {
        self.offset as usize + self.len as usize
    }
}

/// A span in a known file: where a value of the model came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc {
    pub file: FileId,
    pub span: Span,
}

/// A 1-based line and a 1-based column counted in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// The language a file is written in, as its reader saw it: named in the human output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Language {
    /// No reader claimed the file.
    #[default]
    Unknown,
    Yaml,
    Json,
    Html,
    Xml,
    /// Another format, by the name editors and highlighters know it by (a reader outside
    /// this crate, like the test suite's).
    Other(&'static str),
}

impl Language {
    /// The name highlighters know (`yaml`, `json`, `html`, `xml`); `text` when unknown.
    pub fn name(self) -> &'static str {
        match self {
            Language::Unknown => "text",
            Language::Yaml => "yaml",
            Language::Json => "json",
            Language::Html => "html",
            Language::Xml => "xml",
            Language::Other(name) => name,
        }
    }
}

/// The text of the spans a file keeps once its text is let go of, by span.
type KeptSpans = Box<[(Span, Box<str>)]>;

#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user named or walked it.
    pub path: PathBuf,
    /// The path shown in output: relative to the current folder when under it, `/` separators.
    pub display: String,
    pub text: String,
    /// Set by the reader that read the file.
    pub language: Language,
    /// The name of the reader that read the file (`native`, `fides`, ...), when one did.
    pub reader: Option<&'static str>,
    /// Where each line starts.
    line_starts: LineStarts,
    /// Set once the text is let go of ([`SourceFile::let_go_of_text`]): the text's length
    /// (it was ASCII, so a byte is a character) and the text of the spans kept, by span
    /// (no block when none is: a box holding the length and a list was 48 bytes a file,
    /// issue 14).
    kept: Option<(usize, KeptSpans)>,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: String) -> Self {
        let display = display_path(&path);
        let line_starts = LineStarts::of(&text);
        Self {
            path,
            display,
            text,
            language: Language::Unknown,
            reader: None,
            line_starts,
            kept: None,
        }
    }

    /// The text's length in bytes, also once it is let go of.
    pub fn len(&self) -> usize {
        self.kept.as_ref().map_or(self.text.len(), |(len, _)| *len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the file still holds its whole text (it was not let go of).
    pub fn holds_text(&self) -> bool {
        self.kept.is_none()
    }

    /// Let go of the text of an ASCII file, keeping only its line starts (every line
    /// and column is still known: in ASCII a byte is a character) and the text of
    /// `keep`, which [`SourceFile::slice`] still gives. Outputs that write positions
    /// only (JSON, SARIF, GitHub) do not need the rest: about 1.4 KB of each form file
    /// held to the end of the run (issue 14). A text with other characters is kept
    /// whole (columns count characters). Returns whether the text was let go of.
    pub fn let_go_of_text(&mut self, keep: impl IntoIterator<Item = Span>) -> bool {
        if !self.holds_text() || !self.text.is_ascii() {
            return false;
        }
        let mut spans: Vec<(Span, Box<str>)> = keep
            .into_iter()
            .filter_map(|span| Some((span, Box::from(self.text.get(span.start()..span.end())?))))
            .collect();
        spans.sort_by_key(|(span, _)| *span);
        spans.dedup_by_key(|(span, _)| *span);
        self.kept = Some((self.text.len(), spans.into_boxed_slice()));
        self.text = String::new();
        true
    }

    /// Line and column of a byte offset; offsets past the end clamp to the end,
    /// offsets inside a character snap back to its start.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let mut offset = offset.min(self.len());
        while self.kept.is_none() && !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let (line, start) = self.line_starts.line_at(offset);
        let column = if self.kept.is_some() {
            offset.saturating_sub(start)
        } else {
            self.text
                .get(start..offset)
                .map_or(0, |s| s.chars().count())
        } + 1;
        LineCol {
            line: line + 1,
            column,
        }
    }

    /// The text of a span, if the span lies on character boundaries inside the file;
    /// once the text is let go of, only the text of the spans kept.
    pub fn slice(&self, span: Span) -> Option<&str> {
        match &self.kept {
            Some((_, k)) => k
                .binary_search_by_key(&span, |(s, _)| *s)
                .ok()
                .and_then(|i| k.get(i))
                .map(|(_, text)| &**text),
            None => self.text.get(span.start()..span.end()),
        }
    }

    /// The byte range of a 1-based line, without its line break (`None` once the text
    /// is let go of: whether a line ends in `\r` went with it).
    pub fn line_span(&self, line: usize) -> Option<Span> {
        if self.kept.is_some() {
            return None;
        }
        let start = self.line_starts.get(line.checked_sub(1)?)?;
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |next| next.saturating_sub(1));
        let end = if self.text.get(..end).is_some_and(|s| s.ends_with('\r')) {
            end - 1
        } else {
            end
        };
        Some(Span::new(start, end.saturating_sub(start)))
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The 1-based line that holds a byte offset (offsets past the end: the last line).
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts.line_at(offset).0 + 1
    }
}

/// Where each line of a file starts: 0, and just past every `\n`. Held for every file
/// to the end of the run, to turn offsets into lines and columns, in as few bytes as the
/// file allows (issue 14):
/// - `Narrow`: the distance from each start to the next, a byte each, when every line
///   is under 256 bytes and there are at most [`LineStarts::NARROW_LINES`] of them, as
///   in nearly every form, data and flag file (a 94-line form file: 94 bytes, from 188 in
///   16 bits and 376 in 32). A start is found by adding up to that many distances.
/// - `Medium`: the starts in 16 bits, when the file is under 64 KiB;
/// - `Wide`: in 32 (files are at most 8 MiB).
#[derive(Debug)]
enum LineStarts {
    Narrow(Box<[u8]>),
    Medium(Box<[u16]>),
    Wide(Box<[u32]>),
}

impl LineStarts {
    /// The most lines held as distances: a start is then found in at most 127 sums of
    /// eight and 7 additions ([`LineStarts::narrow_line_at`]), where halving
    /// (`partition_point`) takes ten steps. Nine files in ten of the shared corpus have
    /// fewer lines (43 of 46), and 41 of 46 are held so.
    const NARROW_LINES: usize = 1024;

    /// The line starts of `text`. The breaks are found with `memchr` (a few instructions
    /// a byte; splitting with `match_indices` cost 14, issue 14) and counted before the
    /// list is filled, so it is allocated once, at its length.
    fn of(text: &str) -> Self {
        let bytes = text.as_bytes();
        if u16::try_from(bytes.len()).is_err() {
            return LineStarts::Wide(Self::starts(bytes, u32::MAX));
        }
        let breaks = memchr::memchr_iter(b'\n', bytes).count();
        if breaks < Self::NARROW_LINES {
            let mut gaps = Vec::with_capacity(breaks);
            let mut last = 0;
            for i in memchr::memchr_iter(b'\n', bytes) {
                let Ok(gap) = u8::try_from(i + 1 - last) else {
                    break; // a line of 256 bytes or more
                };
                gaps.push(gap);
                last = i + 1;
            }
            if gaps.len() == breaks {
                return LineStarts::Narrow(gaps.into_boxed_slice());
            }
        }
        LineStarts::Medium(Self::starts(bytes, u16::MAX))
    }

    /// The starts of `bytes`' lines as `T`, at most `max`.
    fn starts<T: TryFrom<usize> + Default + Copy>(bytes: &[u8], max: T) -> Box<[T]> {
        // Counted by `memchr`'s own count (through a `map`, each break was visited).
        let mut starts = Vec::with_capacity(1 + memchr::memchr_iter(b'\n', bytes).count());
        starts.push(T::default()); // the first line, at 0
        starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| T::try_from(i + 1).unwrap_or(max)));
        starts.into_boxed_slice()
    }

    /// How many lines there are.
    fn len(&self) -> usize {
        match self {
            LineStarts::Narrow(gaps) => gaps.len() + 1,
            LineStarts::Medium(s) => s.len(),
            LineStarts::Wide(s) => s.len(),
        }
    }

    /// Where the line at index `i` (0-based) starts.
    fn get(&self, i: usize) -> Option<usize> {
        match self {
            LineStarts::Narrow(gaps) => {
                let gaps = gaps.get(..i)?;
                let rest = gaps.chunks_exact(8).remainder();
                Some(
                    Self::eights(gaps).map(Self::sum_of_bytes).sum::<usize>()
                        + rest.iter().map(|&g| usize::from(g)).sum::<usize>(),
                )
            }
            LineStarts::Medium(s) => s.get(i).map(|&x| usize::from(x)),
            LineStarts::Wide(s) => s.get(i).map(|&x| x as usize),
        }
    }

    /// The line (0-based) that holds `offset`, and where it starts: the last line that
    /// starts at or before it (offsets past the end: the last line).
    fn line_at(&self, offset: usize) -> (usize, usize) {
        match self {
            LineStarts::Narrow(gaps) => Self::narrow_line_at(gaps, offset),
            LineStarts::Medium(s) => {
                let line = s.partition_point(|&x| usize::from(x) <= offset).max(1) - 1;
                (line, s.get(line).map_or(0, |&x| usize::from(x)))
            }
            LineStarts::Wide(s) => {
                let line = s.partition_point(|&x| x as usize <= offset).max(1) - 1;
                (line, s.get(line).map_or(0, |&x| x as usize))
            }
        }
    }

    /// [`Self::line_at`] over distances, in one pass: eight lines at a time while the
    /// offset lies past them, then one by one (at most 127 runs and 7 steps). Every
    /// distance is at least 1, so the starts only grow: a run whose end is at or before
    /// the offset holds no line past it. A run's eight distances are added as one 64-bit
    /// word (about ten instructions; the compiler made 46 of a loop over sixteen bytes,
    /// and the benchmark's project places about 120,000 offsets).
    fn narrow_line_at(gaps: &[u8], offset: usize) -> (usize, usize) {
        let (mut line, mut start) = (0, 0);
        for run in Self::eights(gaps) {
            let length = Self::sum_of_bytes(run);
            if start + length > offset {
                break;
            }
            (line, start) = (line + 8, start + length);
        }
        for &gap in gaps.get(line..).unwrap_or_default() {
            let next = start + usize::from(gap);
            if next > offset {
                break;
            }
            (line, start) = (line + 1, next);
        }
        (line, start)
    }

    /// `gaps` in runs of eight, as long as whole runs last (the rest is left out).
    fn eights(gaps: &[u8]) -> impl Iterator<Item = [u8; 8]> + '_ {
        gaps.chunks_exact(8).filter_map(|run| run.try_into().ok())
    }

    /// The sum of eight bytes: pairs added into four 16-bit lanes (at most 510 each),
    /// which one multiplication adds into the top lane (at most 2,040: no carry out).
    fn sum_of_bytes(run: [u8; 8]) -> usize {
        const LOW: u64 = 0x00FF_00FF_00FF_00FF;
        let word = u64::from_le_bytes(run);
        let pairs = (word & LOW) + ((word >> 8) & LOW);
        usize::from((pairs.wrapping_mul(0x0001_0001_0001_0001) >> 48) as u16)
    }

    /// Every start, in order.
    #[cfg(test)]
    fn all(&self) -> Vec<usize> {
        (0..self.len()).filter_map(|i| self.get(i)).collect()
    }
}

/// Every file read in one run, addressed by [`FileId`].
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    /// The files of `files`, numbered in order, the list's spare room given back.
    pub fn from_files(mut files: Vec<SourceFile>) -> Self {
        files.shrink_to_fit();
        Self { files }
    }
    /// Room for `n` more files, exactly: a file's entry is over a hundred bytes, and
    /// doubling the list as it filled left up to half of it unused (2 MB at 50,000
    /// files; issue 14).
    pub fn reserve_exact(&mut self, n: usize) {
        self.files.reserve_exact(n);
    }
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId::new(self.files.len() - 1)
    }
    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.index())
    }
    pub fn display(&self, id: FileId) -> &str {
        self.get(id).map_or("<unknown>", |f| f.display.as_str())
    }
    pub fn line_col(&self, loc: Loc) -> LineCol {
        self.get(loc.file)
            .map_or(LineCol { line: 1, column: 1 }, |f| {
                f.line_col(loc.span.start())
            })
    }
    /// Line and column just past the end of a span (the end position of a range).
    pub fn end_line_col(&self, loc: Loc) -> LineCol {
        self.get(loc.file)
            .map_or(LineCol { line: 1, column: 1 }, |f| {
                f.line_col(loc.span.end())
            })
    }
    /// [`SourceFile::let_go_of_text`] of every file, each keeping the spans of `keep`
    /// that lie in it.
    pub fn let_go_of_texts(&mut self, mut keep: Vec<Loc>) {
        keep.sort_unstable();
        let mut rest = keep.as_slice();
        for (i, f) in self.files.iter_mut().enumerate() {
            let id = FileId::new(i);
            let before = rest.partition_point(|l| l.file < id);
            let mine = rest.get(before..).unwrap_or_default();
            let n = mine.partition_point(|l| l.file == id);
            let (here, after) = mine.split_at(n.min(mine.len()));
            f.let_go_of_text(here.iter().map(|l| l.span));
            rest = after;
        }
    }
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        crate::work::add(crate::work::Kind::Files, self.files.len() as u64);
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId::new(i), f))
    }
    pub fn len(&self) -> usize {
        self.files.len()
    }
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Relative to the current folder when under it, with `/` separators, so output is
/// the same on every machine and matches what users type.
pub fn display_path(path: &Path) -> String {
    // Only an absolute path is shown relative to the current folder: a relative one
    // (the usual `check forms`) does not ask the system for it, twice a file (issue 14).
    let cwd = if path.is_absolute() {
        std::env::current_dir().ok()
    } else {
        None
    };
    let shown = match &cwd {
        Some(cwd) => path.strip_prefix(cwd).unwrap_or(path),
        None => path,
    };
    let shown = shown.strip_prefix(".").unwrap_or(shown);
    let s = join_components(shown);
    if s.is_empty() { ".".to_string() } else { s }
}

/// The components joined by `/`; the root of an absolute path is its leading `/`
/// (joining it like a name gave `//srv/app`, which SARIF reads as a host `srv`).
fn join_components(path: &Path) -> String {
    use std::path::Component;
    if let Some(text) = path.to_str()
        && is_joined(text)
    {
        return text.to_string();
    }
    let mut s = String::new();
    for c in path.components() {
        match c {
            Component::Prefix(p) => s.push_str(&p.as_os_str().to_string_lossy()),
            Component::RootDir => s.push('/'),
            other => {
                if !s.is_empty() && !s.ends_with('/') {
                    s.push('/');
                }
                s.push_str(&other.as_os_str().to_string_lossy());
            }
        }
    }
    s
}

/// Whether a path's text is already its components joined by `/` (no `.` component,
/// no empty one but a leading root, `/` the separator): the common path, copied as it
/// is instead of rebuilt component by component.
fn is_joined(text: &str) -> bool {
    cfg!(unix)
        && text.len() > 1
        && text
            .split('/')
            .enumerate()
            .all(|(i, part)| (i == 0 || !part.is_empty()) && part != ".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let mut f = SourceFile::new("a.yaml".into(), "a: é\nlabel: Año x\n".into());
        // A file with other characters than ASCII keeps its text: columns need it.
        assert!(!f.let_go_of_text([Span::new(0, 1)]));
        assert_eq!(f.text, "a: é\nlabel: Año x\n");
        let x = f.text.find('x').unwrap_or(0);
        assert_eq!(
            f.line_col(x),
            LineCol {
                line: 2,
                column: 12
            }
        );
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(9999), LineCol { line: 3, column: 1 });
    }

    #[test]
    fn an_ascii_file_lets_go_of_its_text_but_not_of_its_positions() {
        let text = "kind: data\r\nid: visits\nsource: \"web.history\"\n\nlast";
        let whole = SourceFile::new("d.yaml".into(), text.into());
        let mut f = SourceFile::new("d.yaml".into(), text.into());
        let term = Span::new(text.find('"').unwrap_or(0), 13);
        let other = Span::new(0, 4);
        assert!(f.let_go_of_text([term, term]));
        assert!(f.text.is_empty());
        assert!(!f.holds_text() && whole.holds_text());
        assert_eq!(f.len(), text.len());
        for offset in 0..text.len() + 3 {
            assert_eq!(f.line_col(offset), whole.line_col(offset), "{offset}");
            assert_eq!(f.line_of(offset), whole.line_of(offset), "{offset}");
        }
        assert_eq!(f.line_count(), whole.line_count());
        // The kept span still reads; others, and whole lines, no longer do.
        assert_eq!(f.slice(term), Some("\"web.history\""));
        assert_eq!(whole.slice(other), Some("kind"));
        assert_eq!(f.slice(other), None);
        assert_eq!(f.line_span(1), None);
        // Once is enough: a second call changes nothing.
        assert!(!f.let_go_of_text([other]));
        assert_eq!(f.slice(term), Some("\"web.history\""));
    }

    #[test]
    fn sources_let_go_of_each_files_text_keeping_its_own_spans() {
        let mut sources = Sources::default();
        let a = sources.add(SourceFile::new("a.yaml".into(), "one two".into()));
        let b = sources.add(SourceFile::new("b.yaml".into(), "three four".into()));
        let c = sources.add(SourceFile::new("c.yaml".into(), "cinq é".into()));
        let at = |file, offset, len| Loc {
            file,
            span: Span::new(offset, len),
        };
        sources.let_go_of_texts(vec![at(b, 6, 4), at(a, 4, 3), at(c, 0, 4)]);
        let slice = |loc: Loc| sources.get(loc.file).and_then(|f| f.slice(loc.span));
        assert_eq!(slice(at(a, 4, 3)), Some("two"));
        assert_eq!(slice(at(a, 0, 3)), None);
        assert_eq!(slice(at(b, 6, 4)), Some("four"));
        assert_eq!(slice(at(b, 4, 3)), None);
        // Not ASCII: kept whole.
        assert_eq!(slice(at(c, 5, 2)), Some("é"));
    }

    #[test]
    fn absolute_paths_outside_the_current_folder_keep_one_slash() {
        assert_eq!(
            display_path(Path::new("/nonexistent-root/app/forms/f.yaml")),
            "/nonexistent-root/app/forms/f.yaml"
        );
        assert_eq!(display_path(Path::new("/")), "/");
        assert_eq!(display_path(Path::new("./a/./b.yaml")), "a/b.yaml");
        assert_eq!(display_path(Path::new("../shop/a.yaml")), "../shop/a.yaml");
    }

    #[test]
    fn joined_text_is_the_components_joined() {
        for text in [
            "a/b.yaml",
            "/srv/app/f.yaml",
            "a//b",
            "a/",
            "a/./b",
            "a/.",
            "/",
            "//x",
            "../shop/a.yaml",
            "a/../b",
            "x",
            ".hidden/f.yaml",
            "a/.fides/b",
        ] {
            let mut slow = String::new();
            for c in Path::new(text).components() {
                match c {
                    std::path::Component::RootDir => slow.push('/'),
                    other => {
                        if !slow.is_empty() && !slow.ends_with('/') {
                            slow.push('/');
                        }
                        slow.push_str(&other.as_os_str().to_string_lossy());
                    }
                }
            }
            assert_eq!(join_components(Path::new(text)), slow, "{text}");
        }
    }

    #[test]
    fn spans_past_32_bits_clamp_instead_of_wrapping() {
        let at = u32::MAX as usize;
        assert_eq!(Span::new(at + 10, 5), Span::new(at, 0));
        assert_eq!(Span::new(at - 2, 10).end(), at);
        assert_eq!(Span::new(7, usize::MAX).end(), at);
        assert_eq!(Span::new(3, 4).start(), 3);
        assert_eq!(Span::new(3, 4).end(), 7);
        assert_eq!(FileId::new(usize::MAX), FileId(u32::MAX));
        assert_eq!(FileId::new(5).index(), 5);
    }

    #[test]
    fn line_starts_follow_every_line_break() {
        for text in ["", "a", "\n", "a\nb", "a\r\nb\n", "\n\né\nlast", "x\n\n"] {
            let by_split: Vec<usize> = std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect();
            let starts = LineStarts::of(text);
            assert!(matches!(starts, LineStarts::Narrow(_)), "{text:?}");
            assert_eq!(starts.all(), by_split, "{text:?}");
        }
    }

    /// A file of 64 KiB or more keeps its starts in 32 bits, and finds its lines as a
    /// small one does; just under, in 16.
    #[test]
    fn line_starts_of_large_files_are_wide() {
        let line = format!("{}\n", "x".repeat(99));
        for (lines, wide) in [(655, false), (656, true), (2000, true)] {
            let text = line.repeat(lines);
            let starts = LineStarts::of(&text);
            assert_eq!(matches!(starts, LineStarts::Wide(_)), wide, "{lines}");
            assert_eq!(starts.len(), lines + 1);
            assert_eq!(starts.get(lines), Some(text.len()));
            assert_eq!(
                starts.line_at(text.len() - 1),
                (lines - 1, 100 * (lines - 1))
            );
            let f = SourceFile::new("big.yaml".into(), text.clone());
            assert_eq!(
                f.line_col(100 * (lines - 1) + 7),
                LineCol {
                    line: lines,
                    column: 8
                }
            );
            assert_eq!(f.line_of(text.len()), lines + 1);
        }
    }

    #[test]
    fn eight_bytes_add_up_as_one_word() {
        for run in [
            [0u8; 8],
            [255; 8],
            [1, 2, 3, 4, 5, 6, 7, 8],
            [255, 0, 255, 0, 1, 0, 0, 254],
        ] {
            let plain: usize = run.iter().map(|&b| usize::from(b)).sum();
            assert_eq!(LineStarts::sum_of_bytes(run), plain, "{run:?}");
        }
    }

    /// A file under 64 KiB keeps its starts as a byte a line while every line is under
    /// 256 bytes and there are fewer than 1,024 breaks; else in 16 bits. Either way it
    /// answers as the plain list of starts does, at every offset: the line that holds it
    /// and where that line starts.
    #[test]
    fn line_starts_narrow_and_medium_answer_alike() {
        let long_line = format!("a: {}\nb: c\n", "x".repeat(300));
        let cases = [
            ("x\n".repeat(1023), "narrow"),
            ("x\n".repeat(1024), "medium"),
            (format!("{}\n", "y".repeat(254)).repeat(3), "narrow"),
            (format!("{}\n", "y".repeat(255)).repeat(3), "medium"),
            (long_line, "medium"),
            ("k: v\r\n\n\né: ñ\nlast".to_string(), "narrow"),
            // Lines of every length from 1 to 40 bytes, past many runs of eight.
            (
                (0..200)
                    .map(|i| format!("{}\n", "z".repeat(i % 40)))
                    .collect(),
                "narrow",
            ),
        ];
        for (text, kind) in cases {
            let starts = LineStarts::of(&text);
            let shown = match starts {
                LineStarts::Narrow(_) => "narrow",
                LineStarts::Medium(_) => "medium",
                LineStarts::Wide(_) => "wide",
            };
            assert_eq!(shown, kind, "{}", text.len());
            let plain: Vec<usize> = std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect();
            assert_eq!(starts.all(), plain);
            assert_eq!(starts.len(), plain.len());
            assert_eq!(starts.get(plain.len()), None);
            for offset in 0..=text.len() + 1 {
                let line = plain.partition_point(|&s| s <= offset) - 1;
                let expected = (line, plain.get(line).copied().unwrap_or(0));
                assert_eq!(starts.line_at(offset), expected, "offset {offset}");
            }
        }
    }

    #[test]
    fn offsets_inside_a_character_snap_back() {
        let f = SourceFile::new("a.yaml".into(), "é".into());
        assert_eq!(f.line_col(1), LineCol { line: 1, column: 1 });
    }
}
