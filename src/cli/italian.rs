//! The command line in Italian: clap has no translations, so under `--lang it` (or an
//! Italian locale) the commands defined once in `cli` get their Italian texts here, at run
//! time: the help of every command and argument (looked up by its English text in
//! [`HELP`]), the help's headings, and the errors of the command line, by clap's error kind
//! and with its details ([`ItalianErrors`]). English is clap's own.

use clap::builder::StyledStr;
use clap::error::{ContextKind, ContextValue, ErrorFormatter, ErrorKind};
use clap::{Arg, ArgAction, Command};

/// The Italian of each help text of the commands and arguments, by the English text clap has
/// (the doc comment, without its final full stop). A test checks that every command and
/// argument has its entry, and every entry is used.
pub const HELP: &[(&str, &str)] = &[
    (
        "A fast static site generator, built for the City of Milan's WeMi network",
        "Un generatore di siti statici veloce, fatto per la rete WeMi del Comune di Milano",
    ),
    (
        "Language of the messages: `it` or `en` (default: the locale's, else English)",
        "Lingua dei messaggi: `it` o `en` (se manca: quella del sistema, altrimenti l'inglese)",
    ),
    (
        "How many problems of each kind to show in full (0: all of them); the others are counted",
        "Quanti problemi di ogni tipo mostrare per intero (0: tutti); gli altri sono contati",
    ),
    (
        "Build the site into the output folder",
        "Genera il sito nella cartella di uscita",
    ),
    (
        "Check the site for every error a build would find, without writing anything",
        "Controlla il sito e trova tutti gli errori che troverebbe `build`, senza scrivere niente",
    ),
    (
        "Create a page of a section, its front matter listing the fields of the section's schema",
        "Crea una pagina di una sezione, con un'intestazione che elenca i campi dello schema della sezione",
    ),
    (
        "Write a JSON Schema of the front matter of each section with a schema, for editors",
        "Scrive uno JSON Schema dell'intestazione di ogni sezione che ha uno schema, per gli editor di testo",
    ),
    (
        "Preview the site: build it in memory, serve it, rebuild and reload on every change",
        "Anteprima del sito: lo genera in memoria, lo mostra nel browser, lo rigenera e ricarica la pagina a ogni modifica",
    ),
    (
        "The site folder, holding site.yaml, content/ and themes/",
        "La cartella del sito, con site.yaml, content/ e themes/",
    ),
    (
        "The address to listen on: only this machine by default",
        "L'indirizzo su cui rispondere: se manca, solo questo computer",
    ),
    (
        "The port (the next free one is taken when it is in use)",
        "La porta (se è occupata, si usa la prossima libera)",
    ),
    (
        "Open the site in the browser once it is ready (the program named by $BROWSER, if set)",
        "Apri il sito nel browser appena è pronto (il programma indicato da $BROWSER, se c'è)",
    ),
    (
        "Show pages marked `draft: true`",
        "Mostra anche le pagine con `draft: true`",
    ),
    (
        "The section's folder under content/, such as `spazi`",
        "La cartella della sezione dentro content/, per esempio `spazi`",
    ),
    (
        "The page's title; the file is named after it (content/<section>/<slug>.md)",
        "Il titolo della pagina; il file prende il suo nome (content/<sezione>/<slug>.md)",
    ),
    (
        "Where to write <section>.schema.json (default: <root>/schemas)",
        "Dove scrivere <sezione>.schema.json (se manca: <root>/schemas)",
    ),
    (
        "How to print the problems found",
        "Come scrivere i problemi trovati",
    ),
    (
        "Also check that external (http/https) links still answer",
        "Controlla anche che i link esterni (http/https) rispondano ancora",
    ),
    (
        "Check pages marked `draft: true` too",
        "Controlla anche le pagine con `draft: true`",
    ),
    (
        "Make pages that contact another host (scripts, fonts, images, forms...) errors",
        "Tratta come errori le pagine che contattano un altro sito (script, font, immagini, moduli...)",
    ),
    (
        "Where to write the site (default: <root>/public)",
        "Dove scrivere il sito (se manca: <root>/public)",
    ),
    (
        "Base URL to use instead of the one in site.yaml",
        "L'URL di base da usare al posto di quello di site.yaml",
    ),
    (
        "Include pages marked `draft: true`",
        "Includi le pagine con `draft: true`",
    ),
    (
        "Print this message or the help of the given subcommand(s)",
        "Mostra questo aiuto, o quello dei comandi indicati",
    ),
];

/// The help flag's text.
const HELP_FLAG: &str = "Mostra questo aiuto";

/// The version flag's text.
const VERSION_FLAG: &str = "Mostra la versione";

/// The Italian of the help text `english`, or `english` itself when it has none.
fn italian(english: &str) -> String {
    HELP.iter()
        .find(|(en, _)| *en == english)
        .map_or(english, |(_, it)| it)
        .to_string()
}

/// `cmd` (the whole tree of commands) with its help in Italian.
pub fn localize(cmd: Command) -> Command {
    let mut cmd = localize_texts(cmd, true);
    // Clap adds its `help` subcommand when it builds the tree; then it can be translated,
    // and each usage line can be given Italian placeholders.
    cmd.build();
    with_italian_usage(with_italian_about(cmd))
}

/// `cmd` and its subcommands with their `about` in Italian (also clap's `help` command, and
/// the copies of the commands it holds for `wemi help <command>`).
fn with_italian_about(cmd: Command) -> Command {
    let cmd = match cmd.get_about().map(|a| italian(&a.to_string())) {
        Some(about) => cmd.about(about),
        None => cmd,
    };
    cmd.mut_subcommands(with_italian_about)
}

/// The texts of `cmd` and of its subcommands in Italian; `root` for the one with `--version`.
fn localize_texts(cmd: Command, root: bool) -> Command {
    let mut cmd = cmd;
    if let Some(about) = cmd.get_about().map(|a| italian(&a.to_string())) {
        cmd = cmd.about(about);
    }
    if let Some(about) = cmd.get_long_about().map(|a| italian(&a.to_string())) {
        cmd = cmd.long_about(about);
    }
    let mut cmd = cmd
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(HELP_FLAG),
        )
        .subcommand_value_name("COMANDO")
        .mut_args(localize_arg);
    if root {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(VERSION_FLAG),
        );
    }
    let template = template(&cmd);
    cmd = cmd.help_template(template);
    cmd.mut_subcommands(|sub| localize_texts(sub, false))
}

/// `arg` with its help in Italian, and its default and possible values said in Italian.
fn localize_arg(arg: Arg) -> Arg {
    let Some(help) = arg.get_help().map(ToString::to_string) else {
        return arg;
    };
    let mut text = italian(&help);
    let takes_value = arg.get_action().takes_values();
    if !takes_value {
        return arg.help(text);
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    let possible: Vec<String> = arg
        .get_possible_values()
        .iter()
        .map(|v| v.get_name().to_string())
        .collect();
    if !possible.is_empty() {
        text.push_str(&format!(" [valori: {}]", possible.join(", ")));
    }
    if !defaults.is_empty() {
        text.push_str(&format!(" [se manca: {}]", defaults.join(", ")));
    }
    arg.help(text)
        .hide_default_value(true)
        .hide_possible_values(true)
}

/// The help template of `cmd`, with Italian headings for the parts it has.
fn template(cmd: &Command) -> String {
    let mut out = String::from("{about-with-newline}\nUso: {usage}\n");
    if cmd.has_subcommands() {
        out.push_str("\nComandi:\n{subcommands}\n");
    }
    if cmd.get_positionals().next().is_some() {
        out.push_str("\nArgomenti:\n{positionals}\n");
    }
    out.push_str("\nOpzioni:\n{options}\n{after-help}");
    out
}

/// `cmd` and its subcommands with their usage line in Italian (`[OPZIONI]`, `<COMANDO>`).
fn with_italian_usage(mut cmd: Command) -> Command {
    let usage = italian_usage(&cmd.render_usage().to_string());
    let usage = usage.strip_prefix("Uso: ").unwrap_or(&usage).to_string();
    cmd.override_usage(usage)
        .mut_subcommands(with_italian_usage)
}

/// A usage line of clap in Italian.
fn italian_usage(usage: &str) -> String {
    usage
        .replacen("Usage:", "Uso:", 1)
        .replace("[OPTIONS]", "[OPZIONI]")
}

/// Clap's errors in Italian, with the same details (the argument, the value, the possible
/// values, the suggestion, the usage).
pub struct ItalianErrors;

impl ErrorFormatter for ItalianErrors {
    fn format_error(error: &clap::error::Error<Self>) -> StyledStr {
        let text = |kind| match error.get(kind) {
            Some(ContextValue::String(s)) => Some(s.clone()),
            _ => None,
        };
        let list = |kind| match error.get(kind) {
            Some(ContextValue::Strings(s)) => s.clone(),
            _ => Vec::new(),
        };
        let number = |kind| match error.get(kind) {
            Some(ContextValue::Number(n)) => *n,
            _ => 0,
        };
        let arg = text(ContextKind::InvalidArg).unwrap_or_default();
        let value = text(ContextKind::InvalidValue).unwrap_or_default();
        let mut message = match error.kind() {
            ErrorKind::InvalidSubcommand => format!(
                "il comando `{}` non esiste",
                text(ContextKind::InvalidSubcommand).unwrap_or_default()
            ),
            ErrorKind::UnknownArgument => format!("l'argomento `{arg}` non esiste"),
            ErrorKind::InvalidValue if value.is_empty() => {
                format!("manca il valore di `{arg}`")
            }
            ErrorKind::InvalidValue => format!("`{value}` non è un valore di `{arg}`"),
            ErrorKind::ValueValidation => {
                format!("`{value}` non è un valore di `{arg}`: {}", expected(&arg))
            }
            ErrorKind::MissingRequiredArgument => match &list(ContextKind::InvalidArg)[..] {
                [one] => format!("manca l'argomento obbligatorio {one}"),
                many => format!("mancano gli argomenti obbligatori {}", many.join(", ")),
            },
            ErrorKind::MissingSubcommand => format!(
                "`{}` vuole un comando",
                text(ContextKind::InvalidSubcommand).unwrap_or_default()
            ),
            ErrorKind::TooManyValues => format!("`{value}` è di troppo dopo `{arg}`"),
            ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => format!(
                "`{arg}` vuole {} valori, ne ha {}",
                number(ContextKind::MinValues).max(number(ContextKind::ExpectedNumValues)),
                number(ContextKind::ActualNumValues)
            ),
            ErrorKind::ArgumentConflict => match text(ContextKind::PriorArg) {
                Some(prior) if prior != arg => {
                    format!("`{arg}` non si può usare insieme a `{prior}`")
                }
                _ => format!("`{arg}` si può scrivere una volta sola"),
            },
            ErrorKind::NoEquals => format!("scrivi il valore di `{arg}` dopo un `=`"),
            ErrorKind::InvalidUtf8 => "un argomento non è testo UTF-8".to_string(),
            _ => error.kind().as_str().unwrap_or("errore").to_string(),
        };
        let possible = list(ContextKind::ValidValue);
        if !possible.is_empty() {
            message.push_str(&format!("\n  valori possibili: {}", possible.join(", ")));
        }
        let subcommands = list(ContextKind::ValidSubcommand);
        if !subcommands.is_empty() {
            message.push_str(&format!("\n  comandi: {}", subcommands.join(", ")));
        }
        let suggestions = [
            ContextKind::SuggestedSubcommand,
            ContextKind::SuggestedArg,
            ContextKind::SuggestedValue,
        ]
        .into_iter()
        .flat_map(|kind| match error.get(kind) {
            Some(ContextValue::String(s)) => vec![s.clone()],
            Some(ContextValue::Strings(s)) => s.clone(),
            _ => Vec::new(),
        })
        .collect::<Vec<_>>();
        if !suggestions.is_empty() {
            message.push_str(&format!(
                "\n  aiuto: forse intendevi `{}`?",
                suggestions.join("` o `")
            ));
        }
        let usage = match error.get(ContextKind::Usage) {
            Some(ContextValue::StyledStr(usage)) => {
                format!("\n\n{}", italian_usage(&usage.to_string()))
            }
            _ => String::new(),
        };
        StyledStr::from(format!(
            "errore: {message}{usage}\n\nPer saperne di più, scrivi `--help`.\n"
        ))
    }
}

/// What the option `arg` expects, for a value it could not read (clap's reason is in
/// English): the options whose values are checked are an address and numbers.
fn expected(arg: &str) -> &'static str {
    if arg.starts_with("--bind") {
        "serve un indirizzo IP, per esempio 127.0.0.1"
    } else if arg.starts_with("--port") {
        "serve un numero di porta da 0 a 65535, per esempio 1111"
    } else {
        "serve un numero intero, per esempio 20"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use clap::CommandFactory;

    /// The help texts of `cmd` and of every command under it: abouts and arguments' helps.
    fn help_texts(cmd: &Command, out: &mut Vec<String>) {
        out.extend(cmd.get_about().map(ToString::to_string));
        out.extend(cmd.get_long_about().map(ToString::to_string));
        for arg in cmd.get_arguments() {
            out.extend(arg.get_help().map(ToString::to_string));
        }
        for sub in cmd.get_subcommands() {
            help_texts(sub, out);
        }
    }

    #[test]
    fn every_command_and_argument_has_its_italian_text_and_every_text_is_used() {
        let mut english = Cli::command();
        english.build();
        let mut texts = Vec::new();
        help_texts(&english, &mut texts);
        // Clap's own flags, which the Italian command replaces.
        texts.retain(|t| !t.starts_with("Print help") && t != "Print version");
        let missing: Vec<&String> = texts
            .iter()
            .filter(|t| !HELP.iter().any(|(en, _)| en == t))
            .collect();
        assert!(
            missing.is_empty(),
            "help texts without Italian: {missing:#?}"
        );
        let unused: Vec<&str> = HELP
            .iter()
            .map(|(en, _)| *en)
            .filter(|en| !texts.iter().any(|t| t == en))
            .collect();
        assert!(
            unused.is_empty(),
            "Italian texts no command uses: {unused:#?}"
        );
        // Built (clap checks the command's consistency when it builds it), the Italian command
        // has no English left in its help.
        let mut italian_texts = Vec::new();
        help_texts(&localize(Cli::command()), &mut italian_texts);
        for text in &italian_texts {
            assert!(
                !HELP.iter().any(|(en, _)| text.starts_with(en)),
                "left in English: {text}"
            );
        }
    }

    #[test]
    fn usage_lines_get_italian_placeholders() {
        assert_eq!(
            italian_usage("Usage: wemi build [OPTIONS]"),
            "Uso: wemi build [OPZIONI]"
        );
    }
}
