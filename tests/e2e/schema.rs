//! End-to-end tests of `wemi new` (a page from its section's schema) and `wemi schema` (the
//! schemas as JSON Schema for editors): each runs the real binary on a copy of a fixture site,
//! or of the real WeMi site, and checks the files it wrote.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{Site, assert_success, walk};

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The front matter of a content file, read as editors' YAML tools read it.
fn front_matter(path: &Path) -> serde_json::Value {
    let text = fs::read_to_string(path).unwrap().replace("\r\n", "\n");
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("---"), "{}", path.display());
    let yaml: Vec<&str> = lines.take_while(|l| l.trim_end() != "---").collect();
    serde_yaml::from_str(&yaml.join("\n")).unwrap()
}

fn validator(schema_file: &Path) -> jsonschema::Validator {
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(schema_file).unwrap()).unwrap();
    jsonschema::meta::validate(&schema).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

/// Every problem the schema finds in `instance`, as `path: message`.
fn problems(validator: &jsonschema::Validator, instance: &serde_json::Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// The pages of `content/<section>/` (every `.md` but the sections' `_index.md`).
fn pages(root: &Path, section: &str) -> Vec<PathBuf> {
    walk(&root.join("content").join(section))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .filter(|p| {
            !p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("_index")
        })
        .collect()
}

/// Today in Milan, as `wemi new` writes it.
fn today() -> String {
    let tz = jiff::tz::db().get("Europe/Rome").unwrap();
    jiff::Timestamp::now()
        .to_zoned_datetime(tz)
        .date()
        .to_string()
}

// ---------------------------------------------------------------------------------------------
// wemi new

#[test]
fn a_new_page_builds_at_once_and_is_never_overwritten() {
    let site = Site::fixture("typed");
    let out = site.run("new", &["spazi", "L'apertura di via Larga"]);
    assert_success(&out);
    let path = site.root.join("content/spazi/l-apertura-di-via-larga.md");
    assert_eq!(stdout(&out), format!("Created {}\n", path.display()));

    let text = fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with("---\n# Bozza: ")
            && text.contains(
                "\ndraft: true\n# Il nome dello spazio\ntitle: \"L'apertura di via Larga\"\n"
            ),
        "{text}"
    );
    assert!(
        text.contains("\n# Il Municipio dello spazio\nmunicipio: 1 # DA COMPLETARE\n"),
        "{text}"
    );
    assert!(
        text.contains("\n  street: \"DA COMPLETARE\" # DA COMPLETARE\n"),
        "{text}"
    );
    assert!(
        text.contains("\n# notes:\n"),
        "optional fields are commented out: {text}"
    );
    // A required reference points at a published page: not at the draft that sorts first.
    assert!(
        text.contains("\nmain_service: spazio-bambini # DA COMPLETARE\n"),
        "{text}"
    );

    // It builds at once as a preview (its placeholders are warnings there; a build to
    // publish refuses them: tests/e2e/editors.rs).
    site.build_ok(&["--drafts"]);
    let page = site.html("spazi/l-apertura-di-via-larga/index.html");
    assert_eq!(common::texts(&page, "h1"), ["L'apertura di via Larga"]);

    // Once the editor has written in it, asking again changes nothing.
    let edited = format!("{text}Testo scritto dall'editore.\n");
    fs::write(&path, &edited).unwrap();
    let again = site.run("new", &["spazi", "L'apertura di via Larga"]);
    assert_eq!(again.status.code(), Some(1), "{}", stderr(&again));
    assert!(
        stderr(&again).contains(
            "error[new.exists]: content/spazi/l-apertura-di-via-larga.md: the page already exists: it was left as it is"
        ),
        "{}",
        stderr(&again)
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), edited);
}

#[test]
fn a_page_bundle_of_the_same_name_counts_as_existing() {
    let site = Site::fixture("typed");
    site.write("content/notizie/festa/index.md", "---\ntitle: Festa\n---\n");
    let out = site.run("new", &["notizie", "Festa"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(
            "error[new.exists]: content/notizie/festa.md: the page already exists as content/notizie/festa/index.md"
        ),
        "{}",
        stderr(&out)
    );
    assert!(!site.root.join("content/notizie/festa.md").exists());
}

#[test]
fn a_section_without_schema_gets_title_description_and_date() {
    let site = Site::fixture("typed");
    let before = today();
    // `eventi/` does not exist yet: it is created.
    let out = site.run("new", &["eventi", "Festa d'estate"]);
    let after = today();
    assert_success(&out);
    let text = fs::read_to_string(site.root.join("content/eventi/festa-d-estate.md")).unwrap();
    let expected = |day: &str| {
        format!(
            "title: \"Festa d'estate\"\n# Una frase che riassume la pagina\n\
             description: \"\"\n# Il giorno di pubblicazione della pagina, come 2018-10-26\n\
             date: {day} # DA COMPLETARE\n---\n\
             <!-- DA COMPLETARE: scrivi qui il testo della pagina, poi cancella questa riga -->\n"
        )
    };
    assert!(
        text.starts_with("---\n# Bozza: ")
            && (text.ends_with(&expected(&before)) || text.ends_with(&expected(&after))),
        "{text}"
    );
    site.build_ok(&["--drafts"]);
    assert!(site.public("eventi/festa-d-estate/index.html").is_file());
}

#[test]
fn a_section_written_with_backslashes_as_on_windows_is_its_folder() {
    let site = Site::fixture("typed");
    assert_success(&site.run("new", &["spazi\\", "Nuovo spazio"]));
    let text = fs::read_to_string(site.root.join("content/spazi/nuovo-spazio.md")).unwrap();
    assert!(text.contains("# DA COMPLETARE"), "{text}");
}

#[test]
fn new_refuses_titles_and_sections_it_cannot_name_a_file_after() {
    let site = Site::fixture("typed");
    let files = walk(&site.root);
    for (args, message) in [
        (
            ["spazi", "مرحبا"],
            "has no letter or digit to name the file after",
        ),
        (
            ["../fuori", "Fuori"],
            "`../fuori` is not a folder of content/",
        ),
        (["spazi", "Index"], "would name the file index.md"),
        (["spazii", "Nuovo"], "did you mean `spazi`?"),
        // Windows and macOS would find content/spazi for it, and lose the schema.
        (["Spazi", "Nuovo"], "did you mean `spazi`?"),
        (["con", "Nuovo"], "`con` is not a folder of content/"),
    ] {
        let out = site.run("new", &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(message), "{}", stderr(&out));
    }
    assert_eq!(walk(&site.root), files, "nothing was written");
}

#[test]
fn a_new_page_of_each_section_of_the_real_site_builds() {
    let site = Site::real();
    let content = site.root.join("content");
    // Every section: each folder of content/ with an `_index.md`.
    let sections: Vec<String> = walk(&content)
        .iter()
        .filter(|file| file.ends_with("_index.md"))
        .map(|file| file.parent().unwrap().strip_prefix(&content).unwrap())
        .filter(|folder| !folder.as_os_str().is_empty())
        .map(|folder| folder.to_string_lossy().into_owned())
        .collect();
    assert!(sections.len() >= 3, "{sections:?}");
    let title = "Una pagina di prova di wemi new";
    for section in &sections {
        assert_success(&site.run("new", &[section, title]));
    }
    // As a preview: to publish, the editor completes the placeholders (tests/e2e/editors.rs).
    site.build_ok(&["--drafts"]);
    for section in &sections {
        let page = site.html(&format!(
            "{section}/una-pagina-di-prova-di-wemi-new/index.html"
        ));
        assert_eq!(common::texts(&page, "h1"), [title], "{section}");
    }
}

// ---------------------------------------------------------------------------------------------
// wemi schema

#[test]
fn schema_writes_a_file_per_section_with_a_schema_and_the_fixture_passes() {
    let site = Site::fixture("typed");
    let out = site.run("schema", &[]);
    assert_success(&out);
    let file = site.root.join("schemas/spazi.schema.json");
    assert_eq!(stdout(&out), format!("Wrote {}\n", file.display()));
    assert_eq!(
        walk(&site.root.join("schemas")),
        std::slice::from_ref(&file),
        "only spazi has one"
    );

    let validator = validator(&file);
    let pages = pages(&site.root, "spazi");
    assert!(!pages.is_empty());
    for page in pages {
        let fm = front_matter(&page);
        assert_eq!(
            problems(&validator, &fm),
            Vec::<String>::new(),
            "{}",
            page.display()
        );
    }

    // --output writes elsewhere (relative to where wemi runs, like `build --output`).
    let elsewhere = site.root.join("editor");
    assert_success(&site.run("schema", &["--output", elsewhere.to_str().unwrap()]));
    assert_eq!(
        fs::read(elsewhere.join("spazi.schema.json")).unwrap(),
        fs::read(&file).unwrap()
    );
}

/// `wemi schema` and `wemi new` never write through a link: a link where a schema file goes
/// is replaced, a schemas folder that is a link is refused, and a section that is a link out
/// of `content/` gets no page.
#[cfg(unix)]
#[test]
fn schema_and_new_never_write_through_a_link() {
    let site = Site::fixture("typed");
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim.txt");
    fs::write(&victim, "originale").unwrap();
    fs::create_dir_all(site.root.join("schemas")).unwrap();
    let file = site.root.join("schemas/spazi.schema.json");
    std::os::unix::fs::symlink(&victim, &file).unwrap();
    assert_success(&site.run("schema", &[]));
    assert_eq!(fs::read_to_string(&victim).unwrap(), "originale");
    assert!(fs::symlink_metadata(&file).unwrap().is_file());

    fs::remove_dir_all(site.root.join("schemas")).unwrap();
    std::os::unix::fs::symlink(outside.path(), site.root.join("schemas")).unwrap();
    let out = site.run("schema", &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("error[output.symlink]"),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 1);

    std::os::unix::fs::symlink(outside.path(), site.root.join("content/fuori")).unwrap();
    let out = site.run("new", &["fuori", "Titolo"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("content/fuori/ is a symbolic link that leads out of content/"),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 1);
}

#[test]
fn the_modeline_comment_points_at_the_schema_and_wemi_accepts_it() {
    let site = Site::fixture("typed");
    let page = site.root.join("content/spazi/via-piazzetta.md");
    let text = fs::read_to_string(&page).unwrap();
    let modeline = "# yaml-language-server: $schema=../../schemas/spazi.schema.json";
    assert_eq!(text.lines().nth(1), Some(modeline));
    assert_success(&site.run("schema", &[]));
    let target = page
        .parent()
        .unwrap()
        .join(modeline.split_once('=').unwrap().1);
    assert!(target.is_file(), "{}", target.display());
    site.build_ok(&[]);
}

#[test]
fn a_wrong_value_and_an_unknown_key_fail_the_schema_as_they_fail_the_build() {
    let site = Site::fixture("typed");
    assert_success(&site.run("schema", &[]));
    let validator = validator(&site.root.join("schemas/spazi.schema.json"));
    let page = "content/spazi/via-piazzetta.md";
    let text = fs::read_to_string(site.root.join(page)).unwrap();
    let wrong = text.replace("municipio: 4\n", "municipio: \"quattro\"\nmunicpio: 4\n");
    assert_ne!(wrong, text);
    site.write(page, &wrong);

    let found = problems(&validator, &front_matter(&site.root.join(page)));
    assert!(
        found
            .iter()
            .any(|p| p.starts_with("/municipio: ") && p.contains("quattro")),
        "{found:#?}"
    );
    assert!(found.iter().any(|p| p.contains("municpio")), "{found:#?}");
    let stderr = site.build_err(&[], 1);
    assert!(
        stderr.contains("error[front-matter.value]: content/spazi/via-piazzetta.md:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("error[front-matter.unknown-key]: content/spazi/via-piazzetta.md:"),
        "{stderr}"
    );
}

#[test]
fn the_real_site_pages_pass_their_section_schemas() {
    let out_dir = tempfile::tempdir().unwrap();
    let real = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(env!("CARGO_BIN_EXE_wemi"))
        .arg("schema")
        .arg("--root")
        .arg(real)
        .arg("--output")
        .arg(out_dir.path())
        .output()
        .unwrap();
    assert_success(&out);
    let schemas = walk(out_dir.path());
    assert!(!schemas.is_empty(), "site.yaml declares no schemas");
    let mut checked = 0;
    for schema in schemas {
        let name = schema.file_name().unwrap().to_string_lossy().into_owned();
        let section = name.strip_suffix(".schema.json").unwrap();
        let validator = validator(&schema);
        for page in pages(real, section) {
            let fm = front_matter(&page);
            assert_eq!(
                problems(&validator, &fm),
                Vec::<String>::new(),
                "{}",
                page.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 0);
}
