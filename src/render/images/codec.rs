//! The pixel work of resized images: reading an image's header (its size, format and EXIF
//! orientation, without decoding it), and making one resized version (decode, turn upright,
//! resize, encode).
//!
//! Every image comes from content and may be hostile: the file's size, the declared width and
//! height and the decoder's memory are bounded before any pixel is decoded, so that a
//! "decompression bomb" (a small file declaring a huge image) or a corrupt file is an error,
//! never a panic or the machine running out of memory.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, metadata::Orientation};

use crate::base::error::Code;
use crate::base::i18n::{Text, msg};

/// Why an image cannot be used: [`Code::ImageTooLarge`] or [`Code::ImageInvalid`], and the
/// message.
pub type Refusal = (Code, Text);

/// The largest image file read, in bytes: far above any photo a camera makes.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// The largest width or height accepted, in pixels.
pub const MAX_SIDE: u32 = 16_384;
/// The most pixels an image may have (a 40-megapixel camera makes 40 million): decoding it
/// takes at most four bytes each.
pub const MAX_PIXELS: u64 = 64_000_000;
/// What one decoder may allocate at once.
const MAX_DECODER_BYTES: u64 = 4 * MAX_PIXELS + 64 * 1024 * 1024;

/// The formats a resized version can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// Lossy WebP (libwebp), at the quality asked for.
    WebP,
    /// JPEG, at the quality asked for.
    Jpeg,
    /// PNG (lossless; the quality is not used).
    Png,
}

impl Format {
    /// The format named `name` in a template (`webp`, `jpeg` or `jpg`, `png`), or that of the
    /// original (`original`, whose format is `original`).
    pub fn named(name: &str, original: Format) -> Option<Format> {
        match name {
            "webp" => Some(Format::WebP),
            "jpeg" | "jpg" => Some(Format::Jpeg),
            "png" => Some(Format::Png),
            "original" => Some(original),
            _ => None,
        }
    }

    /// The file name extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::WebP => "webp",
            Format::Jpeg => "jpg",
            Format::Png => "png",
        }
    }
}

/// What an image's header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// Width as shown, once turned upright by its EXIF orientation.
    pub width: u32,
    /// Height as shown.
    pub height: u32,
    /// The format the file is in.
    pub format: Format,
}

/// The size and format of the image in `bytes`, read from its header alone; an error (in
/// both languages) when it is not a JPEG, PNG or WebP image, or is too large to decode.
pub fn header(bytes: &[u8]) -> Result<Header, Refusal> {
    let (mut decoder, format) = decoder(bytes)?;
    let (width, height) = decoder.dimensions();
    check_size(width, height)?;
    check_whole(bytes, format, width, height)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let (width, height) = if turns_sideways(orientation) {
        (height, width)
    } else {
        (width, height)
    };
    Ok(Header {
        width,
        height,
        format,
    })
}

/// The image in `bytes` turned upright, resized to `width` × `height` and encoded as
/// `format` (`quality` from 1 to 100 for the lossy formats).
pub fn resized(
    bytes: &[u8],
    width: u32,
    height: u32,
    format: Format,
    quality: u8,
) -> Result<Vec<u8>, Refusal> {
    let (mut decoder, original) = decoder(bytes)?;
    let (w, h) = decoder.dimensions();
    check_size(w, h)?;
    check_whole(bytes, original, w, h)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(not_readable)?;
    image.apply_orientation(orientation);
    // Catmull-Rom: as sharp as Lanczos for a reduction, at about half its cost.
    let image = image.resize_exact(width, height, image::imageops::FilterType::CatmullRom);
    encode(&image, format, quality).map_err(|message| (Code::ImageInvalid, message))
}

/// `image` in `format`.
fn encode(image: &DynamicImage, format: Format, quality: u8) -> Result<Vec<u8>, Text> {
    let mut out = Vec::new();
    let failed = |e: &dyn std::fmt::Display| msg!("cannot encode the image: {error}", error = e);
    match format {
        Format::WebP => {
            let (pixels, layout) = if image.color().has_alpha() {
                (image.to_rgba8().into_raw(), webp::PixelLayout::Rgba)
            } else {
                (image.to_rgb8().into_raw(), webp::PixelLayout::Rgb)
            };
            let encoder = webp::Encoder::new(&pixels, layout, image.width(), image.height());
            let encoded = encoder
                .encode_simple(false, f32::from(quality))
                .map_err(|e| failed(&format!("{e:?}")))?;
            out.extend_from_slice(&encoded);
        }
        Format::Jpeg => {
            // JPEG has no transparency: the pixels are flattened to RGB.
            let rgb = DynamicImage::ImageRgb8(image.to_rgb8());
            let encoder =
                image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality.clamp(1, 100));
            rgb.write_with_encoder(encoder).map_err(|e| failed(&e))?;
        }
        Format::Png => {
            image
                .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
                .map_err(|e| failed(&e))?;
        }
    }
    Ok(out)
}

/// A decoder for `bytes`, with the limits set, and the format it reads.
fn decoder(bytes: &[u8]) -> Result<(impl ImageDecoder + '_, Format), Refusal> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| not_readable(image::ImageError::IoError(e)))?;
    let format = match reader.format() {
        Some(ImageFormat::Jpeg) => Format::Jpeg,
        Some(ImageFormat::Png) => Format::Png,
        Some(ImageFormat::WebP) => Format::WebP,
        _ => {
            return Err((
                Code::ImageInvalid,
                msg!("this is not a JPEG, PNG or WebP image"),
            ));
        }
    };
    // The width and height are checked by `check_size` once the header is read (to say what
    // the image declares); the decoder's memory is bounded here.
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_DECODER_BYTES);
    reader.limits(limits);
    let decoder = reader.into_decoder().map_err(not_readable)?;
    Ok((decoder, format))
}

/// An error when `width` × `height` is more than the build decodes.
fn check_size(width: u32, height: u32) -> Result<(), Refusal> {
    if width == 0 || height == 0 {
        return Err((Code::ImageInvalid, msg!("the image has no pixels")));
    }
    if width > MAX_SIDE || height > MAX_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err((
            Code::ImageTooLarge,
            msg!(
                "the image declares {width}×{height} pixels, more than the build decodes (at most {side} per side and {megapixels} million in all)",
                width = width,
                height = height,
                side = MAX_SIDE,
                megapixels = MAX_PIXELS / 1_000_000
            ),
        ));
    }
    Ok(())
}

/// An error when `bytes`, a `format` image of `width` × `height`, is cut short: the JPEG
/// decoder fills in what is missing (grey, or nothing but time: a 1 KB file declaring 64
/// million pixels in empty scans takes seconds), so a JPEG must end its image (an end
/// marker after its first scan) and hold at least a bit for each 8×8 block, the least any
/// whole JPEG takes. PNG and WebP decoders refuse a cut file themselves.
fn check_whole(bytes: &[u8], format: Format, width: u32, height: u32) -> Result<(), Refusal> {
    if format != Format::Jpeg {
        return Ok(());
    }
    let blocks = u64::from(width.div_ceil(8)) * u64::from(height.div_ceil(8));
    let short = (bytes.len() as u64) < blocks / 8;
    if short || !jpeg_ends(bytes) {
        return Err((
            Code::ImageInvalid,
            msg!(
                "the image is cut short: its file has less than the {width}×{height} pixels it declares",
                width = width,
                height = height
            ),
        ));
    }
    Ok(())
}

/// Whether the JPEG in `bytes` has an end-of-image marker after the start of its first scan.
/// The segments before the scan are skipped by their lengths (an EXIF thumbnail inside one
/// has its own end marker); within the scans a 0xFF byte is followed only by 0x00, a restart
/// marker or another segment's marker, so the first 0xFF 0xD9 there is the image's end.
fn jpeg_ends(bytes: &[u8]) -> bool {
    let mut at = 2; // past the start-of-image marker
    loop {
        match (bytes.get(at), bytes.get(at + 1)) {
            (Some(0xFF), Some(0xFF)) => at += 1, // fill bytes before a marker
            (Some(0xFF), Some(0xDA)) => break,
            (Some(0xFF), Some(_)) => {
                let Some(length) = bytes.get(at + 2..at + 4) else {
                    return false;
                };
                at += 2 + usize::from(u16::from_be_bytes([length[0], length[1]]));
            }
            _ => return false,
        }
    }
    memchr::memmem::find(&bytes[at..], &[0xFF, 0xD9]).is_some()
}

/// The decoder's error, said to be one.
fn not_readable(error: image::ImageError) -> Refusal {
    match error {
        image::ImageError::Limits(_) => (
            Code::ImageTooLarge,
            msg!(
                "the image is larger than the build decodes (at most {side} pixels per side and {megapixels} million in all)",
                side = MAX_SIDE,
                megapixels = MAX_PIXELS / 1_000_000
            ),
        ),
        other => (
            Code::ImageInvalid,
            msg!(
                "the image is damaged or not in a format the build reads: {error}",
                error = other.to_string().trim_end()
            ),
        ),
    }
}

/// Whether `orientation` swaps width and height.
fn turns_sideways(orientation: Orientation) -> bool {
    matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        let mut out = Vec::new();
        DynamicImage::ImageRgb8(image)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    /// A JPEG cut short is refused, where the decoder would fill it in: cut anywhere in its
    /// scan, or declaring far more pixels than its bytes can hold (a 1 KB file took seconds).
    #[test]
    fn a_jpeg_cut_short_is_refused() {
        let whole = resized(&png(600, 400), 600, 400, Format::Jpeg, 90).unwrap();
        assert_eq!(header(&whole).unwrap().width, 600);
        let cut_short = |bytes: &[u8]| {
            let (code, message) = header(bytes).unwrap_err();
            code == Code::ImageInvalid && message.en.starts_with("the image is cut short")
        };
        for cut in [whole.len() / 3, whole.len() * 2 / 3, whole.len() - 2] {
            assert!(cut_short(&whole[..cut]), "cut at {cut} of {}", whole.len());
            assert!(resized(&whole[..cut], 60, 40, Format::Png, 80).is_err());
        }
        // Bytes after the end marker (some cameras add their own) are fine.
        let mut trailer = whole.clone();
        trailer.extend_from_slice(b"trailer of a camera");
        assert!(header(&trailer).is_ok());
        // The same file declaring 8000×8000 pixels in its frame header.
        let frame = whole
            .windows(2)
            .position(|pair| pair == [0xFF, 0xC0])
            .expect("a baseline frame");
        let mut bomb = whole.clone();
        bomb[frame + 5..frame + 9].copy_from_slice(&[0x1F, 0x40, 0x1F, 0x40]);
        assert_eq!(
            &bomb[frame + 5..frame + 9],
            &8000u16.to_be_bytes().repeat(2)[..]
        );
        assert!(cut_short(&bomb));
    }

    #[test]
    fn resized_versions_decode_at_their_size_in_each_format() {
        let source = png(40, 30);
        assert_eq!(
            header(&source).unwrap(),
            Header {
                width: 40,
                height: 30,
                format: Format::Png
            }
        );
        for format in [Format::WebP, Format::Jpeg, Format::Png] {
            let bytes = resized(&source, 20, 15, format, 80).unwrap();
            let made = header(&bytes).unwrap();
            assert_eq!((made.width, made.height, made.format), (20, 15, format));
        }
    }

    #[test]
    fn sizes_past_the_limits_and_garbage_are_refused() {
        assert!(check_size(MAX_SIDE, 3_000).is_ok());
        for (width, height) in [
            (MAX_SIDE + 1, 10),
            (10, MAX_SIDE + 1),
            (9_000, 9_000),
            (0, 5),
        ] {
            let refused = check_size(width, height).unwrap_err();
            let expected = if width == 0 {
                Code::ImageInvalid
            } else {
                Code::ImageTooLarge
            };
            assert_eq!(refused.0, expected, "{width}×{height}");
        }
        let (code, error) = header(b"not an image at all").unwrap_err();
        assert_eq!(code, Code::ImageInvalid);
        assert_eq!(error.en, "this is not a JPEG, PNG or WebP image");
        let mut truncated = png(64, 64);
        truncated.truncate(truncated.len() / 2);
        assert_eq!(
            resized(&truncated, 10, 10, Format::WebP, 80).unwrap_err().0,
            Code::ImageInvalid
        );
    }
}
