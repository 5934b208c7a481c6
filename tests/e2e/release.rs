//! Getting wemi without Rust: the release packages (`.ci/package`, which
//! `.github/workflows/release.yml` runs on each platform) made here from the native binary,
//! unpacked and run; and the hosting services' build files (`netlify.toml`, `.gitlab-ci.yml`)
//! run or read as far as this machine can. The release workflow itself needs GitHub's runners:
//! `.ci/run` lints it with actionlint.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{Site, assert_success, attrs};

fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `.ci/package ARGS`; returns what it printed (the path of what it wrote).
fn package(args: &[&Path]) -> PathBuf {
    let out = Command::new(repository().join(".ci/package"))
        .args(args)
        .output()
        .unwrap();
    assert_success(&out);
    PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
}

/// Runs `program args` in `dir`.
fn run_in(dir: &Path, program: &str, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"))
}

/// The commit `wemi --version` should name: HEAD of this checkout, as build.rs asks for it.
fn head_commit() -> String {
    let out = run_in(repository(), "git", &["rev-parse", "--short=12", "HEAD"]);
    assert_success(&out);
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// Packages the test's wemi binary as `target` into `dist` and writes its SHA256SUMS.
fn release(target: &str, binary: &Path, dist: &Path) -> PathBuf {
    let archive = package(&[Path::new("archive"), Path::new(target), binary, dist]);
    package(&[Path::new("sums"), dist]);
    archive
}

/// Adds a byte to the file at `path`, as a broken or altered download would differ.
fn tamper(path: &Path) {
    let mut bytes = fs::read(path).unwrap();
    bytes.push(0);
    fs::write(path, bytes).unwrap();
}

#[test]
fn a_linux_package_unpacks_to_a_wemi_naming_its_version_and_commit_and_its_checksum_holds() {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    let archive = release(
        "x86_64-unknown-linux-gnu",
        Path::new(env!("CARGO_BIN_EXE_wemi")),
        &dist,
    );
    assert_eq!(archive, dist.join("wemi-x86_64-unknown-linux-gnu.tar.gz"));

    let sums = fs::read_to_string(dist.join("SHA256SUMS")).unwrap();
    let lines: Vec<&str> = sums.lines().collect();
    assert_eq!(lines.len(), 1, "{sums}");
    assert!(
        lines[0].ends_with("  wemi-x86_64-unknown-linux-gnu.tar.gz"),
        "{sums}"
    );
    assert_success(&run_in(&dist, "sha256sum", &["-c", "SHA256SUMS"]));

    let unpacked = dir.path().join("unpacked");
    fs::create_dir(&unpacked).unwrap();
    assert_success(&run_in(
        &unpacked,
        "tar",
        &["-xzf", archive.to_str().unwrap()],
    ));
    let folder = unpacked.join("wemi-x86_64-unknown-linux-gnu");
    let mut names: Vec<String> = fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["CHANGELOG.md", "LICENSE", "README.md", "wemi"]);
    for doc in ["CHANGELOG.md", "LICENSE", "README.md"] {
        assert_eq!(
            fs::read(folder.join(doc)).unwrap(),
            fs::read(repository().join(doc)).unwrap(),
            "{doc}"
        );
    }
    let version = run_in(
        &unpacked,
        folder.join("wemi").to_str().unwrap(),
        &["--version"],
    );
    assert_success(&version);
    let version = String::from_utf8(version.stdout).unwrap();
    let expected = format!("{} (commit {} ", env!("CARGO_PKG_VERSION"), head_commit());
    assert!(
        version.contains(&expected),
        "{version:?} lacks {expected:?}"
    );

    // The check is a real one: a package changed after its checksum was written fails it.
    tamper(&archive);
    let tampered = run_in(&dist, "sha256sum", &["-c", "SHA256SUMS"]);
    assert!(!tampered.status.success(), "a changed package passed");
}

#[test]
fn a_windows_package_is_a_zip_of_wemi_exe_beside_the_linux_one_in_one_sha256sums() {
    let dir = tempfile::tempdir().unwrap();
    // Stand-ins for the binaries: only the names and the packaging are checked here.
    let (exe, elf) = (dir.path().join("wemi.exe"), dir.path().join("wemi"));
    fs::write(&exe, b"MZ not really a program").unwrap();
    fs::write(&elf, b"\x7fELF not really a program").unwrap();
    let dist = dir.path().join("dist");
    let zip = release("x86_64-pc-windows-msvc", &exe, &dist);
    release("x86_64-unknown-linux-gnu", &elf, &dist);
    assert_eq!(zip, dist.join("wemi-x86_64-pc-windows-msvc.zip"));

    let listing = run_in(&dist, "unzip", &["-Z1", zip.to_str().unwrap()]);
    assert_success(&listing);
    let mut entries: Vec<String> = String::from_utf8(listing.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    entries.sort();
    let folder = "wemi-x86_64-pc-windows-msvc/";
    let expected: Vec<String> = ["", "CHANGELOG.md", "LICENSE", "README.md", "wemi.exe"]
        .iter()
        .map(|name| format!("{folder}{name}"))
        .collect();
    assert_eq!(entries, expected);

    let sums = fs::read_to_string(dist.join("SHA256SUMS")).unwrap();
    let named: Vec<&str> = sums
        .lines()
        .map(|l| l.split_once("  ").unwrap().1)
        .collect();
    assert_eq!(
        named,
        [
            "wemi-x86_64-unknown-linux-gnu.tar.gz",
            "wemi-x86_64-pc-windows-msvc.zip"
        ]
    );
    assert_success(&run_in(&dist, "sha256sum", &["-c", "SHA256SUMS"]));
}

/// The build command of `netlify.toml`, as TOML reads it (Python's tomllib).
fn netlify_command() -> String {
    let out = run_in(
        repository(),
        "python3",
        &[
            "-c",
            "import sys, tomllib; \
             sys.stdout.write(tomllib.load(open('netlify.toml', 'rb'))['build']['command'])",
        ],
    );
    assert_success(&out);
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn netlify_s_command_downloads_checks_and_runs_a_release_for_the_site_s_address() {
    let published = run_in(
        repository(),
        "python3",
        &[
            "-c",
            "import tomllib; print(tomllib.load(open('netlify.toml', 'rb'))['build']['publish'])",
        ],
    );
    assert_eq!(
        String::from_utf8(published.stdout).unwrap().trim(),
        "public"
    );

    // A release folder served from disk (curl reads file:// as it reads https://), holding
    // this test's binary under the name of the static Linux package the command fetches.
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    release(
        "x86_64-unknown-linux-musl",
        Path::new(env!("CARGO_BIN_EXE_wemi")),
        &dist,
    );
    let site = Site::fixture("basic");
    // The command's own temporary folder, to see that it leaves nothing behind.
    let scratch = dir.path().join("tmp");
    std::fs::create_dir(&scratch).unwrap();
    let left_behind = || std::fs::read_dir(&scratch).unwrap().count();
    let netlify = |context: &str| {
        Command::new("bash")
            .args(["-c", &netlify_command()])
            .current_dir(&site.root)
            .env("TMPDIR", &scratch)
            .env("WEMI_RELEASE", format!("file://{}", dist.display()))
            .env("CONTEXT", context)
            .env("URL", "https://wemi.example.org/sottosito")
            .env("DEPLOY_PRIME_URL", "https://anteprima--wemi.example.org")
            .output()
            .unwrap()
    };
    for (context, address) in [
        ("production", "https://wemi.example.org/sottosito/"),
        ("deploy-preview", "https://anteprima--wemi.example.org/"),
    ] {
        assert_success(&netlify(context));
        let canonical = attrs(&site.html("index.html"), "link[rel=canonical]", "href");
        assert_eq!(canonical, [address], "{context}");
        assert_eq!(left_behind(), 0, "the download was left in TMPDIR");
    }

    // A package that does not match its checksum is not run.
    tamper(&dist.join("wemi-x86_64-unknown-linux-musl.tar.gz"));
    let out = netlify("production");
    assert!(!out.status.success(), "a changed package was run");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("did NOT match"), "{said}");
    assert_eq!(left_behind(), 0, "the download was left in TMPDIR");
}

#[test]
fn netlify_s_command_without_a_release_address_stops_saying_what_to_set() {
    let site = Site::fixture("basic");
    let out = Command::new("bash")
        .args(["-c", &netlify_command()])
        .current_dir(&site.root)
        .env_remove("WEMI_RELEASE")
        .env("URL", "https://wemi.example.org")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("set WEMI_RELEASE to the download address of a wemi release"),
        "{said}"
    );
    assert!(!site.public("index.html").exists());
}

#[test]
fn gitlab_s_pages_job_builds_for_the_pages_address_and_publishes_public() {
    let text = fs::read_to_string(repository().join(".gitlab-ci.yml")).unwrap();
    let ci: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let pages = &ci["pages"];
    assert_eq!(
        pages["artifacts"]["paths"],
        serde_yaml::from_str::<serde_yaml::Value>("[public]").unwrap()
    );
    let script: Vec<&str> = pages["script"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|line| line.as_str().unwrap())
        .collect();
    assert_eq!(
        script.last(),
        Some(&r#"target/release/wemi build --base-url "$CI_PAGES_URL/""#)
    );
    assert!(
        script.contains(&"cargo build --release --locked"),
        "{script:?}"
    );
}
