//! Precompression (`publish: { precompress: true }`): a `.gz` and a `.br` copy beside each
//! text file of the output, for hosts that serve them as they are (nginx's `gzip_static` and
//! `brotli_static`). The bytes depend only on the file's bytes (no time or name in the gzip
//! header), so an unchanged site gives unchanged copies.

use std::io::{Read, Write};

/// The extensions of the files that get compressed copies: the text formats a site publishes.
pub const COMPRESSED_EXTENSIONS: &[&str] = &[
    "html",
    "htm",
    "css",
    "js",
    "mjs",
    "json",
    "jsonld",
    "geojson",
    "xml",
    "rss",
    "atom",
    "svg",
    "txt",
    "csv",
    "md",
    "map",
    "webmanifest",
    "ics",
    "vtt",
];

/// Files smaller than this many bytes get no compressed copy: the few bytes gained do not pay
/// for a second request path on the host, and below a network packet nothing is faster.
pub const MIN_SIZE: usize = 1024;

/// Brotli's quality. On the real site's space pages (258 KB, the brotli crate built with
/// optimisations) 5 gives copies within 0.3 % of those of 6 to 9, in about 55 ms; 10 and 11
/// make them 8 to 9 % smaller but take 1.3 and 1.5 s: far too slow for the first build of a
/// site of thousands of pages (CI builds from scratch), though later builds compress only
/// the files that changed.
const BROTLI_QUALITY: i32 = 5;

/// The two kinds of compressed copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// `.gz`, for `Content-Encoding: gzip`.
    Gzip,
    /// `.br`, for `Content-Encoding: br`.
    Brotli,
}

impl Encoding {
    /// Both kinds.
    pub const ALL: [Encoding; 2] = [Encoding::Gzip, Encoding::Brotli];

    /// The extension added to the file's name (`.gz`).
    pub fn suffix(self) -> &'static str {
        match self {
            Encoding::Gzip => ".gz",
            Encoding::Brotli => ".br",
        }
    }

    /// `bytes` compressed; `None` when the result is not smaller (then the host serves the
    /// file itself).
    pub fn compress(self, bytes: &[u8]) -> Option<Vec<u8>> {
        let mut out = Vec::with_capacity(bytes.len() / 3);
        match self {
            Encoding::Gzip => {
                // No name, no time (zero), level 9: the same bytes every time.
                let mut encoder = flate2::GzBuilder::new()
                    .mtime(0)
                    .write(&mut out, flate2::Compression::best());
                encoder.write_all(bytes).ok()?;
                encoder.finish().ok()?;
            }
            Encoding::Brotli => {
                let params = brotli::enc::BrotliEncoderParams {
                    quality: BROTLI_QUALITY,
                    size_hint: bytes.len(),
                    ..Default::default()
                };
                brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).ok()?;
            }
        }
        (out.len() < bytes.len()).then_some(out)
    }

    /// The bytes that `compressed` stands for, or `None` when it is not valid (or holds more
    /// than `limit` bytes: a copy that holds more than its file is not its copy).
    pub fn decompress(self, compressed: &[u8], limit: usize) -> Option<Vec<u8>> {
        let mut out = Vec::with_capacity(limit);
        let limit = limit as u64 + 1;
        let read = match self {
            Encoding::Gzip => flate2::read::GzDecoder::new(compressed)
                .take(limit)
                .read_to_end(&mut out),
            Encoding::Brotli => brotli::Decompressor::new(compressed, 4096)
                .take(limit)
                .read_to_end(&mut out),
        };
        read.ok()?;
        ((out.len() as u64) < limit).then_some(out)
    }
}

/// True when the output file at `path`, of `len` bytes, gets compressed copies.
pub fn wanted(path: &str, len: usize) -> bool {
    len >= MIN_SIZE && compressible(path)
}

/// True when the file at `path` is of a kind that gets compressed copies (when big enough).
pub fn compressible(path: &str) -> bool {
    path.rsplit_once('.')
        .is_some_and(|(_, ext)| COMPRESSED_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text() -> Vec<u8> {
        "<p>Spazi WeMi del Comune di Milano</p>\n"
            .repeat(100)
            .into_bytes()
    }

    #[test]
    fn copies_decompress_to_the_file_and_are_the_same_every_time() {
        let bytes = text();
        for encoding in Encoding::ALL {
            let first = encoding.compress(&bytes).unwrap();
            assert!(first.len() < bytes.len() / 4, "{encoding:?}");
            assert_eq!(encoding.compress(&bytes).unwrap(), first);
            assert_eq!(
                encoding.decompress(&first, bytes.len()).as_deref(),
                Some(&bytes[..])
            );
            // A copy of more than the limit is refused, and so is one that is not valid.
            assert_eq!(encoding.decompress(&first, bytes.len() - 1), None);
            assert_eq!(encoding.decompress(b"not compressed", 100), None);
        }
        let gz = Encoding::Gzip.compress(&bytes).unwrap();
        // The gzip header: magic, deflate, no flags (so no name), time zero.
        assert_eq!(&gz[..8], &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0]);
    }

    #[test]
    fn small_files_and_other_kinds_get_no_copy() {
        assert!(wanted("index.html", MIN_SIZE));
        assert!(wanted("spazi/spazi.GEOJSON", 5000));
        assert!(!wanted("index.html", MIN_SIZE - 1));
        assert!(!wanted("foto.jpg", 5000));
        assert!(!wanted("index.html.gz", 5000));
        assert!(!wanted("LICENSE", 5000));
        // Bytes that do not compress get no copy.
        let mut state = 0x2545_f491_u32;
        let noise: Vec<u8> = (0..2000)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                state as u8
            })
            .collect();
        assert_eq!(Encoding::Gzip.compress(&noise), None);
    }
}
