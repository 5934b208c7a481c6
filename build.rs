//! Cargo build script: the version `wemi --version` prints, with the commit it was built from
//! when the source is a git checkout (a crate downloaded from a registry has none, and says
//! only its version).

use std::process::Command;

fn main() {
    let version = env!("CARGO_PKG_VERSION");
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|out| out.status.success())
            .and_then(|out| String::from_utf8(out.stdout).ok())
            .map(|text| text.trim().to_string())
            .filter(|text| !text.is_empty())
    };
    let full = match git(&["rev-parse", "--short=12", "HEAD"]) {
        Some(commit) => {
            // Rebuilt when HEAD moves: a commit, a checkout (HEAD itself or the branch's ref).
            for path in ["HEAD", "refs/heads"] {
                if let Some(file) = git(&["rev-parse", "--git-path", path]) {
                    println!("cargo:rerun-if-changed={file}");
                }
            }
            let date = git(&["show", "-s", "--format=%cs", "HEAD"]).unwrap_or_default();
            format!("{version} (commit {commit} {date})")
        }
        None => version.to_string(),
    };
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rustc-env=WEMI_VERSION={}", full.trim_end());
}
