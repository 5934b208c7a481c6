//! Writes a site of photos for the image benchmark (`benches/photos.py`): `N` news pages, each a
//! page bundle with one photo-sized JPEG (2000 × 1500, quality 85) shown with `figura`.
//!
//! `cargo run --example photo_site -- OUT N [SEED]`
//!
//! The photos look like photos to an encoder: smooth gradients, a few soft waves of light and
//! colour, and fine grain, different for each page and the same for a seed. The site uses the
//! repository's `wemi` theme, copied into `OUT/themes/wemi`.

use std::fs;
use std::path::Path;

use rayon::prelude::*;

const WIDTH: u32 = 2000;
const HEIGHT: u32 = 1500;
/// How many grain values a photo draws from (a prime, so the pattern does not line up).
const GRAIN: usize = 65_521;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(out), Some(count)) = (args.next(), args.next()) else {
        eprintln!("usage: photo_site OUT N [SEED]");
        std::process::exit(2);
    };
    let count: usize = count.parse().expect("N is a number");
    let seed: u64 = args
        .next()
        .map_or(13, |s| s.parse().expect("SEED is a number"));
    let out = Path::new(&out);
    let repository = Path::new(env!("CARGO_MANIFEST_DIR"));
    fs::create_dir_all(out.join("content/notizie")).unwrap();
    copy_dir(&repository.join("themes/wemi"), &out.join("themes/wemi"));
    fs::write(
        out.join("site.yaml"),
        "title: Foto\nbase_url: https://example.org/\ntheme: wemi\nlanguage: it\n",
    )
    .unwrap();
    fs::write(out.join("content/_index.md"), "---\ntitle: Foto\n---\n").unwrap();
    fs::create_dir_all(out.join("content/spazi")).unwrap();
    // The theme's home page lists the spaces.
    fs::write(
        out.join("content/spazi/_index.md"),
        "---\ntitle: Spazi\n---\n",
    )
    .unwrap();
    fs::write(
        out.join("content/notizie/_index.md"),
        "---\ntitle: Notizie\n---\n",
    )
    .unwrap();
    let sizes: Vec<usize> = (0..count)
        .into_par_iter()
        .map(|n| {
            let folder = out.join(format!("content/notizie/foto-{n:03}"));
            fs::create_dir_all(&folder).unwrap();
            fs::write(
            folder.join("index.md"),
            format!(
                "---\ntitle: Foto {n}\ndate: 2026-01-01\n---\nUna giornata allo spazio WeMi.\n\n\
                 {{{{ figura(src=\"foto.jpg\", alt=\"Persone nello spazio WeMi, foto {n}\") }}}}\n"
            ),
        )
        .unwrap();
            let jpeg = photo(seed.wrapping_mul(1000).wrapping_add(n as u64));
            fs::write(folder.join("foto.jpg"), &jpeg).unwrap();
            jpeg.len()
        })
        .collect();
    let total: usize = sizes.iter().sum();
    println!(
        "{{\"photos\": {count}, \"width\": {WIDTH}, \"height\": {HEIGHT}, \"jpeg_bytes\": {total}}}"
    );
}

/// One photo-like JPEG, the same for a seed: soft waves of light and colour drawn at an eighth
/// of the size and enlarged (smooth, as out-of-focus parts of a photo are), then fine grain.
/// The little per-pixel work done here stays quick even in a debug build.
fn photo(seed: u64) -> Vec<u8> {
    const SMALL: (u32, u32) = (WIDTH / 8, HEIGHT / 8);
    let mut random = XorShift((seed << 1) | 1);
    let base = [
        random.unit() * 200.0,
        random.unit() * 200.0,
        random.unit() * 200.0,
    ];
    let waves: Vec<([f32; 3], [f32; 3])> = (0..6)
        .map(|_| {
            let shape = [
                random.unit() * 0.16,
                random.unit() * 0.16,
                random.unit() * 6.3,
            ];
            let strength = 20.0 + random.unit() * 40.0;
            let channel = (random.unit() * 3.0) as usize;
            let light = [0, 1, 2].map(|c| strength * if c == channel { 1.0 } else { 0.4 });
            (shape, light)
        })
        .collect();
    let small = image::RgbImage::from_fn(SMALL.0, SMALL.1, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        let shade = 0.6 + 0.4 * fy / SMALL.1 as f32;
        let mut rgb = base.map(|b| b * shade);
        for ([a, b, c], light) in &waves {
            let wave = (a * fx + b * fy + c).sin();
            for (value, strength) in rgb.iter_mut().zip(light) {
                *value += strength * wave;
            }
        }
        image::Rgb(rgb.map(|v| v.clamp(0.0, 255.0) as u8))
    });
    let mut pixels =
        image::imageops::resize(&small, WIDTH, HEIGHT, image::imageops::FilterType::Triangle)
            .into_raw();
    let grain: Vec<i16> = (0..GRAIN)
        .map(|_| (random.next() % 25) as i16 - 12)
        .collect();
    let offset = random.next() as usize;
    for (n, value) in pixels.iter_mut().enumerate() {
        let noise = grain[(n.wrapping_mul(7919).wrapping_add(offset)) % GRAIN];
        *value = (i16::from(*value) + noise).clamp(0, 255) as u8;
    }
    let image = image::RgbImage::from_raw(WIDTH, HEIGHT, pixels).expect("the size is right");
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85);
    image::DynamicImage::ImageRgb8(image)
        .write_with_encoder(encoder)
        .unwrap();
    out
}

/// A small, fast generator of pseudo-random numbers (xorshift64).
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number from 0 to 1.
    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}
