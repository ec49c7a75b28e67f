//! Pretty JSON written cheaply: the bytes of `serde_json::to_writer_pretty`, from
//! serde_json's own serializer, but indented with one write per line instead of one
//! per level, into a buffer of concrete type that is handed to the output in chunks.
//! Through `&mut dyn Write` every quote, colon and two-space indent was a call of its
//! own: about 40% of writing the JSON output (issue 14). Also the pieces the JSON and
//! SARIF writers write by hand in serde_json's bytes: escaped strings, integers, a
//! span's lines and columns.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::Formatter;

use crate::source::{Loc, Sources};

/// `value` as `serde_json::to_writer_pretty(w, value)` writes it, byte for byte (the
/// writers use [`value_at`] for their serde_json parts; this is the tests' whole value).
#[cfg(test)]
pub fn write<T: Serialize + ?Sized>(w: &mut dyn Write, value: &T) -> io::Result<()> {
    let mut out = Chunks::new(w);
    value_at(&mut out, value, 0)?;
    out.hand_over()
}

/// `value` as `to_writer_pretty` writes it where it stands `level` objects or arrays
/// deep (its inner lines indented one level more, its closing bracket at `level`).
pub(super) fn value_at<T: Serialize + ?Sized>(
    out: &mut Chunks<'_>,
    value: &T,
    level: usize,
) -> io::Result<()> {
    let pretty = Pretty {
        level,
        has_value: false,
    };
    let mut ser = serde_json::Serializer::with_formatter(&mut *out, pretty);
    value.serialize(&mut ser).map_err(io::Error::from)
}

/// How much is gathered before it is handed to the output.
const CHUNK: usize = 1 << 16;

/// Gathers the output in a `Vec` (the serializer's many small writes are copies into
/// it) and hands it to `out` in chunks of about [`CHUNK`] bytes.
pub(super) struct Chunks<'w> {
    /// What is not handed over yet; writers may add to it directly, and call
    /// [`Chunks::hand_over_full`] now and then.
    pub(super) buf: Vec<u8>,
    out: &'w mut dyn Write,
}

impl<'w> Chunks<'w> {
    pub(super) fn new(out: &'w mut dyn Write) -> Self {
        Chunks {
            buf: Vec::with_capacity(CHUNK + CHUNK / 4),
            out,
        }
    }

    /// Everything gathered, handed to the output.
    pub(super) fn hand_over(&mut self) -> io::Result<()> {
        let result = self.out.write_all(&self.buf);
        self.buf.clear();
        result
    }

    /// The output, once everything is handed over.
    pub(super) fn into_inner(self) -> &'w mut dyn Write {
        self.out
    }

    /// What is gathered, handed over once it is a chunk or more.
    #[inline]
    pub(super) fn hand_over_full(&mut self) -> io::Result<()> {
        if self.buf.len() >= CHUNK {
            self.hand_over()?;
        }
        Ok(())
    }
}

impl Write for Chunks<'_> {
    #[inline]
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.write_all(bytes)?;
        Ok(bytes.len())
    }

    #[inline]
    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.buf.extend_from_slice(bytes);
        self.hand_over_full()
    }

    fn flush(&mut self) -> io::Result<()> {
        self.hand_over()?;
        self.out.flush()
    }
}

/// serde_json's `PrettyFormatter` with its default two-space indent, writing each
/// line's indent at once.
#[derive(Default)]
struct Pretty {
    level: usize,
    has_value: bool,
}

/// A line break and the indent of up to this many levels, written as one slice.
const NEWLINE_AND_SPACES: &[u8; 1 + 2 * 32] =
    b"\n                                                                ";

impl Pretty {
    fn newline_and_indent<W: ?Sized + Write>(&self, w: &mut W) -> io::Result<()> {
        let wanted = 1 + 2 * self.level;
        match NEWLINE_AND_SPACES.get(..wanted) {
            Some(line) => w.write_all(line),
            None => {
                // Deeper than any output of creeplint: the same bytes, level by level.
                w.write_all(b"\n")?;
                for _ in 0..self.level {
                    w.write_all(b"  ")?;
                }
                Ok(())
            }
        }
    }

    /// `[` or `{`: one level deeper, nothing in it yet.
    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    /// `]` or `}`, on a line of its own after any value.
    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            self.newline_and_indent(w)?;
        }
        w.write_all(bracket)
    }

    /// Before an element or a key: a comma after the first, then a new line.
    fn next_line<W: ?Sized + Write>(&self, w: &mut W, first: bool) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.newline_and_indent(w)
    }
}

impl Formatter for Pretty {
    #[inline]
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    #[inline]
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    #[inline]
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.next_line(w, first)
    }

    #[inline]
    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    #[inline]
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    #[inline]
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    #[inline]
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.next_line(w, first)
    }

    #[inline]
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    #[inline]
    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

// Writing JSON by hand, in the bytes serde_json writes (the JSON and SARIF writers).

/// The start line and column and the end line and column of `loc`, as
/// `Sources::line_col` and `Sources::end_line_col` give them. A span on one line (most
/// are) ends on the start's line, its characters further: the line is not searched for
/// again, and only the span's characters are counted.
pub(super) fn span(sources: &Sources, loc: Loc) -> (usize, usize, usize, usize) {
    let start = sources.line_col(loc);
    let one_line = sources
        .get(loc.file)
        .and_then(|f| f.slice(loc.span))
        .filter(|s| !s.contains('\n'));
    match one_line {
        Some(s) => (
            start.line,
            start.column,
            start.line,
            start.column + s.chars().count(),
        ),
        None => {
            let end = sources.end_line_col(loc);
            (start.line, start.column, end.line, end.column)
        }
    }
}

/// `n` in decimal, as serde_json writes an integer.
pub(super) fn number(b: &mut Vec<u8>, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    for d in digits.iter_mut().rev() {
        // `n % 10` is below 10.
        *d = b'0' + (n % 10) as u8;
        n /= 10;
        start -= 1;
        if n == 0 {
            break;
        }
    }
    b.extend_from_slice(digits.get(start..).unwrap_or_default());
}

/// Whether serde_json escapes this byte in a string: a control character below space, a
/// quote or a backslash (DEL and everything beyond ASCII are written as they are).
#[inline]
fn escaped(c: u8) -> bool {
    // `|`, not `||`: no branch per byte, so a run of bytes is tested at once.
    (c < 0x20) | (c == b'"') | (c == b'\\')
}

/// Where the first byte to escape is: 16 bytes are tested at a time, since most texts
/// have nothing to escape at all.
fn first_escaped(bytes: &[u8]) -> Option<usize> {
    let mut chunks = bytes.chunks_exact(16);
    let mut at = 0;
    for chunk in &mut chunks {
        if chunk.iter().fold(false, |any, &c| any | escaped(c)) {
            return chunk.iter().position(|&c| escaped(c)).map(|i| at + i);
        }
        at += 16;
    }
    chunks
        .remainder()
        .iter()
        .position(|&c| escaped(c))
        .map(|i| at + i)
}

/// `s` as a JSON string, escaped as serde_json escapes it: the runs with nothing to
/// escape copied at once.
pub(super) fn string(b: &mut Vec<u8>, s: &str) {
    b.push(b'"');
    string_content(b, s);
    b.push(b'"');
}

/// `s` escaped as in a JSON string, without the quotes: escaping goes byte by byte, so
/// the parts of a text written one after the other are the text's escape.
pub(super) fn string_content(b: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut rest = s.as_bytes();
    while let Some((clean, tail)) = first_escaped(rest).and_then(|i| rest.split_at_checked(i)) {
        b.extend_from_slice(clean);
        let Some((&c, after)) = tail.split_first() else {
            break;
        };
        match c {
            b'"' => b.extend_from_slice(b"\\\""),
            b'\\' => b.extend_from_slice(b"\\\\"),
            0x08 => b.extend_from_slice(b"\\b"),
            0x0c => b.extend_from_slice(b"\\f"),
            b'\n' => b.extend_from_slice(b"\\n"),
            b'\r' => b.extend_from_slice(b"\\r"),
            b'\t' => b.extend_from_slice(b"\\t"),
            _ => {
                let hex = |d: u8| HEX.get(usize::from(d & 0xf)).copied().unwrap_or(b'0');
                b.extend_from_slice(&[b'\\', b'u', b'0', b'0', hex(c >> 4), hex(c)]);
            }
        }
        rest = after;
    }
    b.extend_from_slice(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both(value: &serde_json::Value) -> (String, String) {
        let mut ours = Vec::new();
        write(&mut ours, value).unwrap_or_else(|e| panic!("{e}"));
        let theirs = serde_json::to_string_pretty(value).unwrap_or_else(|e| panic!("{e}"));
        (String::from_utf8(ours).unwrap_or_default(), theirs)
    }

    #[test]
    fn writes_what_serde_json_pretty_writes() {
        let value = serde_json::json!({
            "version": 1,
            "empty_list": [],
            "empty_object": {},
            "findings": [
                {"rule": "a", "message": "quote \" tab \t line \n and é", "labels": []},
                {"rule": "b", "labels": [{"line": 1, "column": 2}, [1, [2, [3, {}]]]]},
            ],
            "null": null,
            "float": 1.5,
            "nested": {"a": {"b": {"c": {"d": [true, false]}}}},
        });
        let (ours, theirs) = both(&value);
        assert_eq!(ours, theirs);
    }

    #[test]
    fn deeper_than_the_indent_table_and_larger_than_a_chunk() {
        let mut deep = serde_json::json!("leaf");
        for i in 0..40 {
            deep = if i % 2 == 0 {
                serde_json::json!([deep, i])
            } else {
                serde_json::json!({"k": deep})
            };
        }
        let big: Vec<serde_json::Value> = (0..5_000)
            .map(|i| serde_json::json!({"n": i, "text": "x".repeat(i % 50)}))
            .collect();
        let value = serde_json::json!({"deep": deep, "big": big});
        let (ours, theirs) = both(&value);
        assert!(ours.len() > 2 * CHUNK);
        assert_eq!(ours, theirs);
    }
}
