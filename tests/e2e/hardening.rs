//! End-to-end tests of the build's guarantees against hostile input and interruptions: every
//! output path stays inside the output folder, symbolic links never lead out of the site, the
//! build's bookkeeping is not published, a failed build changes nothing, and a build killed at
//! any moment leaves every file whole and is repaired by the next one.

use crate::common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::Site;

/// Every file and folder under `dir` (folders end with `/`), relative, with the files' bytes.
fn tree(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let rel = path
                .strip_prefix(dir)
                .unwrap()
                .to_str()
                .unwrap()
                .to_string();
            let meta = fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                out.insert(format!("{rel}/"), None);
                stack.push(path);
            } else {
                out.insert(rel, Some(fs::read(&path).unwrap()));
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// 1. Output paths

#[test]
fn file_names_with_backslashes_never_leave_the_output_folder() {
    let site = Site::fixture("basic");
    let evil = "a\\..\\..\\..\\scappato.txt";
    let outside = |name: &str| [site.root.join(name), site.root.parent().unwrap().join(name)];
    // A file co-located with a page.
    site.write(
        "content/spazi/con-foto/index.md",
        "---\ntitle: Con foto\n---\nTesto.\n",
    );
    site.write(&format!("content/spazi/con-foto/b{evil}"), "bundle");
    let stderr = site.build_err(&[], 1);
    assert!(
        stderr.contains(&format!(
            "error[path.name]: content/spazi/con-foto/b{evil}: "
        )),
        "{stderr}"
    );
    assert!(stderr.contains("contains `\\\\`"), "{stderr}");
    fs::remove_file(site.root.join(format!("content/spazi/con-foto/b{evil}"))).unwrap();
    // Files of static/ and of the theme's static/.
    site.write(&format!("static/{evil}"), "static");
    site.write(&format!("themes/test/static/t{evil}"), "theme");
    let stderr = site.build_err(&[], 1);
    for shown in [
        format!("static/{evil}"),
        format!("themes/test/static/t{evil}"),
    ] {
        assert!(
            stderr.contains(&format!("error[path.unsafe]: {shown}: ")),
            "{shown}: {stderr}"
        );
    }
    for name in ["scappato.txt", "tscappato.txt", "bscappato.txt"] {
        for path in outside(name) {
            assert!(!path.exists(), "{} written outside", path.display());
        }
    }
    assert!(
        !site.root.join("public").exists(),
        "a failed first build writes nothing"
    );
}

#[test]
fn names_that_hosts_read_differently_are_refused() {
    let site = Site::fixture("basic");
    for name in ["con.txt", "a#b.pdf", "c?d.pdf", "e%2e.pdf", "punto."] {
        site.write(&format!("static/{name}"), "x");
    }
    // These are fine: spaces, accents, emoji.
    for name in ["volantino 2026.pdf", "città.pdf", "🏠.png"] {
        site.write(&format!("static/ok/{name}"), "x");
    }
    let stderr = site.build_err(&[], 1);
    assert_eq!(
        stderr.matches("error[path.unsafe]: static/").count(),
        5,
        "{stderr}"
    );
    assert!(stderr.contains("Windows reserves for a device"), "{stderr}");
    for name in ["con.txt", "a#b.pdf", "c?d.pdf", "e%2e.pdf", "punto."] {
        fs::remove_file(site.root.join("static").join(name)).unwrap();
    }
    site.build_ok(&[]);
    assert!(site.public("ok/città.pdf").is_file());
    assert!(site.public("ok/🏠.png").is_file());
}

#[test]
fn two_files_a_case_insensitive_host_would_mix_up_collide() {
    let site = Site::fixture("basic");
    site.write("static/Logo.PNG", "a");
    site.write("static/logo.png", "b");
    let stderr = site.build_err(&[], 1);
    assert!(stderr.contains("error[output.collision]: "), "{stderr}");
    assert!(stderr.contains("ignore case"), "{stderr}");
    assert!(stderr.contains("static/Logo.PNG"), "{stderr}");
}

// ---------------------------------------------------------------------------------------------
// 3. Symbolic links

#[cfg(unix)]
#[test]
fn links_out_of_the_site_are_errors_and_nothing_behind_them_is_published() {
    let site = Site::fixture("basic");
    let secret = site.root.parent().unwrap().join("segreto.txt");
    fs::write(&secret, "segreto").unwrap();
    std::os::unix::fs::symlink("/etc/passwd", site.root.join("content/passwd.txt")).unwrap();
    std::os::unix::fs::symlink(&secret, site.root.join("content/spazi/segreto.txt")).unwrap();
    fs::create_dir_all(site.root.join("static")).unwrap();
    std::os::unix::fs::symlink("/etc", site.root.join("static/etc")).unwrap();
    let stderr = site.build_err(&[], 1);
    for link in [
        "content/passwd.txt",
        "content/spazi/segreto.txt",
        "static/etc",
    ] {
        assert!(
            stderr.contains(&format!("error[symlink.outside-site]: {link}: ")),
            "{link}: {stderr}"
        );
    }
    assert!(!site.root.join("public").exists());
    let check = site.run("check", &[]);
    assert_eq!(check.status.code(), Some(1));

    // `wemi serve` builds the same way: the link is an error, never served.
    let server = common::serve::serve(&site);
    let (status, body) = common::serve::get(server.port, "/passwd.txt");
    assert_eq!(status, 404);
    assert!(!body.contains("root:"), "{body}");
}

/// A link inside the site may not lead into a hidden folder (`.git`, `.wemi`), the output
/// folder (the build would publish its own output, deeper each time) or another folder the
/// build reads (`static/` linking to `content/` would publish the pages' sources, drafts
/// included).
#[cfg(unix)]
#[test]
fn links_into_hidden_output_or_other_input_folders_are_errors() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    site.write(
        ".git/config",
        "[remote]\n  url = https://TOKEN@example.org/x\n",
    );
    fs::create_dir_all(site.root.join("static")).unwrap();
    fs::create_dir_all(site.root.join("data")).unwrap();
    for (link, to) in [
        ("static/sorgenti", "../content"),
        ("static/git", "../.git"),
        ("static/stato", "../.wemi"),
        ("content/uscita", "../public"),
        ("data/config.txt", "../.git/config"),
    ] {
        std::os::unix::fs::symlink(to, site.root.join(link)).unwrap();
    }
    let before = tree(&site.root.join("public"));
    let stderr = site.build_err(&[], 1);
    for (link, place) in [
        (
            "static/sorgenti",
            "content, which the build reads on its own",
        ),
        ("static/git", "a hidden file or folder, .git"),
        ("static/stato", "a hidden file or folder, .wemi"),
        ("content/uscita", "the output folder, public/"),
        ("data/config.txt", "a hidden file or folder, .git"),
    ] {
        assert!(
            stderr.contains(&format!(
                "error[symlink.forbidden]: {link}: this symbolic link leads into {place}"
            )),
            "{link}: {stderr}"
        );
    }
    assert_eq!(tree(&site.root.join("public")), before);

    // A link to a folder of the site that no build reads is the site's files.
    for link in [
        "static/sorgenti",
        "static/git",
        "static/stato",
        "content/uscita",
        "data/config.txt",
    ] {
        fs::remove_file(site.root.join(link)).unwrap();
    }
    site.write("risorse/logo.txt", "logo");
    std::os::unix::fs::symlink("../risorse", site.root.join("static/risorse")).unwrap();
    site.build_ok(&[]);
    assert_eq!(
        fs::read_to_string(site.root.join("public/risorse/logo.txt")).unwrap(),
        "logo"
    );
}

/// A theme file that cannot be read is its own error, and only that: the theme's other files
/// still say what it has (its shortcodes were all reported unknown).
#[cfg(unix)]
#[test]
fn a_theme_file_that_cannot_be_read_is_the_only_error() {
    let site = Site::real();
    let favicon = site.root.join("themes/wemi/static/favicon.svg");
    fs::remove_file(&favicon).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", &favicon).unwrap();
    let stderr = site.build_err(&[], 1);
    assert!(
        stderr.starts_with("error[symlink.outside-site]: themes/wemi/static/favicon.svg: "),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 error found; nothing was written."),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn links_to_the_next_folder_are_walked_once() {
    // content/d0 holds two links to d1, d1 two links to d2 …: followed blindly, that is 2^12
    // walks of d12 (2^16 took 100 s and 1.1 GB on 6bb987c).
    let site = Site::fixture("basic");
    let n = 12;
    for i in 0..=n {
        let d = site.root.join(format!("cartelle/d{i}"));
        fs::create_dir_all(&d).unwrap();
        fs::write(d.join("f.txt"), "x").unwrap();
        if i < n {
            for name in ["a", "b"] {
                std::os::unix::fs::symlink(format!("../d{}", i + 1), d.join(name)).unwrap();
            }
        }
    }
    std::os::unix::fs::symlink("../cartelle/d0", site.root.join("content/d0")).unwrap();
    let stderr = site.build_err(&[], 1);
    assert_eq!(
        stderr.matches("error[symlink.loop]: ").count(),
        n,
        "{stderr}"
    );
    // Without the second links, each real file is published once.
    for i in 0..n {
        fs::remove_file(site.root.join(format!("cartelle/d{i}/b"))).unwrap();
    }
    site.build_ok(&[]);
    let copies = common::walk(&site.root.join("public/d0"))
        .iter()
        .filter(|p| p.ends_with("f.txt"))
        .count();
    assert_eq!(copies, n + 1);
}

// ---------------------------------------------------------------------------------------------
// 8. Input folders, raw files, the build's own state

#[test]
fn an_output_folder_in_any_input_folder_is_refused() {
    let site = Site::fixture("basic");
    for bad in [
        "data/out",
        "static/out",
        "themes/out",
        "templates",
        ".wemi/out",
        "content",
    ] {
        let out = site.root.join(bad);
        let existed = out.exists();
        let stderr = site.build_err(&["--output", out.to_str().unwrap()], 2);
        assert!(
            stderr.starts_with("error[output.protected-folder]: "),
            "{bad}: {stderr}"
        );
        assert_eq!(out.exists(), existed, "{bad}");
    }
}

/// A `public` that is a link into the site (a repository can hold one) is refused as the
/// folder it leads to, and so is an input folder reached through a link: nothing is written.
#[cfg(unix)]
#[test]
fn an_output_folder_reached_through_a_link_is_refused_too() {
    let site = Site::fixture("basic");
    let content = tree(&site.root.join("content"));
    std::os::unix::fs::symlink("content", site.root.join("public")).unwrap();
    let stderr = site.build_err(&[], 2);
    assert!(
        stderr.starts_with("error[output.protected-folder]: "),
        "{stderr}"
    );
    assert_eq!(tree(&site.root.join("content")), content);

    // content/ itself a link to the folder given as the output's parent.
    fs::remove_file(site.root.join("public")).unwrap();
    fs::rename(site.root.join("content"), site.root.join("sorgenti")).unwrap();
    std::os::unix::fs::symlink("sorgenti", site.root.join("content")).unwrap();
    let out = site.root.join("sorgenti/out");
    let stderr = site.build_err(&["--output", out.to_str().unwrap()], 2);
    assert!(
        stderr.starts_with("error[output.protected-folder]: "),
        "{stderr}"
    );
    assert!(!out.exists());
}

/// A folder of the output that a link has taken the place of is never written or cleaned
/// through: when its old files are gone from the site, the build stops with the link named,
/// and the files where the link leads stay.
#[cfg(unix)]
#[test]
fn old_files_are_never_removed_through_a_link_in_the_output() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("index.html"), "da tenere").unwrap();
    let notizie = site.root.join("public/notizie");
    fs::remove_dir_all(&notizie).unwrap();
    std::os::unix::fs::symlink(outside.path(), &notizie).unwrap();
    // The section goes: nothing is written under notizie/, its index.html is removed.
    fs::remove_dir_all(site.root.join("content/notizie")).unwrap();
    let stderr = site.build_err(&[], 1);
    assert!(
        stderr.starts_with("error[output.symlink]: ") && stderr.contains("public/notizie"),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(outside.path().join("index.html")).unwrap(),
        "da tenere"
    );
}

/// wemi keeps its state in `.wemi/` and never writes through a link there: a `.wemi` (or an
/// entry of it) that is a link is refused by build and serve, and nothing is written where
/// it leads.
#[cfg(unix)]
#[test]
fn a_link_where_the_state_is_kept_is_refused() {
    let site = Site::fixture("basic");
    let elsewhere = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), site.root.join(".wemi")).unwrap();
    let stderr = site.build_err(&[], 2);
    assert!(stderr.starts_with("error[output.symlink]: "), "{stderr}");
    assert!(stderr.contains("this is a symbolic link"), "{stderr}");
    // serve stops at once (were it to serve, the wait below would end it and fail).
    let mut serve = std::process::Command::new(env!("CARGO_BIN_EXE_wemi"))
        .args(["serve", "--port", "0", "--root"])
        .arg(&site.root)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while serve.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(30) {
            serve.kill().unwrap();
            panic!("serve ran with a link where its state is kept");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let serve = serve.wait_with_output().unwrap();
    assert_eq!(serve.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&serve.stderr).contains("error[output.symlink]"),
        "{}",
        String::from_utf8_lossy(&serve.stderr)
    );
    assert_eq!(fs::read_dir(elsewhere.path()).unwrap().count(), 0);
    assert!(!site.root.join("public").exists());

    // An entry of the state folder.
    fs::remove_file(site.root.join(".wemi")).unwrap();
    fs::create_dir(site.root.join(".wemi")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), site.root.join(".wemi/serve")).unwrap();
    let stderr = site.build_err(&[], 2);
    assert!(stderr.contains(".wemi/serve"), "{stderr}");
    assert_eq!(fs::read_dir(elsewhere.path()).unwrap().count(), 0);
}

/// The names the build gives its own files while it writes (`.index.html.wemi-tmp`) are no
/// output path: an alias there made a folder that stopped every later build.
#[test]
fn an_alias_cannot_take_the_names_of_the_builds_own_files() {
    let site = Site::fixture("basic");
    site.write(
        "content/spazi/ancora.md",
        "---\ntitle: Ancora\naliases: [\"/.index.html.wemi-tmp/a.html\", \"/spazi/.index.html.wemi-old/\"]\n---\nTesto.\n",
    );
    let stderr = site.build_err(&[], 1);
    for path in [
        ".index.html.wemi-tmp/a.html",
        "spazi/.index.html.wemi-old/index.html",
    ] {
        assert!(
            stderr.contains(&format!(
                "error[path.unsafe]: content/spazi/ancora.md: cannot publish a file at `{path}`: a name ending in `.wemi-tmp`, `.wemi-old` or `.wemi-new` is kept for the files wemi writes"
            )),
            "{path}: {stderr}"
        );
    }
    assert!(!site.root.join("public").exists());
}

#[test]
fn the_build_state_stays_out_of_the_published_folder() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let published = tree(&site.root.join("public"));
    assert!(
        published
            .keys()
            .all(|p| !p.split('/').any(|s| s.starts_with(".wemi"))),
        "{:?}",
        published.keys().collect::<Vec<_>>()
    );
    assert!(site.root.join(".wemi/public.manifest").is_file());
    assert_eq!(
        fs::read_to_string(site.root.join(".wemi/.gitignore"))
            .unwrap()
            .lines()
            .last(),
        Some("*"),
        "git ignores the state"
    );
    // An older wemi's manifest in the output folder is read once, then removed.
    fs::write(site.public(".wemi-manifest"), "#wemi\nvecchio.html\n").unwrap();
    fs::write(site.public("vecchio.html"), "old").unwrap();
    site.write("content/spazi/nuovo.md", "---\ntitle: Nuovo\n---\n");
    site.build_ok(&[]);
    assert!(!site.public(".wemi-manifest").exists());
    assert!(
        !site.public("vecchio.html").exists(),
        "it was wemi's: removed"
    );
}

#[test]
fn co_located_html_and_svg_are_raw_html() {
    let site = Site::fixture("basic");
    site.write(
        "content/spazi/con-mappa/index.md",
        "---\ntitle: Con mappa\n---\nTesto.\n",
    );
    site.write(
        "content/spazi/con-mappa/mappa.svg",
        "<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
    );
    site.write(
        "content/spazi/con-mappa/pagina.html",
        "<script>alert(1)</script>",
    );
    let stderr = site.build_err(&[], 1);
    for file in ["mappa.svg", "pagina.html"] {
        assert!(
            stderr.contains(&format!(
                "error[unsafe.active-file]: content/spazi/con-mappa/{file}: "
            )),
            "{stderr}"
        );
    }
    site.add_to_config("markdown:\n  unsafe_html: true\n");
    site.build_ok(&[]);
    assert!(site.public("spazi/con-mappa/mappa.svg").is_file());
}

// ---------------------------------------------------------------------------------------------
// 6. A build that fails while writing

#[test]
fn a_build_failing_while_writing_changes_nothing() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let before = tree(&site.root.join("public"));
    // The next build would change a page, add one and remove one; a folder stands where its
    // robots.txt must go, which it finds only once the pages are written.
    site.write(
        "content/spazi/ancora.md",
        "---\ntitle: Ancora cambiata\n---\nNuovo testo.\n",
    );
    site.write("content/spazi/nuovo.md", "---\ntitle: Nuovo\n---\n");
    fs::remove_file(site.root.join("content/spazi/b-spazio.md")).unwrap();
    fs::remove_file(site.public("robots.txt")).unwrap();
    fs::create_dir_all(site.public("robots.txt/occupato")).unwrap();
    let mut expected = before.clone();
    expected.remove("robots.txt");
    expected.insert("robots.txt/".into(), None);
    expected.insert("robots.txt/occupato/".into(), None);
    let stderr = site.build_err(&[], 1);
    assert!(
        stderr.starts_with("error[output.in-the-way]: ")
            && stderr.contains("robots.txt: a folder is in the way"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(
        tree(&site.root.join("public")) == expected,
        "the output changed"
    );

    // Into an empty output folder: it stays empty (no feeds, no sitemap left behind).
    fs::remove_dir_all(site.root.join("public")).unwrap();
    fs::create_dir_all(site.public("robots.txt")).unwrap();
    site.build_err(&[], 1);
    assert_eq!(
        tree(&site.root.join("public"))
            .into_keys()
            .collect::<Vec<_>>(),
        ["robots.txt/"]
    );
}

// ---------------------------------------------------------------------------------------------
// 5. Killed builds

/// A site of a few thousand pages in two versions, A and B, switched by renaming `content/`;
/// its outputs go under `scratch`. Both are on tmpfs when the machine has one: the test is
/// about what a kill leaves behind, not about the speed of a disk.
struct TwoVersions {
    scratch: tempfile::TempDir,
    root: PathBuf,
    a: PathBuf,
    b: PathBuf,
}

impl TwoVersions {
    fn new(pages: usize) -> TwoVersions {
        let shm = Path::new("/dev/shm");
        let scratch = if shm.is_dir() {
            tempfile::tempdir_in(shm).unwrap()
        } else {
            tempfile::tempdir().unwrap()
        };
        let root = scratch.path().join("site");
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        common::copy_dir(&fixtures.join("basic"), &root);
        common::copy_dir(&fixtures.join("_theme"), &root.join("themes/test"));
        let (a, b) = (
            scratch.path().join("content-a"),
            scratch.path().join("content-b"),
        );
        for (dir, version) in [(&a, "A"), (&b, "B")] {
            common::copy_dir(&root.join("content"), dir);
            let news = dir.join("notizie");
            for i in 0..pages {
                // B drops every tenth page of A and adds as many of its own.
                let name = match (version, i % 10) {
                    ("B", 0) => format!("solo-b-{i:05}.md"),
                    _ => format!("notizia-{i:05}.md"),
                };
                // Every 250th page is long (about 400 KB): a kill may land while it is
                // being written.
                let repeat = if i % 250 == 7 { 10_000 } else { 30 };
                let body = format!("Versione {version} della notizia {i}. ").repeat(repeat);
                fs::write(
                    news.join(name),
                    format!(
                        "---\ntitle: Notizia {i}\ndate: 2020-01-{:02}\nmunicipio: [{}]\n---\n{body}\n\n## Dettagli\n\n{body}\n",
                        1 + i % 28,
                        1 + i % 9
                    ),
                )
                .unwrap();
            }
        }
        fs::remove_dir_all(root.join("content")).unwrap();
        TwoVersions {
            scratch,
            root,
            a,
            b,
        }
    }

    /// Makes `version` the site's content (and the other one the stash); `a` and `b` name the
    /// stash of each, which is missing while that version is the content.
    fn switch(&self, version: &Path) {
        if !version.exists() {
            return; // It is the content already.
        }
        let content = self.root.join("content");
        if content.exists() {
            let other = if version == self.a { &self.b } else { &self.a };
            fs::rename(&content, other).unwrap();
        }
        fs::rename(version, &content).unwrap();
    }

    fn build(&self, out: &Path) -> std::process::Child {
        Command::new(env!("CARGO_BIN_EXE_wemi"))
            .args(["build", "--root"])
            .arg(&self.root)
            .arg("--output")
            .arg(out)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    }

    fn build_ok(&self, out: &Path) -> Duration {
        let start = Instant::now();
        let done = self.build(out).wait_with_output().unwrap();
        common::assert_success(&done);
        start.elapsed()
    }
}

/// A small random number generator (xorshift), seeded from the clock and printed, so that a
/// failing run can be repeated with `WEMI_KILL_SEED`.
struct Random(u64);

impl Random {
    fn new() -> Random {
        let seed = std::env::var("WEMI_KILL_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
                    | 1
            });
        eprintln!("WEMI_KILL_SEED={seed}");
        Random(seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

#[test]
fn a_build_killed_at_any_moment_leaves_every_file_whole_and_the_next_one_repairs_it() {
    let kills_per_case = 16;
    let site = TwoVersions::new(2000);
    let dir = site.scratch.path();
    let (ref_a, ref_b, out) = (dir.join("a"), dir.join("b"), dir.join("out"));
    site.switch(&site.a);
    site.build_ok(&ref_a);
    site.switch(&site.b);
    let clean = site.build_ok(&ref_b);
    let (old, new) = (tree(&ref_a), tree(&ref_b));
    assert!(new.len() > 2000, "{} files", new.len());
    let mut random = Random::new();
    let mut partial_seen = 0;
    for kill in 0..2 * kills_per_case {
        let into_existing = kill % 2 == 1;
        if into_existing {
            site.switch(&site.a);
            site.build_ok(&out);
            site.switch(&site.b);
        } else {
            let _ = fs::remove_dir_all(&out);
        }
        let mut running = site.build(&out);
        let wait = random.below(clean.as_millis() as u64 + 50);
        std::thread::sleep(Duration::from_millis(wait));
        running.kill().unwrap();
        running.wait().unwrap();

        let after = tree(&out);
        let mut mixed = (0, 0);
        for (path, bytes) in &after {
            let name = path.rsplit('/').find(|s| !s.is_empty()).unwrap_or(path);
            if name.starts_with('.') && (name.ends_with(".wemi-tmp") || name.ends_with(".wemi-old"))
            {
                continue; // Not part of the site: removed by the next build (checked below).
            }
            let Some(bytes) = bytes else { continue };
            if new.get(path) == Some(&Some(bytes.clone())) {
                mixed.1 += 1;
            } else if into_existing && old.get(path) == Some(&Some(bytes.clone())) {
                mixed.0 += 1;
            } else {
                panic!(
                    "kill {kill} after {wait} ms: {path} is neither the old nor the new version ({} bytes)",
                    bytes.len()
                );
            }
        }
        let complete = new.len() - new.values().filter(|v| v.is_none()).count();
        if mixed.1 > 0 && mixed.1 < complete {
            partial_seen += 1;
        }
        if !into_existing {
            // A first build shows its output folder only once it is complete.
            assert!(
                after.is_empty() || mixed.1 == complete,
                "kill {kill} after {wait} ms: a first build left {} of {complete} files",
                mixed.1
            );
        }
        // The next build is of either version: after a build of B was killed, a build of A
        // must also remove the pages only B has, which the killed build may have written.
        let (next, expected) = if random.below(2) == 0 {
            (&site.a, &old)
        } else {
            (&site.b, &new)
        };
        site.switch(next);
        site.build_ok(&out);
        site.switch(&site.b);
        let repaired = tree(&out);
        let wrong: Vec<&String> = repaired
            .keys()
            .chain(expected.keys())
            .filter(|p| repaired.get(*p) != expected.get(*p))
            .take(5)
            .collect();
        assert!(
            wrong.is_empty(),
            "kill {kill} after {wait} ms, then a build of {}: not repaired: {wrong:?}",
            if next == &site.a { "A" } else { "B" }
        );
        assert!(
            !dir.join(".out.wemi-new").exists(),
            "kill {kill}: the hidden folder of a killed first build is left"
        );
    }
    // The kills must have landed while files were being written, not only before or after.
    assert!(
        partial_seen >= 4,
        "only {partial_seen} kills caught a build halfway"
    );
}

// ---------------------------------------------------------------------------------------------
// Hostile themes

#[test]
fn a_template_that_recurses_for_ever_is_a_bounded_clear_error() {
    let site = Site::fixture("basic");
    site.write("templates/giro.html", "{% include \"giro.html\" %}\n");
    site.write(
        "templates/componente.html",
        "{% component giro(n) %}{{<giro n={n} />}}{% endcomponent giro %}{{<giro n={1} />}}\n",
    );
    site.write(
        "content/spazi/giro.md",
        "---\ntitle: Giro\ntemplate: componente.html\n---\n",
    );
    let stderr = site.build_err(&[], 1);
    assert!(
        stderr.contains("Circular include detected for template 'giro.html'"),
        "{stderr}"
    );
    fs::remove_file(site.root.join("templates/giro.html")).unwrap();
    let stderr = site.build_err(&[], 1);
    assert!(
        stderr.contains("error[template.render]: content/spazi/giro.md: "),
        "{stderr}"
    );
    assert!(
        stderr.contains("Maximum render recursion depth"),
        "{stderr}"
    );
}

#[test]
fn a_site_without_content_is_told_what_to_create() {
    // Both a first build (content/ listed beside the fingerprint) and one after a build
    // (listed when read) say the same.
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    fs::remove_dir_all(site.root.join("content")).unwrap();
    let after_a_build = site.build_err(&[], 1);
    fs::remove_dir_all(site.root.join("public")).unwrap();
    fs::remove_dir_all(site.root.join(".wemi")).unwrap();
    let first = site.build_err(&[], 1);
    for stderr in [&after_a_build, &first] {
        assert!(
            stderr.contains("error[content.missing]: content: the site has no content/ folder"),
            "{stderr}"
        );
        assert!(stderr.contains("create content/_index.md"), "{stderr}");
    }
    assert!(!site.root.join("public").exists());
}

#[test]
fn a_missing_theme_is_named_with_the_fix() {
    let site = Site::fixture("basic");
    let yaml = fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", yaml.replace("theme: test", "theme: assente"));
    let stderr = site.build_err(&[], 1);
    assert!(
        stderr.contains("error[config.value]: site.yaml: the theme `assente` does not exist"),
        "{stderr}"
    );
    assert!(stderr.contains("create themes/assente/"), "{stderr}");
    assert!(!site.root.join("public").exists());
}
