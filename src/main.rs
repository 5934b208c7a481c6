//! The `wemi` binary: parses the command line and hands over to the library.

fn main() -> std::process::ExitCode {
    wemi::cli::run(std::env::args_os())
}
