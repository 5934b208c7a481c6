//! The command line in both languages: `--help` and the errors of the arguments are in
//! Italian under `--lang it` or an Italian locale, in English otherwise. The help texts are
//! compared whole with `tests/snapshots/help*.<en|it>.txt` (`WEMI_UPDATE_SNAPSHOTS=1` writes
//! them; read each one before committing it).

use std::path::Path;
use std::process::{Command, Output};

/// Runs `wemi args` with `env` as the only locale variables.
fn wemi(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_wemi"));
    command.args(args);
    for var in ["LANG", "LC_ALL", "LC_MESSAGES", "NO_COLOR"] {
        command.env_remove(var);
    }
    command.envs(env.iter().copied());
    command.output().unwrap()
}

/// The stdout of a successful `wemi args`.
fn help(args: &[&str]) -> String {
    let out = wemi(args, &[]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// The stderr of `wemi args`, which must fail with exit code 2.
fn usage_error(args: &[&str], env: &[(&str, &str)]) -> String {
    let out = wemi(args, env);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    stderr
}

/// Compares `text` with `tests/snapshots/<name>`, or writes it under `WEMI_UPDATE_SNAPSHOTS`.
fn assert_snapshot(text: &str, name: &str) {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var_os("WEMI_UPDATE_SNAPSHOTS").is_some_and(|v| !v.is_empty()) {
        std::fs::write(&file, text).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&file).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (WEMI_UPDATE_SNAPSHOTS=1 writes it)",
            file.display()
        )
    });
    assert!(
        text == expected,
        "differs from {}:\n--- expected\n{expected}--- found\n{text}",
        file.display()
    );
}

#[test]
fn help_in_both_languages() {
    assert_snapshot(&help(&["--lang", "it", "--help"]), "help.it.txt");
    assert_snapshot(&help(&["--lang", "en", "--help"]), "help.en.txt");
    assert_snapshot(
        &help(&["--lang", "it", "build", "--help"]),
        "help-build.it.txt",
    );
    assert_snapshot(
        &help(&["--lang", "en", "build", "--help"]),
        "help-build.en.txt",
    );
    // `--lang=it`, the `help` command and a flag after the command say the same.
    let it = help(&["--lang", "it", "build", "--help"]);
    assert_eq!(help(&["--lang=it", "help", "build"]), it);
    assert_eq!(help(&["build", "--help", "--lang", "it"]), it);
}

#[test]
fn an_italian_locale_gives_italian_help() {
    let out = wemi(&["new", "--help"], &[("LANG", "it_IT.UTF-8")]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with("Crea una pagina di una sezione"),
        "{stdout}"
    );
    assert!(
        stdout.contains("\nUso: wemi new [OPZIONI] <SECTION> <TITLE>\n"),
        "{stdout}"
    );
    assert!(stdout.contains("\nArgomenti:\n"), "{stdout}");
    assert!(stdout.contains("  -h, --help"), "{stdout}");
    assert!(stdout.contains("Mostra questo aiuto"), "{stdout}");
    // `--lang en` wins over the locale.
    let out = wemi(
        &["--lang", "en", "new", "--help"],
        &[("LC_ALL", "it_IT.UTF-8")],
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("\nUsage: wemi new [OPTIONS] <SECTION> <TITLE>\n"),
        "{stdout}"
    );
}

#[test]
fn an_unknown_command_with_its_suggestion() {
    let it = usage_error(&["buld"], &[("LANG", "it_IT.UTF-8")]);
    assert_eq!(
        it,
        "errore: il comando `buld` non esiste\n  aiuto: forse intendevi `build`?\n\n\
         Uso: wemi [OPZIONI] <COMANDO>\n\nPer saperne di più, scrivi `--help`.\n"
    );
    let en = usage_error(&["buld"], &[]);
    assert!(
        en.starts_with("error: unrecognized subcommand 'buld'"),
        "{en}"
    );
    assert!(en.contains("a similar subcommand exists: 'build'"), "{en}");
}

#[test]
fn argument_errors_in_italian() {
    let bogus = usage_error(&["--lang", "it", "build", "--bogus"], &[]);
    assert_eq!(
        bogus,
        "errore: l'argomento `--bogus` non esiste\n\nUso: wemi build [OPZIONI]\n\n\
         Per saperne di più, scrivi `--help`.\n"
    );
    let typo = usage_error(&["--lang", "it", "check", "--formt", "json"], &[]);
    assert!(
        typo.starts_with(
            "errore: l'argomento `--formt` non esiste\n  aiuto: forse intendevi `--format`?\n"
        ),
        "{typo}"
    );
    let value = usage_error(&["--lang", "it", "check", "--format", "xml"], &[]);
    assert!(
        value.starts_with(
            "errore: `xml` non è un valore di `--format <FORMAT>`\n  valori possibili: human, json\n"
        ),
        "{value}"
    );
    let missing_value = usage_error(&["--lang", "it", "build", "--root"], &[]);
    assert!(
        missing_value.starts_with("errore: manca il valore di `--root <ROOT>`\n"),
        "{missing_value}"
    );
    let missing = usage_error(&["--lang", "it", "new"], &[]);
    assert!(
        missing.starts_with(
            "errore: mancano gli argomenti obbligatori <SECTION>, <TITLE>\n\n\
             Uso: wemi new [OPZIONI] <SECTION> <TITLE>\n"
        ),
        "{missing}"
    );
    let port = usage_error(&["--lang", "it", "serve", "--port", "x"], &[]);
    assert!(
        port.starts_with(
            "errore: `x` non è un valore di `--port <PORT>`: serve un numero di porta"
        ),
        "{port}"
    );
    // English stays clap's own.
    let en = usage_error(&["build", "--bogus"], &[]);
    assert!(
        en.starts_with("error: unexpected argument '--bogus' found"),
        "{en}"
    );
}

/// `wemi --version` names the version of Cargo.toml and, built from a git checkout (as the
/// tests are), the commit: the one checked out now, since the build script reruns when HEAD
/// moves.
#[test]
fn the_version_names_the_commit() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let head = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(manifest)
        .output()
        .unwrap();
    assert!(head.status.success(), "the tests run from a git checkout");
    let commit = String::from_utf8(head.stdout).unwrap();
    let expected = format!(
        "wemi {} (commit {} ",
        env!("CARGO_PKG_VERSION"),
        commit.trim()
    );
    for args in [&["--version"][..], &["-V"], &["--lang", "it", "--version"]] {
        let out = help(args);
        assert!(out.starts_with(&expected), "{args:?}: {out}");
    }
}
