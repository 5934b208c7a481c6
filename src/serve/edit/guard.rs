//! What every request to the editor must pass before anything is read or written, besides the
//! `Host` it was sent to (checked by the editor with the server's
//! [`host_allowed`](crate::serve::http::request::host_allowed): no DNS rebinding): the
//! `Origin` of a POST (no other site's page can send one), the per-run token (compared in
//! constant time), and the paths it names.
//!
//! A path (`spazi/via-piazzetta.md`, a section `spazi`) comes from the request and is hostile:
//! it is refused when it is absolute, has `..`, `\`, NUL, `:` or a control character, a
//! component starting with `.`, or (a page) does not end in `.md`. Then every component under
//! `content/` (and `content/` itself) is looked at with `symlink_metadata`, which never follows
//! a link: a symbolic link anywhere on the way is refused, and so is anything but a folder on
//! the way and a regular file at the end. Nothing outside `content/` can be named.

use std::path::{Path, PathBuf};

use crate::base::i18n::{Text, msg};
use crate::base::layout::CONTENT_DIR;

/// Why a path was refused: the HTTP status (400 for a malformed path, 404 for one that names
/// nothing the editor may touch) and what to say.
pub type Refusal = (u16, Text);

/// True when `origin` (the `Origin` header of a POST) is this very server, as the `Host`
/// header names it: a page of any other origin, or a request without one, is refused.
pub fn origin_allowed(origin: Option<&str>, host: Option<&str>) -> bool {
    match (origin, host) {
        (Some(origin), Some(host)) => origin.eq_ignore_ascii_case(&format!("http://{host}")),
        _ => false,
    }
}

/// True when `sent` is the run's `token`. Every byte is compared whatever the first
/// difference, so that the time taken tells nothing about how much of a guess was right.
pub fn token_matches(sent: Option<&str>, token: &str) -> bool {
    let Some(sent) = sent else {
        return false;
    };
    let (sent, token) = (sent.as_bytes(), token.as_bytes());
    if sent.len() != token.len() {
        // The length is no secret: every token of a run has 64 hex digits.
        return false;
    }
    sent.iter()
        .zip(token)
        .fold(0u8, |diff, (a, b)| diff | (a ^ b))
        == 0
}

/// The file of the page `page` (a path relative to `content/`, `/`-separated): a regular
/// `.md` file reached without any symbolic link.
pub fn page(root: &Path, page: &str) -> Result<PathBuf, Refusal> {
    if !page.ends_with(".md") {
        return Err((
            400,
            msg!(
                "`{page}` is not a page: only `.md` files can be edited",
                page = page
            ),
        ));
    }
    let file = walk_down(root, page)?;
    let metadata = std::fs::symlink_metadata(&file).map_err(|_| missing(page))?;
    if !metadata.file_type().is_file() {
        return Err(missing(page));
    }
    Ok(file)
}

/// The folder of the section `section` (relative to `content/`): a folder reached without any
/// symbolic link.
pub fn section(root: &Path, section: &str) -> Result<PathBuf, Refusal> {
    let folder = walk_down(root, section)?;
    let metadata = std::fs::symlink_metadata(&folder).map_err(|_| missing(section))?;
    if !metadata.file_type().is_dir() {
        return Err(missing(section));
    }
    Ok(folder)
}

/// `relative` under `content/`, when its text is a plain relative path and every folder on
/// the way (from `content/` itself) is a real folder, not a link. The last component is
/// returned without being looked at.
fn walk_down(root: &Path, relative: &str) -> Result<PathBuf, Refusal> {
    let malformed = || {
        (
            400,
            msg!(
                "`{path}` is not a path inside content/",
                path = relative.escape_debug()
            ),
        )
    };
    let components: Vec<&str> = relative.split('/').collect();
    let plain = |c: &&str| {
        !c.is_empty()
            && !c.starts_with('.')
            && !c.contains(|ch: char| ch == '\\' || ch == ':' || ch.is_control())
    };
    if !components.iter().all(plain) {
        return Err(malformed());
    }
    let mut path = root.join(CONTENT_DIR);
    let (last, folders) = components.split_last().ok_or_else(malformed)?;
    for name in std::iter::once(&"").chain(folders) {
        path.push(name);
        let is_folder = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_dir());
        if !is_folder {
            return Err(missing(relative));
        }
    }
    path.push(last);
    Ok(path)
}

fn missing(path: &str) -> Refusal {
    (
        404,
        msg!(
            "there is no `{path}` in content/ that the editor can open (links are never followed)",
            path = path
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_and_tokens() {
        assert!(origin_allowed(
            Some("http://localhost:4000"),
            Some("localhost:4000")
        ));
        assert!(!origin_allowed(Some("null"), Some("localhost:4000")));
        assert!(!origin_allowed(
            Some("https://localhost:4000"),
            Some("localhost:4000")
        ));
        assert!(!origin_allowed(None, Some("localhost:4000")));
        let token = "ab".repeat(32);
        assert!(token_matches(Some(&token), &token));
        assert!(!token_matches(Some(&"ab".repeat(31)), &token));
        assert!(!token_matches(
            Some(&format!("{}ac", "ab".repeat(31))),
            &token
        ));
        assert!(!token_matches(None, &token));
    }

    #[test]
    fn paths_outside_content_links_and_odd_names_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/spazi")).unwrap();
        std::fs::write(root.join("content/spazi/a.md"), "---\n---\n").unwrap();
        std::fs::write(root.join("site.yaml"), "title: x\n").unwrap();
        assert_eq!(
            page(root, "spazi/a.md").unwrap(),
            root.join("content/spazi/a.md")
        );
        assert!(section(root, "spazi").is_ok());
        for (bad, status) in [
            ("../site.yaml", 400),
            ("spazi/../../site.yaml", 400),
            ("/etc/passwd.md", 400),
            ("spazi\\a.md", 400),
            ("spazi/.a.md", 400),
            ("spazi//a.md", 400),
            ("spazi/a\0.md", 400),
            ("C:/a.md", 400),
            ("spazi/a.txt", 400),
            ("spazi/b.md", 404),
            ("spazi", 400),
        ] {
            let refused = page(root, bad).unwrap_err();
            assert_eq!(refused.0, status, "{bad}");
        }
        assert_eq!(section(root, "spazi/a.md").unwrap_err().0, 404);
        assert_eq!(section(root, "..").unwrap_err().0, 400);
        #[cfg(unix)]
        {
            let outside = tempfile::tempdir().unwrap();
            std::fs::write(outside.path().join("x.md"), "segreto").unwrap();
            std::os::unix::fs::symlink(outside.path(), root.join("content/fuori")).unwrap();
            std::os::unix::fs::symlink(
                outside.path().join("x.md"),
                root.join("content/spazi/link.md"),
            )
            .unwrap();
            assert_eq!(page(root, "fuori/x.md").unwrap_err().0, 404);
            assert_eq!(page(root, "spazi/link.md").unwrap_err().0, 404);
            assert_eq!(section(root, "fuori").unwrap_err().0, 404);
        }
    }
}
