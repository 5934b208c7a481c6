//! The command line: clap types and the dispatch from a command to the library.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::report;

/// A fast static site generator for the WeMi network of the City of Milan.
#[derive(Debug, Parser)]
#[command(name = "wemi", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder.
    Build(BuildArgs),
}

/// Options of `wemi build`.
#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The site folder, holding site.yaml, content/ and themes/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site (default: <root>/public).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Base URL to use instead of the one in site.yaml.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
}

/// Runs `wemi` with these arguments and returns the process exit code.
pub fn run(args: impl IntoIterator<Item = impl Into<OsString> + Clone>) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            // Help and --version are "errors" to clap; they exit with 0, real ones with 2.
            let _ = err.print();
            return ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2));
        }
    };
    match cli.command {
        Command::Build(args) => {
            let options = crate::BuildOptions {
                root: args.root,
                output: args.output,
                base_url: args.base_url,
                drafts: args.drafts,
            };
            match crate::build(&options) {
                Ok(summary) => {
                    report::build_summary(&summary);
                    ExitCode::SUCCESS
                }
                Err(err) => {
                    report::errors(&err);
                    ExitCode::from(err.exit_code())
                }
            }
        }
    }
}
