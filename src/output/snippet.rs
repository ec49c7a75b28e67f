//! What the human output shows of a file: only the lines around the labels, with
//! control characters escaped and long lines (minified JSON) clipped around the
//! labelled places, as compilers do. miette reads this view through its
//! `SourceCode` trait; line numbers and the header's column stay those of the file.

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use super::escape::is_unsafe;
use crate::source::{SourceFile, Span};

/// Lines longer than this (in characters) are clipped.
pub const MAX_LINE_CHARS: usize = 240;
/// Characters kept on each side of a labelled place on a clipped line.
pub const CLIP_CONTEXT: usize = 60;
const ELLIPSIS: &str = "…";

/// A window of a file as shown, and the map from file offsets to view offsets.
#[derive(Debug)]
pub struct View {
    name: String,
    text: String,
    /// 0-based line of the file where the view starts.
    first_line: usize,
    /// For miette's highlighter, as the file's reader saw it.
    language: &'static str,
    /// Where file offsets are in the view, sorted by file offset (and so by view offset).
    marks: Vec<Mark>,
}

/// A place of the file in the view: a kept character, a clipped stretch, a line's end, or
/// a line shown as it is written, all ASCII and no control character but tabs (`run`
/// bytes: every byte of it a character at the same distance in the file and the view).
/// A mark per character of such a line cost 24 bytes and a push each: a third of the
/// human output's own work (issue 14).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Mark {
    file: usize,
    view: usize,
    /// The file column, in characters.
    column: usize,
    run: usize,
}

impl Mark {
    const fn at(file: usize, view: usize, column: usize) -> Self {
        Self {
            file,
            view,
            column,
            run: 0,
        }
    }

    /// The mark of the character `by` bytes into this mark's run.
    const fn ahead(self, by: usize) -> Self {
        Self::at(self.file + by, self.view + by, self.column + by)
    }
}

impl View {
    /// The view of `file` that shows `spans` (byte ranges of the file) with one line
    /// of context around each.
    pub fn new(name: String, file: Option<&SourceFile>, spans: &[Span]) -> Self {
        let mut view = View {
            name,
            text: String::new(),
            first_line: 0,
            language: "text",
            marks: Vec::new(),
        };
        let Some(file) = file else {
            return view;
        };
        view.language = file.language.name();
        let last = file.line_count();
        // 1-based line ranges to show.
        let mut ranges: Vec<(usize, usize)> = spans
            .iter()
            .map(|s| {
                let start = file.line_of(s.start().min(file.len()));
                let end = file.line_of(s.end().min(file.len()));
                (start.saturating_sub(1).max(1), (end + 1).min(last))
            })
            .collect();
        ranges.sort_unstable();
        let Some(&(first, _)) = ranges.first() else {
            return view;
        };
        let end = ranges.iter().map(|r| r.1).max().unwrap_or(first);
        view.first_line = first - 1;
        let mut next_range = 0;
        for line in first..=end {
            while ranges.get(next_range).is_some_and(|r| r.1 < line) {
                next_range += 1;
            }
            let shown = ranges.get(next_range).is_some_and(|r| r.0 <= line);
            if let (true, Some(span)) = (shown, file.line_span(line)) {
                view.push_line(file, span, spans);
            } else if let Some(span) = file.line_span(line) {
                // Not shown by miette: an empty line keeps the numbering.
                view.marks.push(Mark::at(span.start(), view.text.len(), 0));
            }
            view.text.push('\n');
        }
        view
    }

    fn push_line(&mut self, file: &SourceFile, line: Span, spans: &[Span]) {
        let Some(text) = file.slice(line) else {
            return;
        };
        let long = text.len() > MAX_LINE_CHARS && text.chars().count() > MAX_LINE_CHARS;
        if !long
            && text
                .bytes()
                .all(|b| b == b'\t' || (b.is_ascii() && !b.is_ascii_control()))
        {
            // Shown as written: one mark for the line, one for its end.
            if !text.is_empty() {
                self.marks.push(Mark {
                    run: text.len(),
                    ..Mark::at(line.start(), self.text.len(), 0)
                });
            }
            self.text.push_str(text);
            self.marks
                .push(Mark::at(line.end(), self.text.len(), text.len()));
            return;
        }
        // Character ranges to keep, merged.
        let mut keep: Vec<(usize, usize)> = Vec::new();
        if long {
            let mut points: Vec<usize> = spans
                .iter()
                .flat_map(|s| [s.start(), s.end()])
                .filter(|p| line.start() <= *p && *p <= line.end())
                .map(|p| {
                    text.get(..p - line.start())
                        .map_or(0, |before| before.chars().count())
                })
                .collect();
            if points.is_empty() {
                points.push(0);
            }
            points.sort_unstable();
            for p in points {
                let (from, to) = (p.saturating_sub(CLIP_CONTEXT), p + CLIP_CONTEXT);
                match keep.last_mut() {
                    Some(last) if from <= last.1 => last.1 = last.1.max(to),
                    _ => keep.push((from, to)),
                }
            }
        }
        let mut kept = keep.iter().peekable();
        let mut clipped = false;
        for (i, (at, c)) in text.char_indices().enumerate() {
            let offset = line.start() + at;
            if long {
                while kept.peek().is_some_and(|k| i >= k.1) {
                    kept.next();
                }
                if kept.peek().is_none_or(|k| i < k.0) {
                    if !clipped {
                        self.marks.push(Mark::at(offset, self.text.len(), i));
                        self.text.push_str(ELLIPSIS);
                        clipped = true;
                    }
                    continue;
                }
                clipped = false;
            }
            self.marks.push(Mark::at(offset, self.text.len(), i));
            if is_unsafe(c) && c != '\t' {
                self.text.push_str(&c.escape_unicode().to_string());
            } else {
                self.text.push(c);
            }
        }
        self.marks
            .push(Mark::at(line.end(), self.text.len(), text.chars().count()));
    }

    /// Where a file offset is in the view: at the kept character or clipped stretch
    /// that holds it.
    fn mark(&self, offset: usize) -> Option<Mark> {
        let i = self.marks.partition_point(|m| m.file <= offset);
        let m = *self.marks.get(i.checked_sub(1)?)?;
        let by = offset - m.file;
        Some(if by < m.run { m.ahead(by) } else { m })
    }

    /// The file column of the character that starts at `view` offset, if one does.
    fn column_at(&self, view: usize) -> Option<usize> {
        let i = self.marks.partition_point(|m| m.view <= view);
        let m = self.marks.get(i.checked_sub(1)?)?;
        let by = view - m.view;
        (by == 0 || by < m.run).then_some(m.column + by)
    }

    /// A file span as a span of the view.
    pub fn span(&self, span: Span) -> SourceSpan {
        let start = self.mark(span.start()).map_or(0, |m| m.view);
        let end = if span.len == 0 {
            start
        } else {
            self.mark(span.end()).map_or(start, |m| m.view).max(start)
        };
        SourceSpan::new(start.into(), end - start)
    }

    pub fn text(&self) -> &str {
        &self.text
    }
}

impl SourceCode for View {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.as_str().read_span(span, before, after)?;
        // The header's column is the file's, in characters as in the JSON and SARIF
        // outputs (miette itself would count bytes, off on lines with accents).
        let column = if before == 0 && after == 0 {
            self.column_at(span.offset()).unwrap_or(inner.column())
        } else {
            inner.column()
        };
        Ok(Box::new(
            MietteSpanContents::new_named(
                self.name.clone(),
                inner.data(),
                *inner.span(),
                inner.line() + self.first_line,
                column,
                inner.line_count(),
            )
            .with_language(self.language),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_character_maps_to_its_place_and_its_files_column() {
        let text = "kind: form\nlabel: Año\tx\nbell: \u{7}here\ntab:\tvalue\r\n\nlast";
        let file = SourceFile::new("f.yaml".into(), text.into());
        for (offset, c) in text
            .char_indices()
            .filter(|(_, c)| !matches!(c, '\n' | '\r'))
        {
            let span = Span::new(offset, c.len_utf8());
            let view = View::new("f.yaml".into(), Some(&file), &[span]);
            let at = view.span(span);
            let shown = view.text().get(at.offset()..at.offset() + at.len());
            let expected = if c == '\u{7}' {
                "\\u{7}".to_string()
            } else {
                c.to_string()
            };
            assert_eq!(shown, Some(expected.as_str()), "{offset}");
            let column = view.read_span(&at, 0, 0).map(|s| s.column());
            assert_eq!(
                column.ok(),
                Some(file.line_col(offset).column - 1),
                "{offset}"
            );
        }
    }

    #[test]
    fn long_lines_are_clipped_around_the_span_and_control_characters_escaped() {
        let mut text = String::from("a: 1\n{\"x\": \"");
        text.push_str(&"y".repeat(100_000));
        let at = text.len();
        text.push_str("\u{1b}[2Jbad\", \"z\": 1}\nlast\n");
        let file = SourceFile::new("f.json".into(), text);
        let span = Span::new(at, "\u{1b}[2Jbad".len());
        let view = View::new("f.json".into(), Some(&file), &[span]);
        let lines: Vec<&str> = view.text().lines().collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0], "a: 1");
        assert_eq!(lines[2], "last");
        assert!(lines[1].starts_with("…"), "{}", lines[1]);
        assert!(lines[1].chars().count() < 2 * CLIP_CONTEXT + 20);
        let s = view.span(span);
        let shown = view.text().get(s.offset()..s.offset() + s.len());
        assert_eq!(shown, Some("\\u{1b}[2Jbad"));
    }
}
