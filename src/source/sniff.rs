//! What a file holds, told from its bytes and never from its name: gzip and zstd by their magic
//! numbers, Parquet by `PAR1`, otherwise text in UTF-8, UTF-16 or UTF-32 (by byte-order mark, or
//! by the NUL pattern of the first bytes). Text goes on as checked UTF-8: a byte that is not
//! text in the encoding found stops the reading with its line and offset, never a U+FFFD.

use std::io::{self, Cursor, Read};
use std::path::Path;

use crate::error::Error;

use super::Input;

/// How much decoded text the format and binary checks look at.
pub(super) const TEXT_PREFIX: usize = 64 * 1024;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads up to `n` bytes of `input` (fewer only at its end); gives them back with a reader that
/// yields them again, then the rest, so that sniffing loses no byte.
pub(super) fn peek(mut input: Input, n: usize) -> io::Result<(Vec<u8>, Input)> {
    let mut prefix = Vec::with_capacity(n.min(TEXT_PREFIX));
    (&mut input).take(n as u64).read_to_end(&mut prefix)?;
    let again: Input = Box::new(Cursor::new(prefix.clone()).chain(input));
    Ok((prefix, again))
}

/// Compressions and archives synthgate does not read, by magic number: named in the message so
/// that the user knows to unpack or exclude the file.
const FOREIGN: &[(&[u8], &str)] = &[
    (b"\xFD7zXZ\x00", "xz-compressed"),
    (b"PK\x03\x04", "a zip archive"),
    (b"PK\x05\x06", "a zip archive"),
    (b"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"),
    (b"\x04\x22\x4D\x18", "lz4-compressed"),
    (b"LZIP", "lzip-compressed"),
    (b"Rar!\x1A\x07", "a RAR archive"),
    (b"\x1F\x9D", "compress (.Z)-compressed"),
];

fn foreign(head: &[u8]) -> Option<&'static str> {
    // bzip2: `BZh`, a block size digit, then a block or end-of-stream magic.
    if head.len() >= 10
        && head.starts_with(b"BZh")
        && (b'1'..=b'9').contains(&head[3])
        && (head[4..10] == *b"1AY&SY" || head[4..10] == *b"\x17rE8P\x90")
    {
        return Some("bzip2-compressed");
    }
    FOREIGN.iter().find(|(magic, _)| head.starts_with(magic)).map(|&(_, what)| what)
}

/// How deep compression may nest (a `.csv.gz` gzipped again) before the file is refused.
const MAX_LAYERS: usize = 3;

/// The bytes of the file with every gzip or zstd layer taken off, whatever the file's name.
pub(super) fn decompress(mut input: Input, path: &Path) -> Result<Input, Error> {
    for _ in 0..MAX_LAYERS {
        let (head, again) = peek(input, 16).map_err(|e| read_error(path, e))?;
        input = if head.starts_with(&[0x1F, 0x8B]) {
            Box::new(flate2::read::MultiGzDecoder::new(io::BufReader::with_capacity(1 << 16, again)))
        } else if head.starts_with(&[0x28, 0xB5, 0x2F, 0xFD]) {
            Box::new(zstd::stream::read::Decoder::new(again).map_err(|e| Error::io("cannot decompress", path, e))?)
        } else if let Some(what) = foreign(&head) {
            return Err(not_readable(path, &format!("it is {what}; synthgate reads gzip and zstd compression only")));
        } else {
            return Ok(again);
        };
    }
    Err(not_readable(path, "compressed more than three times over"))
}

/// A text encoding synthgate decodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Utf32Le,
    Utf32Be,
}

impl Encoding {
    fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Utf32Le => "UTF-32LE",
            Encoding::Utf32Be => "UTF-32BE",
        }
    }
}

/// The encoding of text starting with `head`, and the length of its byte-order mark (a UTF-8
/// BOM is left in the text: parsers skip it, and a copy keeps it).
pub(super) fn encoding(head: &[u8]) -> (Encoding, usize) {
    if head.starts_with(b"\xFF\xFE\x00\x00") {
        return (Encoding::Utf32Le, 4);
    }
    if head.starts_with(b"\x00\x00\xFE\xFF") {
        return (Encoding::Utf32Be, 4);
    }
    if head.starts_with(b"\xFF\xFE") {
        return (Encoding::Utf16Le, 2);
    }
    if head.starts_with(b"\xFE\xFF") {
        return (Encoding::Utf16Be, 2);
    }
    if head.starts_with(UTF8_BOM) {
        return (Encoding::Utf8, 0);
    }
    // Without a BOM, mostly-ASCII text shows its width by where the zero bytes fall.
    let zero_share = |width: usize, at: usize| {
        let units = head.len() / width;
        let zeros = (0..units).filter(|u| head[u * width + at] == 0).count();
        (units, zeros)
    };
    let all_zero = |width: usize, at: usize| {
        let (units, zeros) = zero_share(width, at);
        units > 0 && zeros == units
    };
    let mostly_set = |width: usize, at: usize| {
        let (units, zeros) = zero_share(width, at);
        units > 0 && zeros * 10 <= units
    };
    if head.len() >= 4 {
        if all_zero(4, 2) && all_zero(4, 3) && mostly_set(4, 0) {
            return (Encoding::Utf32Le, 0);
        }
        if all_zero(4, 0) && all_zero(4, 1) && mostly_set(4, 3) {
            return (Encoding::Utf32Be, 0);
        }
    }
    if head.len() >= 2 {
        let (units, zeros) = zero_share(2, 1);
        if zeros * 4 >= units * 3 && mostly_set(2, 0) {
            return (Encoding::Utf16Le, 0);
        }
        let (units, zeros) = zero_share(2, 0);
        if zeros * 4 >= units * 3 && mostly_set(2, 1) {
            return (Encoding::Utf16Be, 0);
        }
    }
    (Encoding::Utf8, 0)
}

/// The file's text as checked UTF-8, and its first [`TEXT_PREFIX`] bytes. Refuses binary
/// content (NUL bytes at the start).
pub(super) fn text(input: Input, path: &Path) -> Result<(Input, Vec<u8>), Error> {
    let (head, input) = peek(input, 8 * 1024).map_err(|e| read_error(path, e))?;
    let (encoding, bom) = encoding(&head[..head.len().min(256)]);
    // Binary files tend to break UTF-8 before their first NUL: look for the NUL first.
    if encoding == Encoding::Utf8 && head.contains(&0) {
        return Err(not_readable(path, "binary content (NUL bytes), not text"));
    }
    let mut input = input;
    if bom > 0 {
        let mut skip = vec![0; bom];
        input.read_exact(&mut skip).map_err(|e| read_error(path, e))?;
    }
    let decoded: Input = Box::new(Decoder::new(input, encoding, bom as u64));
    let (prefix, decoded) = peek(decoded, TEXT_PREFIX).map_err(|e| read_error(path, e))?;
    if let Some(at) = prefix.iter().position(|&b| b == 0) {
        let line = prefix[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        return Err(not_readable(
            path,
            &format!("binary content: a NUL character at line {line} ({} text)", encoding.name()),
        ));
    }
    Ok((decoded, prefix))
}

/// Why text could not be decoded, and where: carried inside an `io::Error` through the parsers'
/// readers, and turned into a message naming the file by [`read_error`].
#[derive(Debug)]
struct NotText {
    what: String,
    /// Byte offset in the (decompressed) file.
    offset: u64,
    line: u64,
}

impl std::fmt::Display for NotText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {} at byte offset {}", self.line, self.what, self.offset)
    }
}

impl std::error::Error for NotText {}

/// The error for a failed read of `path`: text that does not decode is a data error (exit 2)
/// naming line and offset; anything else is I/O.
pub(super) fn read_error(path: &Path, e: io::Error) -> Error {
    if let Some(bad) = e.get_ref().and_then(|inner| inner.downcast_ref::<NotText>()) {
        return Error::config(format!(
            "{}: {bad}; synthgate reads text in UTF-8, or UTF-16/UTF-32 (with a byte-order mark or mostly ASCII); \
             convert the file to UTF-8",
            path.display()
        ));
    }
    Error::io("cannot read", path, e)
}

/// A file synthgate cannot read at all (exit 2; a command judging a folder refuses it).
pub(super) fn not_readable(path: &Path, why: &str) -> Error {
    Error::config(format!("{}: cannot be read: {why}", path.display()))
}

/// Turns text in `encoding` into checked UTF-8 as it is read; stops at the first byte that is not
/// text, and keeps failing after it.
struct Decoder {
    inner: Input,
    kind: Kind,
    /// Undecoded bytes: `input[start..]` are still to decode.
    input: Vec<u8>,
    start: usize,
    eof: bool,
    /// Decoded bytes: `out[served..filled]` are still to hand out. For UTF-8 the input is the
    /// output, checked in place.
    out: Vec<u8>,
    served: usize,
    filled: usize,
    /// Offset in the file of `input[start]`; newlines handed out so far.
    offset: u64,
    lines: u64,
    failed: Option<NotText>,
}

enum Kind {
    Utf8,
    Utf16(encoding_rs::Decoder, Encoding),
    Utf32 { big_endian: bool },
}

const BLOCK: usize = 1 << 16;

impl Decoder {
    fn new(inner: Input, encoding: Encoding, offset: u64) -> Decoder {
        let kind = match encoding {
            Encoding::Utf8 => Kind::Utf8,
            Encoding::Utf16Le => Kind::Utf16(encoding_rs::UTF_16LE.new_decoder_without_bom_handling(), encoding),
            Encoding::Utf16Be => Kind::Utf16(encoding_rs::UTF_16BE.new_decoder_without_bom_handling(), encoding),
            Encoding::Utf32Le => Kind::Utf32 { big_endian: false },
            Encoding::Utf32Be => Kind::Utf32 { big_endian: true },
        };
        Decoder {
            inner,
            kind,
            input: Vec::with_capacity(BLOCK),
            start: 0,
            eof: false,
            out: Vec::new(),
            served: 0,
            filled: 0,
            offset,
            lines: 0,
            failed: None,
        }
    }

    /// Reads more input behind what is left undecoded.
    fn refill(&mut self) -> io::Result<()> {
        self.input.drain(..self.start);
        self.start = 0;
        let have = self.input.len();
        self.input.resize(have + BLOCK, 0);
        let n = loop {
            match self.inner.read(&mut self.input[have..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.input.truncate(have);
                    return Err(e);
                }
            }
        };
        self.input.truncate(have + n);
        self.eof = n == 0;
        Ok(())
    }

    /// Decodes what input there is into `out`; a failure is recorded after the text before it.
    fn decode(&mut self) {
        let src = &self.input[self.start..];
        let eof = self.eof;
        let mut bad: Option<(String, usize)> = None;
        let used = match &mut self.kind {
            Kind::Utf8 => {
                let valid = match std::str::from_utf8(src) {
                    Ok(_) => src.len(),
                    Err(e) if e.error_len().is_none() && !eof => e.valid_up_to(),
                    Err(e) => {
                        let what = if e.error_len().is_none() {
                            "the text ends inside a UTF-8 character"
                        } else {
                            "a byte that is not UTF-8 text"
                        };
                        bad = Some((what.to_string(), e.valid_up_to()));
                        e.valid_up_to()
                    }
                };
                self.out.clear();
                self.out.extend_from_slice(&src[..valid]);
                valid
            }
            Kind::Utf16(dec, enc) => {
                let need = dec.max_utf8_buffer_length_without_replacement(src.len()).unwrap_or(src.len() * 3) + 16;
                self.out.resize(need, 0);
                let (result, read, written) = dec.decode_to_utf8_without_replacement(src, &mut self.out, eof);
                self.out.truncate(written);
                if let encoding_rs::DecoderResult::Malformed(len, after) = result {
                    // The malformed bytes may have begun in an earlier block.
                    let at = read.saturating_sub(after as usize + len as usize);
                    bad = Some((format!("bytes that are not {} text", enc.name()), at));
                }
                read
            }
            Kind::Utf32 { big_endian } => {
                self.out.clear();
                let mut used = 0;
                for unit in src.chunks_exact(4) {
                    let b = [unit[0], unit[1], unit[2], unit[3]];
                    let v = if *big_endian { u32::from_be_bytes(b) } else { u32::from_le_bytes(b) };
                    let Some(c) = char::from_u32(v) else {
                        bad = Some(("a code unit that is not a UTF-32 character".to_string(), used));
                        break;
                    };
                    self.out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                    used += 4;
                }
                if bad.is_none() && eof && src.len() > used {
                    bad = Some(("the text ends inside a UTF-32 character".to_string(), used));
                }
                used
            }
        };
        // Line numbers for messages: memchr finds the few newlines of a block far faster than a
        // byte-by-byte count.
        let newlines = memchr::memchr_iter(b'\n', &self.out).count() as u64;
        if let Some((what, at)) = bad {
            self.failed = Some(NotText { what, offset: self.offset + at as u64, line: self.lines + newlines + 1 });
        }
        self.lines += newlines;
        self.start += used;
        self.offset += used as u64;
        self.served = 0;
        self.filled = self.out.len();
    }
}

impl Read for Decoder {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            if self.served < self.filled {
                let n = buf.len().min(self.filled - self.served);
                buf[..n].copy_from_slice(&self.out[self.served..self.served + n]);
                self.served += n;
                return Ok(n);
            }
            if let Some(bad) = &self.failed {
                let copy = NotText { what: bad.what.clone(), offset: bad.offset, line: bad.line };
                return Err(io::Error::new(io::ErrorKind::InvalidData, copy));
            }
            if self.eof && self.start == self.input.len() {
                return Ok(0);
            }
            if !self.eof {
                self.refill()?;
            }
            self.decode();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(bytes: &[u8]) -> Result<Vec<u8>, Error> {
        let (mut text, _) = text(Box::new(Cursor::new(bytes.to_vec())), Path::new("f.csv"))?;
        let mut out = Vec::new();
        text.read_to_end(&mut out).map_err(|e| read_error(Path::new("f.csv"), e))?;
        Ok(out)
    }

    fn utf16(s: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend(if big_endian { [0xFE, 0xFF] } else { [0xFF, 0xFE] });
        }
        for u in s.encode_utf16() {
            out.extend(if big_endian { u.to_be_bytes() } else { u.to_le_bytes() });
        }
        out
    }

    fn utf32(s: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend(if big_endian { [0, 0, 0xFE, 0xFF] } else { [0xFF, 0xFE, 0, 0] });
        }
        for c in s.chars() {
            out.extend(if big_endian { (c as u32).to_be_bytes() } else { (c as u32).to_le_bytes() });
        }
        out
    }

    const TEXT: &str = "name,city\nZoë Quill,Düsseldorf\n€ 12,日本\n";

    #[test]
    fn utf16_and_utf32_decode_to_utf8_with_or_without_a_bom() {
        for be in [false, true] {
            for bom in [false, true] {
                assert_eq!(decode_all(&utf16(TEXT, be, bom)).unwrap(), TEXT.as_bytes(), "utf16 be={be} bom={bom}");
                assert_eq!(decode_all(&utf32(TEXT, be, bom)).unwrap(), TEXT.as_bytes(), "utf32 be={be} bom={bom}");
            }
        }
        // A UTF-8 BOM stays in the text: parsers skip it and copies keep it.
        assert_eq!(decode_all(b"\xEF\xBB\xBFa\n").unwrap(), b"\xEF\xBB\xBFa\n");
    }

    #[test]
    fn long_text_decodes_across_blocks() {
        let long: String = (0..20_000).map(|i| format!("row {i},Zoë\n")).collect();
        assert_eq!(decode_all(&utf16(&long, false, true)).unwrap(), long.as_bytes());
        assert_eq!(decode_all(&utf32(&long, true, false)).unwrap(), long.as_bytes());
        assert_eq!(decode_all(long.as_bytes()).unwrap(), long.as_bytes());
    }

    #[test]
    fn invalid_utf8_fails_with_line_and_offset_never_a_replacement() {
        let e = decode_all(b"a,b\n1,2\nx\xFFy,3\n").unwrap_err();
        assert_eq!(e.kind().exit_code(), 2);
        assert!(e.message().contains("f.csv: line 3") && e.message().contains("byte offset 9"), "{}", e.message());
        let e = decode_all(b"a\n\xC3").unwrap_err();
        assert!(e.message().contains("ends inside"), "{}", e.message());
        // A lone surrogate in UTF-16, and an odd byte at the end.
        let mut bad = utf16("ab", false, true);
        bad.extend([0x00, 0xD8, b'c', 0]);
        assert!(decode_all(&bad).unwrap_err().message().contains("not UTF-16LE"));
        let mut odd = utf16("ab\n", false, true);
        odd.push(b'c');
        assert_eq!(decode_all(&odd).unwrap_err().kind().exit_code(), 2);
        let mut bad32 = utf32("a\nb", false, true);
        bad32.extend(0xD800u32.to_le_bytes());
        let e = decode_all(&bad32).unwrap_err();
        assert!(e.message().contains("line 2"), "{}", e.message());
    }

    #[test]
    fn binary_and_foreign_compression_are_not_readable() {
        let e = decode_all(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR").unwrap_err();
        assert!(e.message().contains("binary"), "{}", e.message());
        let e = match decompress(Box::new(Cursor::new(b"BZh91AY&SY\x01\x02".to_vec())), Path::new("x.bz2")) {
            Err(e) => e,
            Ok(_) => panic!("bzip2 read"),
        };
        assert!(e.message().contains("bzip2"), "{}", e.message());
    }

    #[test]
    fn encodings_come_from_boms_or_nul_patterns() {
        assert_eq!(encoding(b"a,b\n"), (Encoding::Utf8, 0));
        assert_eq!(encoding(b""), (Encoding::Utf8, 0));
        assert_eq!(encoding(&utf16("a,b", false, false)), (Encoding::Utf16Le, 0));
        assert_eq!(encoding(&utf16("a,b", true, false)), (Encoding::Utf16Be, 0));
        assert_eq!(encoding(&utf32("a,b", false, false)), (Encoding::Utf32Le, 0));
        assert_eq!(encoding(&utf32("a,b", true, false)), (Encoding::Utf32Be, 0));
        assert_eq!(encoding(&utf32("", false, true)), (Encoding::Utf32Le, 4));
        assert_eq!(encoding(&utf16("", true, true)), (Encoding::Utf16Be, 2));
    }
}
