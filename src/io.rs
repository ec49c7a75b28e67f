//! Reading input files safely: only regular files, and never more than a budget of
//! bytes, counted while reading (a device, a FIFO or a file that grows is never read
//! without bound, whatever its size says).

use std::io::Read;
use std::path::Path;

/// The most creeplint reads of one file (checked files, the configuration, a
/// baseline): no form, rule or configuration file is anywhere near it.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// How much of an over-budget file is kept to tell whether it is creeplint's.
pub const HEAD_BYTES: usize = 64 * 1024;

#[derive(Debug)]
pub enum ReadError {
    /// Not a regular file: a folder, a device, a FIFO, a socket.
    NotRegular(&'static str),
    /// Over the budget; `size` as the file system reports it, `head` the first bytes.
    TooLarge {
        size: u64,
        head: Vec<u8>,
    },
    Io(std::io::Error),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::NotRegular(kind) => write!(
                f,
                "it is {kind}, not a regular file; creeplint reads only regular files"
            ),
            ReadError::TooLarge { .. } => write!(
                f,
                "it is larger than {} MiB, the most creeplint reads of one file; split it into smaller files",
                MAX_FILE_BYTES / 1_048_576
            ),
            ReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ReadError {}

/// What a file that is not regular is, in words.
pub fn kind_of(file_type: std::fs::FileType) -> Option<&'static str> {
    if file_type.is_file() {
        return None;
    }
    if file_type.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if file_type.is_char_device() {
            return Some("a character device");
        }
        if file_type.is_block_device() {
            return Some("a block device");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
    }
    Some("a special file")
}

/// The bytes of a regular file of at most `limit` bytes. The type is checked before
/// opening (opening a FIFO would wait for a writer) and again on the open handle.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    if let Some(kind) = kind_of(meta.file_type()) {
        return Err(ReadError::NotRegular(kind));
    }
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if let Some(kind) = kind_of(meta.file_type()) {
        return Err(ReadError::NotRegular(kind));
    }
    let mut bytes = Vec::new();
    if meta.len() > limit {
        // Over the budget by its size: read only the head.
        file.take(HEAD_BYTES as u64)
            .read_to_end(&mut bytes)
            .map_err(ReadError::Io)?;
        return Err(ReadError::TooLarge {
            size: meta.len(),
            head: bytes,
        });
    }
    // The size may lie (a file that grows, a special file in /proc): one byte more
    // than the budget tells "exactly at the limit" from "over it". Room for the stated
    // size and that byte: growing by doubling kept up to twice each text (issue 14).
    bytes.reserve_exact(usize::try_from(meta.len()).map_or(0, |n| n.saturating_add(1)));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        bytes.truncate(HEAD_BYTES);
        return Err(ReadError::TooLarge {
            size: meta.len().max(limit.saturating_add(1)),
            head: bytes,
        });
    }
    Ok(bytes)
}

/// [`read_regular`] as UTF-8 text (for the configuration and baselines).
pub fn read_regular_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    let bytes = read_regular(path, limit)?;
    String::from_utf8(bytes).map_err(|_| {
        ReadError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "it is not valid UTF-8; save it as UTF-8",
        ))
    })
}

/// A UTF-16 or UTF-32 file that does not decode: what was decoded (invalid units
/// replaced by U+FFFD) and the byte offset in it of the first bad unit.
#[derive(Debug, PartialEq)]
pub struct BadEncoding {
    pub encoding: &'static str,
    pub text: String,
    pub at: usize,
}

/// Files saved by Windows tools or Excel are often UTF-16 or UTF-32 with a byte-order
/// mark: decode them to UTF-8 (without the mark). Anything else is returned as it is,
/// for the UTF-8 reading that follows.
pub fn transcode(bytes: Vec<u8>) -> Result<Vec<u8>, BadEncoding> {
    let (encoding, width, big_endian) = match bytes.as_slice() {
        [0xFF, 0xFE, 0, 0, ..] => ("UTF-32 (little-endian)", 4, false),
        [0, 0, 0xFE, 0xFF, ..] => ("UTF-32 (big-endian)", 4, true),
        [0xFF, 0xFE, ..] => ("UTF-16 (little-endian)", 2, false),
        [0xFE, 0xFF, ..] => ("UTF-16 (big-endian)", 2, true),
        _ => return Ok(bytes),
    };
    let body = bytes.get(width..).unwrap_or_default();
    let units = body.chunks(width).map(|c| {
        let mut v: u32 = 0;
        if big_endian {
            for b in c {
                v = (v << 8) | u32::from(*b);
            }
        } else {
            for b in c.iter().rev() {
                v = (v << 8) | u32::from(*b);
            }
        }
        // A trailing partial unit is an invalid one.
        if c.len() == width { Some(v) } else { None }
    });
    let mut text = String::with_capacity(body.len());
    let mut bad = None;
    let mut note = |text: &mut String| {
        if bad.is_none() {
            bad = Some(text.len());
        }
        text.push(char::REPLACEMENT_CHARACTER);
    };
    if width == 4 {
        for u in units {
            match u.and_then(char::from_u32) {
                Some(c) => text.push(c),
                None => note(&mut text),
            }
        }
    } else {
        let mut partial = false;
        let units16 = units.map_while(|u| match u.and_then(|u| u16::try_from(u).ok()) {
            Some(u) => Some(u),
            None => {
                partial = true;
                None
            }
        });
        for c in char::decode_utf16(units16) {
            match c {
                Ok(c) => text.push(c),
                Err(_) => note(&mut text),
            }
        }
        if partial {
            note(&mut text);
        }
    }
    match bad {
        None => Ok(text.into_bytes()),
        Some(at) => Err(BadEncoding { encoding, text, at }),
    }
}

/// UTF-16 without a byte-order mark reads as valid UTF-8 with a NUL after or before
/// every ASCII character (or is not UTF-8 at all): the bytes without their NULs, as
/// text, to look for a creeplint `kind:`.
pub fn without_nuls(bytes: &[u8]) -> Option<String> {
    bytes.contains(&0).then(|| {
        let bare: Vec<u8> = bytes.iter().copied().filter(|b| *b != 0).collect();
        String::from_utf8_lossy(&bare).into_owned()
    })
}

/// An absolute, lexically normalised path: the current folder joined to a relative
/// path, `.` and `..` resolved by name. Symbolic links are not followed, so this never
/// touches the file system beyond asking for the current folder.
pub fn absolute(path: &Path) -> std::path::PathBuf {
    crate::work::add(crate::work::Kind::Paths, 1);
    let joined = match std::env::current_dir() {
        Ok(cwd) if !path.is_absolute() => cwd.join(path),
        _ => path.to_path_buf(),
    };
    let mut out = std::path::PathBuf::new();
    for c in joined.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Whether two paths name the same existing file (after symbolic links and `..`).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_is_counted_while_reading() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("f.yaml");
        std::fs::write(&path, b"0123456789").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read_regular(&path, 10).ok(), Some(b"0123456789".to_vec()));
        match read_regular(&path, 9) {
            Err(ReadError::TooLarge { size, head }) => {
                assert_eq!(size, 10);
                assert_eq!(head, b"0123456789");
            }
            other => panic!("{other:?}"),
        }
        match read_regular(dir.path(), 9) {
            Err(e) => assert_eq!(
                e.to_string(),
                "it is a folder, not a regular file; creeplint reads only regular files"
            ),
            Ok(_) => panic!("a folder was read"),
        }
    }

    fn utf16le(text: &str) -> Vec<u8> {
        let mut out = vec![0xFF, 0xFE];
        for u in text.encode_utf16() {
            out.extend(u.to_le_bytes());
        }
        out
    }

    #[test]
    fn utf16_and_utf32_with_a_bom_are_decoded() {
        let text = "kind: form\nid: añ😀\n";
        assert_eq!(
            transcode(utf16le(text)).ok(),
            Some(text.as_bytes().to_vec())
        );
        let mut be = vec![0xFE, 0xFF];
        for u in text.encode_utf16() {
            be.extend(u.to_be_bytes());
        }
        assert_eq!(transcode(be).ok(), Some(text.as_bytes().to_vec()));
        let mut le32 = vec![0xFF, 0xFE, 0, 0];
        let mut be32 = vec![0, 0, 0xFE, 0xFF];
        for c in text.chars() {
            le32.extend(u32::from(c).to_le_bytes());
            be32.extend(u32::from(c).to_be_bytes());
        }
        assert_eq!(transcode(le32).ok(), Some(text.as_bytes().to_vec()));
        assert_eq!(transcode(be32).ok(), Some(text.as_bytes().to_vec()));
        assert_eq!(transcode(b"a: b".to_vec()).ok(), Some(b"a: b".to_vec()));
    }

    #[test]
    fn a_lone_surrogate_is_a_bad_encoding_at_its_place() {
        let mut bytes = utf16le("kind: x");
        bytes.extend(0xD800u16.to_le_bytes());
        bytes.extend(u16::from(b'y').to_le_bytes());
        assert_eq!(
            transcode(bytes).err(),
            Some(BadEncoding {
                encoding: "UTF-16 (little-endian)",
                text: "kind: x\u{fffd}y".to_string(),
                at: 7
            })
        );
        // An odd number of bytes leaves half a unit at the end.
        let mut odd = utf16le("kind: x");
        odd.push(b'z');
        assert_eq!(transcode(odd).err().map(|b| b.at), Some(7));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_file_whose_size_lies_is_cut_at_the_budget() {
        // procfs reports a size of 0 for files that hold text.
        match read_regular(Path::new("/proc/self/status"), 10) {
            Err(ReadError::TooLarge { size, head }) => {
                assert_eq!(size, 11);
                assert_eq!(head.len(), 11);
            }
            other => panic!("{other:?}"),
        }
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_refused_without_reading() {
        match read_regular(Path::new("/dev/zero"), MAX_FILE_BYTES) {
            Err(e) => assert_eq!(
                e.to_string(),
                "it is a character device, not a regular file; creeplint reads only regular files"
            ),
            Ok(b) => panic!("read {} bytes of /dev/zero", b.len()),
        }
    }
}
