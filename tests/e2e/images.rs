//! Resized images: the theme's `figura` asks `resize_image` for WebP versions of an image
//! beside its page; the page gets `srcset`, `sizes`, `width` and `height` matching the files
//! really written; a second build takes every version from `.wemi/images/`, which `wemi serve`
//! fills and uses too; an image without alt text, a damaged image and a decompression bomb are
//! errors naming their file.
//!
//! The images are made here with the `image` crate: nothing large is stored in the repository.

use crate::common;

use std::fs;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use common::{Site, attrs};
use image::{DynamicImage, ImageFormat, RgbImage};

/// The page bundle of the tests, beside which the images are.
const PAGE: &str = "content/spazi/galleria/index.md";

/// The basic fixture with the real theme's `figura` (overriding the test theme's).
fn site_with_figura() -> Site {
    let site = Site::fixture("basic");
    let figura =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/wemi/templates/shortcodes/figura.html");
    site.write(
        "templates/shortcodes/figura.html",
        fs::read(figura).unwrap(),
    );
    site
}

/// A `width` × `height` image of smooth colours in `format`.
fn picture(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
    let image = RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 90])
    });
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(image)
        .write_to(&mut Cursor::new(&mut out), format)
        .unwrap();
    out
}

/// A real PNG of 8 × 8 pixels whose header says `width` × `height`: the few bytes of a
/// decompression bomb (its checksum right, so that only the size is wrong).
pub fn png_declaring(width: u32, height: u32) -> Vec<u8> {
    let mut png = picture(8, 8, ImageFormat::Png);
    // The signature (8 bytes), then IHDR: length, "IHDR", width, height, 5 bytes, checksum.
    png[16..20].copy_from_slice(&width.to_be_bytes());
    png[20..24].copy_from_slice(&height.to_be_bytes());
    let checksum = crc32(&png[12..29]);
    png[29..33].copy_from_slice(&checksum.to_be_bytes());
    png
}

/// The CRC-32 of PNG chunks.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// The decoded width and height of the image file at `path`.
fn decoded_size(path: &Path) -> (u32, u32) {
    let image = image::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (image.width(), image.height())
}

/// The files of `.wemi/images/` with their modification times.
fn cached(site: &Site) -> Vec<(PathBuf, SystemTime)> {
    let mut files: Vec<_> = fs::read_dir(site.root.join(".wemi/images"))
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.path(), e.metadata().unwrap().modified().unwrap())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn figures_get_srcset_sizes_and_the_real_size_of_each_version() {
    let site = site_with_figura();
    site.write(
        PAGE,
        "---\ntitle: Galleria\n---\nLe foto dello spazio.\n\n\
         {{ figura(src=\"foto.jpg\", alt=\"La sala grande\", didascalia=\"La sala\") }}\n\n\
         {{ figura(src=\"/logo.png\", alt=\"Il logo\") }}\n",
    );
    // 1000 pixels wide: the 1600 of the theme's list is never made, the original is the largest.
    site.write(
        "content/spazi/galleria/foto.jpg",
        picture(1000, 750, ImageFormat::Jpeg),
    );
    // In static/, smaller than every width asked for.
    site.write("static/logo.png", picture(300, 100, ImageFormat::Png));
    let stdout = site.build_ok(&[]);
    assert!(
        stdout.contains("Resized images: 4 made, 0 taken from .wemi/images/"),
        "{stdout}"
    );

    let html = site.html("spazi/galleria/index.html");
    let srcsets = attrs(&html, "figure img", "srcset");
    let sizes = attrs(&html, "figure img", "sizes");
    let widths = attrs(&html, "figure img", "width");
    let heights = attrs(&html, "figure img", "height");
    let srcs = attrs(&html, "figure img", "src");
    assert_eq!(srcsets.len(), 2);
    assert!(sizes.iter().all(|s| s.contains("48rem")), "{sizes:?}");
    let mut described = Vec::new();
    for srcset in &srcsets {
        let mut entries = Vec::new();
        for entry in srcset.split(", ") {
            let (url, width) = entry.split_once(' ').unwrap();
            let width: u32 = width.strip_suffix('w').unwrap().parse().unwrap();
            let file = site.public(url.trim_start_matches('/'));
            let (real_width, real_height) = decoded_size(&file);
            assert_eq!(real_width, width, "{url}");
            assert!(url.ends_with(".webp"), "{url}");
            entries.push((url.to_string(), real_width, real_height));
        }
        described.push(entries);
    }
    let photo: Vec<u32> = described[0].iter().map(|e| e.1).collect();
    assert_eq!(photo, [480, 800, 1000], "never wider than the original");
    let (largest, width, height) = described[0].last().unwrap().clone();
    assert_eq!((width, height), (1000, 750));
    assert_eq!(srcs[0], largest);
    assert_eq!((widths[0].as_str(), heights[0].as_str()), ("1000", "750"));
    assert!(
        largest.starts_with("/spazi/galleria/foto.1000w.") && largest.ends_with(".webp"),
        "beside the page, named after the original and its width: {largest}"
    );
    // The 480 pixel version keeps the aspect ratio: 480 × 360.
    assert_eq!(described[0][0].2, 360);
    let logo = &described[1];
    assert_eq!(logo.len(), 1);
    assert!(logo[0].0.starts_with("/logo.300w."), "{}", logo[0].0);
    assert_eq!((widths[1].as_str(), heights[1].as_str()), ("300", "100"));
    assert_eq!(
        attrs(&html, "figure img", "alt"),
        ["La sala grande", "Il logo"]
    );

    // An edited page: the site is built again, the images are not.
    let before = cached(&site);
    assert_eq!(before.len(), 4);
    let published = site.snapshot();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let text = fs::read_to_string(site.root.join(PAGE)).unwrap();
    site.write(PAGE, text.replace("Le foto", "Tutte le foto"));
    let stdout = site.build_ok(&[]);
    assert!(
        stdout.contains("Resized images: 0 made, 4 taken from .wemi/images/"),
        "{stdout}"
    );
    assert_eq!(cached(&site), before, "no version was written again");
    let again = site.snapshot();
    for (path, bytes) in &published {
        if path.extension().is_some_and(|e| e == "webp") {
            assert_eq!(again.get(path), Some(bytes), "{}", path.display());
        }
    }

    // Without the output folder, the versions come back from the cache.
    fs::remove_dir_all(site.root.join("public")).unwrap();
    let stdout = site.build_ok(&[]);
    assert!(stdout.contains("0 made, 4 taken"), "{stdout}");
    assert_eq!(
        decoded_size(&site.public(largest.trim_start_matches('/'))),
        (1000, 750)
    );

    // A new photo under the same name: a new address, made again.
    site.write(
        "content/spazi/galleria/foto.jpg",
        picture(900, 900, ImageFormat::Jpeg),
    );
    let stdout = site.build_ok(&[]);
    assert!(
        stdout.contains("Resized images: 3 made, 1 taken"),
        "{stdout}"
    );
    let html = site.html("spazi/galleria/index.html");
    let srcs = attrs(&html, "figure img", "src");
    assert_ne!(srcs[0], largest);
    assert!(
        !site.public(largest.trim_start_matches('/')).exists(),
        "the old version is gone"
    );
}

#[test]
fn images_without_alt_text_are_errors_at_their_line_and_column() {
    let site = site_with_figura();
    site.write(
        PAGE,
        "---\ntitle: Galleria\n---\nTesto.\n\nPrima ![](foto.jpg) e poi ![  ](foto.jpg).\n\n\
         {{ figura(src=\"foto.jpg\", alt=\"\") }}\n\n\
         {{ figura(src=\"foto.jpg\", alt=\"\", decorativa=true) }}\n\n\
         ![Una descrizione](foto.jpg)\n",
    );
    site.write(
        "content/spazi/galleria/foto.jpg",
        picture(40, 30, ImageFormat::Jpeg),
    );
    let stderr = site.build_err(&[], 1);
    let placed: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("[content.image-alt]"))
        .collect();
    assert_eq!(placed.len(), 3, "{stderr}");
    for (line, at) in placed.iter().zip(["6:7", "6:27", "8:1"]) {
        assert!(
            line.contains(&format!("content/spazi/galleria/index.md:{at}")),
            "{line}"
        );
    }

    // Described images and a decorative figure build, the decorative one with alt="".
    site.write(
        PAGE,
        "---\ntitle: Galleria\n---\n\
         {{ figura(src=\"foto.jpg\", alt=\"\", decorativa=true) }}\n\n\
         ![Una descrizione](foto.jpg)\n",
    );
    site.build_ok(&[]);
    let html = site.html("spazi/galleria/index.html");
    assert_eq!(attrs(&html, "figure img", "alt"), [""]);
}

#[test]
fn damaged_images_and_decompression_bombs_are_errors_naming_the_file() {
    let site = site_with_figura();
    site.write(
        PAGE,
        "---\ntitle: Galleria\n---\n\
         {{ figura(src=\"rotta.jpg\", alt=\"Una foto rotta\") }}\n\n\
         {{ figura(src=\"bomba.png\", alt=\"Una bomba\") }}\n\n\
         {{ figura(src=\"tronca.png\", alt=\"Una foto tronca\") }}\n",
    );
    site.write(
        "content/spazi/galleria/rotta.jpg",
        b"\xff\xd8\xff\xe0 not really a JPEG",
    );
    // A real PNG whose header says 60,000 × 60,000 pixels (3.6 billion): the few bytes of
    // a bomb. Decoded, it would need over 10 GB.
    site.write(
        "content/spazi/galleria/bomba.png",
        png_declaring(60_000, 60_000),
    );
    // A PNG cut in half: its header reads, its pixels do not.
    let mut truncated = picture(300, 300, ImageFormat::Png);
    truncated.truncate(truncated.len() / 2);
    site.write("content/spazi/galleria/tronca.png", truncated);

    let run = site.build_within(&[], std::time::Duration::from_secs(120));
    let stderr = String::from_utf8(run.output.stderr).unwrap();
    assert_eq!(run.output.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    for (code, file) in [
        ("image.invalid", "rotta.jpg"),
        ("image.too-large", "bomba.png"),
        ("image.invalid", "tronca.png"),
    ] {
        assert!(
            stderr.contains(&format!("[{code}]: content/spazi/galleria/{file}")),
            "{code} on {file}:\n{stderr}"
        );
    }
    // Far below what decoding the bomb would take.
    if let Some(kib) = run.peak_kib {
        assert!(kib < 1024 * 1024, "peak memory {kib} KiB");
    }
    assert!(
        !site.root.join("public").exists(),
        "a failed build writes nothing"
    );
}

#[test]
fn only_images_of_the_site_can_be_resized_and_versions_stay_in_the_output() {
    let site = site_with_figura();
    // Outside content/ and static/: a template may not publish it, whatever the path says.
    site.write("segreta.jpg", picture(20, 20, ImageFormat::Jpeg));
    for (n, src) in [
        "../../../segreta.jpg",
        "/../segreta.jpg",
        "../../../../../../../../etc/passwd",
        "site.yaml",
    ]
    .iter()
    .enumerate()
    {
        site.write(
            PAGE,
            format!(
                "---\ntitle: Galleria\n---\n{{{{ figura(src=\"{src}\", alt=\"Una foto\") }}}}\n"
            ),
        );
        let stderr = site.build_err(&[], 1);
        assert!(
            stderr.contains(&format!("resize_image: there is no image `{src}`")),
            "case {n}: {stderr}"
        );
    }
    // Names an editor may give, with spaces, quotes and accents, stay in their folder.
    site.write(
        PAGE,
        "---\ntitle: Galleria\n---\n{{ figura(src=\"l'entrata di via Giò.jpeg\", alt=\"L'entrata\") }}\n",
    );
    site.write(
        "content/spazi/galleria/l'entrata di via Giò.jpeg",
        picture(600, 400, ImageFormat::Jpeg),
    );
    site.build_ok(&[]);
    let html = site.html("spazi/galleria/index.html");
    let src = &attrs(&html, "figure img", "src")[0];
    assert!(
        src.starts_with("/spazi/galleria/l'entrata%20di%20via%20Giò.600w."),
        "spaces encoded, as srcset needs: {src}"
    );
    let file = site.public(&src.trim_start_matches('/').replace("%20", " "));
    assert_eq!(decoded_size(&file), (600, 400));
    let everything = common::walk(site.root.parent().unwrap());
    let site_root = &site.root;
    for path in everything {
        assert!(
            path.starts_with(site_root),
            "{} outside the site",
            path.display()
        );
        let relative = path.strip_prefix(site_root).unwrap();
        let first = relative.components().next().unwrap().as_os_str();
        assert!(
            [
                "content",
                "public",
                "static",
                "templates",
                "themes",
                ".wemi",
                "site.yaml",
                "segreta.jpg"
            ]
            .iter()
            .any(|f| first == *f),
            "{}",
            relative.display()
        );
        if first == "public" {
            assert!(
                !relative.to_string_lossy().contains("segreta"),
                "{}",
                relative.display()
            );
        }
    }
}

#[test]
fn the_preview_serves_the_versions_and_fills_the_cache_a_build_then_takes() {
    let site = site_with_figura();
    site.write(
        PAGE,
        "---\ntitle: Galleria\n---\n{{ figura(src=\"foto.jpg\", alt=\"La sala grande\") }}\n",
    );
    site.write(
        "content/spazi/galleria/foto.jpg",
        picture(1000, 750, ImageFormat::Jpeg),
    );
    let serve = common::serve::serve(&site);
    let page = common::serve::eventually(serve.port, "/spazi/galleria/", 200, |_| true);
    let html = scraper::Html::parse_document(&page);
    let srcsets = attrs(&html, "figure img", "srcset");
    assert_eq!(srcsets.len(), 1, "{page}");
    // Each version the page names is served, and is the file serve left in the cache.
    let cache: Vec<Vec<u8>> = cached(&site)
        .iter()
        .map(|(file, _)| fs::read(file).unwrap())
        .collect();
    let urls: Vec<&str> = srcsets[0]
        .split(", ")
        .map(|entry| entry.split_once(' ').unwrap().0)
        .collect();
    assert_eq!(urls.len(), 3, "480, 800 and the original's 1000: {urls:?}");
    assert_eq!(cache.len(), urls.len());
    for url in &urls {
        let reply = common::serve::fetch(serve.port, url).unwrap();
        assert_eq!(reply.status, 200, "{url}");
        assert!(
            cache.contains(&reply.body),
            "{url} is not a file of the cache"
        );
    }
    drop(serve);

    // The build after the preview decodes and encodes nothing.
    let before = cached(&site);
    let stdout = site.build_ok(&[]);
    assert!(
        stdout.contains("Resized images: 0 made, 3 taken from .wemi/images/"),
        "{stdout}"
    );
    assert_eq!(cached(&site), before);
}

#[test]
fn a_thin_image_gets_versions_at_least_one_pixel_high() {
    let site = site_with_figura();
    site.write(
        PAGE,
        "---\ntitle: Galleria\n---\n{{ figura(src=\"riga.png\", alt=\"Una riga\") }}\n",
    );
    site.write(
        "content/spazi/galleria/riga.png",
        picture(2000, 1, ImageFormat::Png),
    );
    site.build_ok(&[]);
    let html = site.html("spazi/galleria/index.html");
    let srcset = &attrs(&html, "figure img", "srcset")[0];
    for entry in srcset.split(", ") {
        let (url, _) = entry.split_once(' ').unwrap();
        let (_, height) = decoded_size(&site.public(url.trim_start_matches('/')));
        assert_eq!(height, 1, "{url}");
    }
}
