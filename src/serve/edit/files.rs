//! What the editor writes to disk, and how: a page saved over itself only when it is still the
//! version the editor opened (else a conflict, and nothing is written), and an uploaded image
//! added beside its page under a name no file has (never over one).
//!
//! Every write goes to a temporary file in the same folder first, named with a leading `.`
//! (`.via-piazzetta.md.wemi-1234-0.tmp`) so that neither the build's walk nor the watcher
//! ever sees it ([`crate::base::fs::is_ignored`]), written whole and synced to the disk,
//! then renamed over the page (or linked to the image's new name, which fails when the name is
//! taken): a reader sees the old file or the new one, never half of one, even if the machine
//! stops in between.

use std::collections::HashSet;
use std::io;
use std::path::Path;

use crate::base::slug::slugify;
use crate::base::{fs, site_path};

use super::form::version;

/// What [`replace`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Replaced {
    /// The file now holds the new bytes.
    Written,
    /// The file on disk is not the version the editor opened (it has this version): nothing
    /// was written.
    Conflict(String),
}

/// Writes `bytes` over `file` atomically, only when the file on disk is still at `opened`
/// (its version when the editor read it).
pub fn replace(file: &Path, opened: &str, bytes: &[u8]) -> io::Result<Replaced> {
    let on_disk = version(&std::fs::read(file)?);
    if on_disk != opened {
        return Ok(Replaced::Conflict(on_disk));
    }
    let temporary = fs::write_temporary(file, bytes)?;
    // Checked again just before the rename: a save from another editor's window, or a text
    // editor, in the meantime is a conflict too (a change after this instant is not seen,
    // as with any two programs writing one file).
    let on_disk = version(&std::fs::read(file)?);
    if on_disk != opened {
        let _ = std::fs::remove_file(&temporary);
        return Ok(Replaced::Conflict(on_disk));
    }
    let renamed = std::fs::rename(&temporary, file);
    if renamed.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    renamed?;
    fs::sync_folder(file);
    Ok(Replaced::Written)
}

/// Writes `bytes` as a new file in `folder`, named `stem.extension`, or `stem-2.extension`,
/// `stem-3.extension`… when that name is taken: never over an existing file, nor beside one
/// whose name differs only in case or Unicode composition (`Foto.png`), which a host would
/// serve at the same address. Returns the name.
pub fn add_new(folder: &Path, stem: &str, extension: &str, bytes: &[u8]) -> io::Result<String> {
    /// Past this many taken names, something is wrong (a folder cannot hold that many photos
    /// of one name): an error rather than a long search.
    const MAX_TRIES: usize = 1000;
    let taken: HashSet<String> = std::fs::read_dir(folder)?
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| entry.file_name().into_string().ok())
        .map(|name| site_path::fold(&name).into_owned())
        .collect();
    let temporary = fs::write_temporary(&folder.join(format!("{stem}.{extension}")), bytes)?;
    let mut outcome = Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!("{stem}.{extension} and {MAX_TRIES} other names are taken"),
    ));
    for n in 1..=MAX_TRIES {
        let name = match n {
            1 => format!("{stem}.{extension}"),
            n => format!("{stem}-{n}.{extension}"),
        };
        if taken.contains(site_path::fold(&name).as_ref()) {
            continue;
        }
        // A hard link to a name that exists fails, in the same call that would make it: no
        // race with a file appearing meanwhile.
        match std::fs::hard_link(&temporary, folder.join(&name)) {
            Ok(()) => {
                outcome = Ok(name);
                break;
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => {
                outcome = Err(e);
                break;
            }
        }
    }
    std::fs::remove_file(&temporary)?;
    if outcome.is_ok() {
        fs::sync_folder(&temporary);
    }
    outcome
}

/// The stem of an uploaded image's file name: `Foto del Cortile.JPEG` → `foto-del-cortile`;
/// `immagine` when nothing of it makes a slug, and `immagine-con` for a name Windows reserves
/// (`con`, `aux`, `com1` …) or one too long to publish (then shortened).
pub fn image_stem(name: &str) -> String {
    let stem = match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => name,
    };
    let slug = slugify(stem);
    if slug.is_empty() {
        "immagine".to_string()
    } else if site_path::segment_problem(&slug).is_some() {
        // Reserved (`con`), or too long: shortened, at a character, to leave room for `-2`
        // and the extension.
        let end = slug
            .char_indices()
            .map(|(i, c)| i + c.len_utf8())
            .take_while(|&end| end <= 80)
            .last()
            .unwrap_or(0);
        format!("immagine-{}", slug[..end].trim_end_matches('-'))
    } else {
        slug
    }
}

/// The markdown of an image: `alt` with every ASCII punctuation mark escaped, so that no text
/// of it can end the brackets, start a link or a shortcode (`{{`), and its line breaks as
/// spaces. `path` is the image as the page reaches it.
pub fn image_markdown(alt: &str, path: &str) -> String {
    let mut escaped = String::with_capacity(alt.len());
    for c in alt.trim().chars() {
        if c.is_ascii_punctuation() {
            escaped.push('\\');
        }
        escaped.push(if c.is_control() { ' ' } else { c });
    }
    format!("![{escaped}]({path})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replace_is_refused_when_the_file_changed_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "uno").unwrap();
        let opened = version(b"uno");
        std::fs::write(&file, "due").unwrap();
        assert_eq!(
            replace(&file, &opened, b"tre").unwrap(),
            Replaced::Conflict(version(b"due"))
        );
        assert_eq!(std::fs::read(&file).unwrap(), b"due");
        assert_eq!(
            replace(&file, &version(b"due"), b"tre").unwrap(),
            Replaced::Written
        );
        assert_eq!(std::fs::read(&file).unwrap(), b"tre");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn new_files_never_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("foto.jpg"), "vecchia").unwrap();
        assert_eq!(
            add_new(dir.path(), "foto", "jpg", b"a").unwrap(),
            "foto-2.jpg"
        );
        assert_eq!(
            add_new(dir.path(), "foto", "jpg", b"b").unwrap(),
            "foto-3.jpg"
        );
        assert_eq!(
            std::fs::read(dir.path().join("foto.jpg")).unwrap(),
            b"vecchia"
        );
        assert_eq!(std::fs::read(dir.path().join("foto-3.jpg")).unwrap(), b"b");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 3);
        // A name that differs only in case or composition is taken too: a host would serve
        // both at one address.
        std::fs::write(dir.path().join("Cortile.png"), "vecchia").unwrap();
        std::fs::write(dir.path().join("citta\u{300}.png"), "vecchia").unwrap();
        assert_eq!(
            add_new(dir.path(), "cortile", "png", b"c").unwrap(),
            "cortile-2.png"
        );
        assert_eq!(
            add_new(dir.path(), "città", "png", b"d").unwrap(),
            "città-2.png"
        );
    }

    #[test]
    fn names_and_markdown() {
        assert_eq!(image_stem("Foto del Cortile.JPEG"), "foto-del-cortile");
        assert_eq!(image_stem("../../.bashrc"), "immagine");
        assert_eq!(image_stem("../cortile.png"), "cortile");
        assert_eq!(image_stem("???.png"), "immagine");
        // Names Windows reserves, which the build would refuse.
        for (name, stem) in [
            ("Aux.png", "immagine-aux"),
            ("con", "immagine-con"),
            ("COM1.jpg", "immagine-com1"),
            ("nul.tar.png", "nul-tar"),
            (
                &format!("{}.png", "è".repeat(250)),
                &format!("immagine-{}", "e".repeat(80)),
            ),
        ] {
            assert_eq!(image_stem(name), stem, "{name}");
        }
        assert_eq!(
            image_markdown(" L'ingresso [nuovo]\n{{ x() }} ", "foto.jpg"),
            "![L\\'ingresso \\[nuovo\\] \\{\\{ x\\(\\) \\}\\}](foto.jpg)"
        );
    }
}
