//! Shared harness of the end-to-end tests: copies a fixture site from `tests/fixtures/` (plus
//! the shared test theme) into a temporary folder and runs the real `wemi` binary on it.

pub mod http;
pub mod serve;
pub mod tools;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use scraper::{Html, Selector};

/// A fixture site copied into a temporary folder.
pub struct Site {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

impl Site {
    /// Copies `tests/fixtures/<name>` and the shared theme (as `themes/test`).
    pub fn fixture(name: &str) -> Site {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        copy_dir(&fixtures.join(name), &root);
        copy_dir(&fixtures.join("_theme"), &root.join("themes/test"));
        Site { _dir: dir, root }
    }

    /// A copy of this repository's own site (`site.yaml`, `content/`, `themes/` and the other
    /// folders a build reads, when they exist).
    pub fn real() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let real = Path::new(env!("CARGO_MANIFEST_DIR"));
        fs::create_dir_all(&root).unwrap();
        fs::copy(real.join("site.yaml"), root.join("site.yaml")).unwrap();
        for folder in ["content", "themes", "data", "static", "templates"] {
            if real.join(folder).is_dir() {
                copy_dir(&real.join(folder), &root.join(folder));
            }
        }
        Site { _dir: dir, root }
    }

    pub fn write(&self, relative: &str, text: impl AsRef<[u8]>) {
        let path = self.root.join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    /// Adds `yaml` (whole lines: top-level keys the site does not set yet) at the end of its
    /// `site.yaml`; returns how many lines the file had before.
    pub fn add_to_config(&self, yaml: &str) -> usize {
        let config = fs::read_to_string(self.root.join("site.yaml")).unwrap();
        assert!(config.ends_with('\n'), "site.yaml ends its last line");
        self.write("site.yaml", format!("{config}{yaml}"));
        config.lines().count()
    }

    pub fn build(&self, args: &[&str]) -> Output {
        self.run("build", args)
    }

    /// Runs `wemi <command> --root <site> <args>`.
    pub fn run(&self, command: &str, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_wemi"))
            .arg(command)
            .arg("--root")
            .arg(&self.root)
            .args(args)
            .output()
            .unwrap()
    }

    /// Runs `wemi build --root <site> <args>` as [`Site::build`] does, killing it and failing
    /// the test if it runs longer than `limit`. Only to catch a hang, or a cost that grows
    /// with the square of the input: the limit is far above what the build needs.
    pub fn build_within(&self, args: &[&str], limit: Duration) -> TimedBuild {
        // Files, not pipes: a build that prints much would fill a pipe and wait for a reader.
        let logs = tempfile::tempdir().unwrap();
        let (stdout, stderr) = (logs.path().join("stdout"), logs.path().join("stderr"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_wemi"))
            .arg("build")
            .arg("--root")
            .arg(&self.root)
            .args(args)
            .stdout(fs::File::create(&stdout).unwrap())
            .stderr(fs::File::create(&stderr).unwrap())
            .spawn()
            .unwrap();
        let started = Instant::now();
        let mut peak_kib = None;
        let status = loop {
            // The peak so far, while the process is there to ask (Linux only).
            let status = fs::read_to_string(format!("/proc/{}/status", child.id()));
            if let Some(kib) = status.ok().as_deref().and_then(peak_memory_kib) {
                peak_kib = Some(kib);
            }
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if started.elapsed() > limit {
                child.kill().unwrap();
                child.wait().unwrap();
                panic!("the build took more than {limit:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        TimedBuild {
            output: Output {
                status,
                stdout: fs::read(stdout).unwrap(),
                stderr: fs::read(stderr).unwrap(),
            },
            peak_kib,
        }
    }

    /// Builds and asserts success.
    pub fn build_ok(&self, args: &[&str]) -> String {
        let out = self.build(args);
        assert_success(&out);
        String::from_utf8(out.stdout).unwrap()
    }

    /// Builds, asserts exit code `code`, returns stderr.
    pub fn build_err(&self, args: &[&str], code: i32) -> String {
        let out = self.build(args);
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(code), "stderr: {stderr}");
        stderr
    }

    pub fn public(&self, relative: &str) -> PathBuf {
        self.root.join("public").join(relative)
    }

    pub fn html(&self, relative: &str) -> Html {
        let path = self.public(relative);
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Html::parse_document(&text)
    }

    /// Every file of the output with its bytes.
    pub fn snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        walk(&self.root.join("public"))
            .into_iter()
            .map(|p| (p.clone(), fs::read(&p).unwrap()))
            .collect()
    }
}

/// The pages and sections a build's or a check's summary counts (its first two numbers).
pub fn counted(summary: &str) -> (usize, usize) {
    let numbers: Vec<usize> = summary
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .take(2)
        .collect();
    assert_eq!(numbers.len(), 2, "no counts in {summary:?}");
    (numbers[0], numbers[1])
}

/// What [`Site::build_within`] saw of a build.
pub struct TimedBuild {
    /// Its exit status and what it printed.
    pub output: Output,
    /// The most memory it held at once, in KiB, as last seen while it ran (where the system
    /// says it).
    pub peak_kib: Option<u64>,
}

/// The `VmHWM` (peak resident memory) line of a `/proc/<pid>/status` text, in KiB.
fn peak_memory_kib(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Builds the real WeMi site (this repository's own `site.yaml`, `content/` and `themes/`)
/// into a temporary folder, and asserts that the build succeeded.
pub fn build_real_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_wemi"))
        .arg("build")
        .arg("--root")
        .arg(env!("CARGO_MANIFEST_DIR"))
        .arg("--output")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_success(&out);
    dir
}

/// Asserts with xmllint that the sitemap at `path` is valid against the sitemaps.org schema
/// (for a test whose name contains `xmllint`: see [`tools`]).
pub fn assert_valid_sitemap(path: &Path) {
    if let Err(complaint) = tools::xmllint(path, &tools::schema("sitemap.xsd")) {
        panic!("{} is invalid:\n{complaint}", path.display());
    }
}

/// Asserts that a command succeeded, showing what it printed on stderr when it did not.
pub fn assert_success(out: &Output) {
    assert!(
        out.status.success(),
        "{}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}

pub fn copy_dir(from: &Path, to: &Path) {
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

pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

pub fn texts(doc: &Html, selector: &str) -> Vec<String> {
    let sel = Selector::parse(selector).unwrap();
    doc.select(&sel)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

pub fn attrs(doc: &Html, selector: &str, attr: &str) -> Vec<String> {
    let sel = Selector::parse(selector).unwrap();
    doc.select(&sel)
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}
