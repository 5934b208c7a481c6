//! `wemi serve --open`: the preview opened in the editor's browser once it is ready.
//!
//! The program that opens it is the one named by the `BROWSER` environment variable when it is
//! set (a common convention, which also lets tests put a fake browser in its place), else the
//! system's own: `xdg-open` on Linux and other Unix systems, `open` on macOS, `cmd /C start` on
//! Windows. It is started and left to run: a browser that stays open is not waited for, and
//! on Unix it gets a process group of its own, so that Ctrl+C on the preview does not close
//! it. Failing to open is a warning: the preview is served all the same.

use std::ffi::OsString;
use std::process::{Command, Stdio};

use crate::base::error::{Code, Diagnostic};
use crate::base::i18n::msg;

/// Opens `url` in the browser; the error, when it cannot, is a warning to show.
pub fn browser(url: &str) -> Result<(), Diagnostic> {
    let mut command = opener(std::env::var_os("BROWSER").filter(|b| !b.is_empty()));
    let program = command.get_program().to_string_lossy().into_owned();
    command
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    match command.spawn() {
        Ok(mut child) => {
            // Reaped when it ends, so that no finished opener lingers as a zombie.
            std::thread::spawn(move || child.wait());
            Ok(())
        }
        Err(err) => Err(Diagnostic::new(
            Code::io(&err),
            "wemi serve --open",
            msg!(
                "cannot open the browser with `{program}`: {error}",
                program = program,
                error = err
            ),
        )
        .hint(msg!("open {url} in your browser yourself", url = url))
        .warning()),
    }
}

/// The command that opens an address given as its last argument: `browser` when given.
fn opener(browser: Option<OsString>) -> Command {
    if let Some(browser) = browser {
        return Command::new(browser);
    }
    if cfg!(windows) {
        let mut command = Command::new("cmd");
        // `start` takes its first quoted argument as a window title: an empty one comes first.
        command.args(["/C", "start", ""]);
        command
    } else if cfg!(target_os = "macos") {
        Command::new("open")
    } else {
        Command::new("xdg-open")
    }
}
