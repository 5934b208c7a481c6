//! The command line: clap types and the dispatch from a command to the library.

mod italian;
pub mod report;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::base::i18n::Lang;

/// A fast static site generator for the WeMi network of the City of Milan.
#[derive(Debug, Parser)]
#[command(name = "wemi", version = env!("WEMI_VERSION"), about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Language of the messages: `it` or `en` (default: the locale's, else English).
    #[arg(long, global = true, value_parser = ["it", "en"])]
    pub lang: Option<String>,
    /// How many problems of each kind to show in full (0: all of them); the others are counted.
    #[arg(long, global = true, value_name = "N", default_value_t = report::DEFAULT_MAX_PER_KIND)]
    pub max_per_kind: usize,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder.
    Build(BuildArgs),
    /// Check the site for every error a build would find, without writing anything.
    Check(CheckArgs),
    /// Create a page of a section, its front matter listing the fields of the section's schema.
    New(NewArgs),
    /// Write a JSON Schema of the front matter of each section with a schema, for editors.
    Schema(SchemaArgs),
    /// Preview the site: build it in memory, serve it, rebuild and reload on every change.
    Serve(ServeArgs),
}

/// Options of `wemi serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The site folder, holding site.yaml, content/ and themes/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The address to listen on: only this machine by default.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// The port (the next free one is taken when it is in use).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Show pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Open the site in the browser once it is ready (the program named by $BROWSER, if set).
    #[arg(long)]
    pub open: bool,
}

/// Options of `wemi new`.
#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The section's folder under content/, such as `spazi`.
    pub section: String,
    /// The page's title; the file is named after it (content/<section>/<slug>.md).
    pub title: String,
    /// The site folder, holding site.yaml, content/ and themes/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

/// Options of `wemi schema`.
#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// The site folder, holding site.yaml, content/ and themes/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write <section>.schema.json (default: <root>/schemas).
    #[arg(long)]
    pub output: Option<PathBuf>,
}

/// Options of `wemi check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The site folder, holding site.yaml, content/ and themes/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// How to print the problems found.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Also check that external (http/https) links still answer.
    #[arg(long)]
    pub external: bool,
    /// Check pages marked `draft: true` too.
    #[arg(long)]
    pub drafts: bool,
    /// Make pages that contact another host (scripts, fonts, images, forms...) errors
    #[arg(long)]
    pub strict: bool,
}

/// Output format of diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Text for people.
    Human,
    /// One JSON object per line and per problem, for tools.
    Json,
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
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    // The help and the errors of the command line are in the language of the messages, so
    // it is known before clap reads the arguments.
    let lang = Lang::detect(lang_argument(&args).as_deref());
    let mut command = Cli::command();
    if lang == Lang::It {
        command = italian::localize(command);
    }
    let parsed = command
        .try_get_matches_from(&args)
        .and_then(|matches| Cli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(err) => {
            // Help and --version are "errors" to clap; they exit with 0, real ones with 2.
            let help = matches!(
                err.kind(),
                clap::error::ErrorKind::DisplayHelp
                    | clap::error::ErrorKind::DisplayVersion
                    | clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            );
            let code = ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2));
            let _ = if lang == Lang::It && !help {
                err.apply::<italian::ItalianErrors>().print()
            } else {
                err.print()
            };
            return code;
        }
    };
    let lang = Lang::detect(cli.lang.as_deref());
    let shown = report::Shown {
        lang,
        max_per_kind: cli.max_per_kind,
    };
    match cli.command {
        Command::Build(args) => {
            let options = crate::build::BuildOptions {
                root: args.root,
                output: args.output,
                base_url: args.base_url,
                drafts: args.drafts,
            };
            let progress = crate::base::progress::Progress::default();
            let built = report::with_progress_bar(&progress, || {
                crate::build::build_with_progress(&options, &progress)
            });
            match built {
                Ok(summary) => {
                    report::build_summary(&summary, &options.root, shown);
                    ExitCode::SUCCESS
                }
                Err(err) => {
                    report::errors(&err, &options.root, shown);
                    ExitCode::from(err.exit_code())
                }
            }
        }
        Command::Check(args) => {
            let options = crate::build::CheckOptions {
                root: args.root,
                drafts: args.drafts,
                external: args.external,
                strict: args.strict,
            };
            let json = args.format == Format::Json;
            match crate::build::check(&options) {
                Ok(found) => {
                    report::check_summary(&found, &options.root, json, shown);
                    ExitCode::SUCCESS
                }
                Err(err) => {
                    report::check_errors(&err, &options.root, json, shown);
                    ExitCode::from(err.exit_code())
                }
            }
        }
        Command::New(args) => {
            let options = crate::tools::new::NewOptions {
                root: args.root,
                section: args.section,
                title: args.title,
            };
            match crate::tools::new::create(&options) {
                Ok(page) => {
                    report::outcome(&page.summary(), lang);
                    ExitCode::SUCCESS
                }
                Err(err) => {
                    report::errors(&err, &options.root, shown);
                    ExitCode::from(err.exit_code())
                }
            }
        }
        Command::Serve(args) => {
            let options = crate::serve::ServeOptions {
                root: args.root,
                bind: args.bind,
                port: args.port,
                drafts: args.drafts,
                open: args.open,
            };
            let root = options.root.clone();
            match crate::serve::start(options) {
                Ok(mut preview) => {
                    report::serving(&preview, &root, shown);
                    while let Some(rebuild) = preview.rebuild_on_change() {
                        report::rebuilt(&rebuild, &root, shown);
                    }
                    ExitCode::SUCCESS
                }
                Err(err) => {
                    report::errors(&err, &root, shown);
                    ExitCode::from(err.exit_code())
                }
            }
        }
        Command::Schema(args) => {
            let options = crate::tools::schema::SchemaOptions {
                root: args.root,
                output: args.output,
            };
            match crate::tools::schema::write(&options) {
                Ok(written) => {
                    report::outcome(&written.summary(), lang);
                    ExitCode::SUCCESS
                }
                Err(err) => {
                    report::errors(&err, &options.root, shown);
                    ExitCode::from(err.exit_code())
                }
            }
        }
    }
}

/// The value of `--lang` among `args` (`--lang it` or `--lang=it`), read before clap parses
/// them; nothing after `--` is an option.
fn lang_argument(args: &[OsString]) -> Option<String> {
    let mut words = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(word) = words.next() {
        match word.as_ref() {
            "--" => break,
            "--lang" => return words.next().map(|v| v.into_owned()),
            other => {
                if let Some(value) = other.strip_prefix("--lang=") {
                    return Some(value.to_string());
                }
            }
        }
    }
    None
}
