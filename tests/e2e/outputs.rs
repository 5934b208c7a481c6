//! Files rendered by templates at paths of their own (`outputs:` in `site.yaml`), and the WeMi
//! theme's open data made that way: `spazi.csv`, `spazi.json` and `spazi.geojson`. The fixture
//! `tests/fixtures/opendata` has spaces whose fields are hostile (quotes, commas, line breaks,
//! `</script>`, spreadsheet formulas); it is built with the theme's own open data templates,
//! and the files are read back with a CSV reader written here, `serde_json`, and the rules of
//! RFC 7946.

use crate::common;

use std::fs;
use std::path::Path;

use common::{Site, copy_dir};
use serde_json::Value;

/// The exact titles of the fixture's spaces, as their front matter gives them.
const AURORA: &str = "Casa \"Aurora\", via Roma\n</script><script>alert(1)</script> & <b>co.</b>";
const FORMULA: &str = "=HYPERLINK(\"https://example.org/x\",\"clic\")";
const UNKNOWN: &str = "Spazio senza dati";

/// The CSV header the theme writes.
const HEADER: [&str; 18] = [
    "nome",
    "descrizione",
    "url",
    "stato",
    "municipio",
    "via",
    "civico",
    "cap",
    "comune",
    "lat",
    "lon",
    "gestore",
    "telefoni",
    "email",
    "orari",
    "servizi",
    "informazioni_verificate",
    "ultimo_controllo",
];

/// The fixture, with the WeMi theme's open data templates as the site's own templates.
fn opendata_site() -> Site {
    let site = Site::fixture("opendata");
    let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/wemi/templates/opendata");
    copy_dir(&templates, &site.root.join("templates/opendata"));
    site
}

/// The fixture, built.
fn built() -> Site {
    let site = opendata_site();
    site.build_ok(&[]);
    site
}

fn read(site: &Site, relative: &str) -> String {
    fs::read_to_string(site.public(relative)).unwrap()
}

fn json(site: &Site, relative: &str) -> Value {
    serde_json::from_str(&read(site, relative)).unwrap()
}

/// The records of an RFC 4180 text: fields separated by commas, records ended by CRLF, a
/// field in double quotes when it holds a quote (written twice), a comma or a line break.
/// Anything else (a bare quote, a record ended by LF alone, a missing last CRLF) fails.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        let mut field = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next().expect("a quoted field is closed") {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    '"' => break,
                    c => field.push(c),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if matches!(c, ',' | '\r') {
                    break;
                }
                assert!(!matches!(c, '"' | '\n'), "bare {c:?} in {field:?}");
                field.push(c);
                chars.next();
            }
        }
        record.push(field);
        match chars.next() {
            Some(',') => {}
            Some('\r') => {
                assert_eq!(chars.next(), Some('\n'), "a record ends with CRLF");
                records.push(std::mem::take(&mut record));
                if chars.peek().is_none() {
                    return records;
                }
            }
            other => panic!("after a field: {other:?}, in record {record:?}"),
        }
    }
}

/// The JSON object of the space called `name`.
fn space<'a>(spaces: &'a [Value], name: &str) -> &'a Value {
    spaces
        .iter()
        .find(|s| s["nome"] == name)
        .unwrap_or_else(|| panic!("no space {name:?} in {spaces:?}"))
}

#[test]
fn the_csv_is_rfc_4180_and_hostile_fields_come_back_exactly() {
    let site = built();
    let records = parse_csv(&read(&site, "spazi/spazi.csv"));
    assert_eq!(records[0], HEADER);
    assert_eq!(records.len(), 4, "{records:?}");
    for record in &records {
        assert_eq!(record.len(), HEADER.len(), "{record:?}");
    }
    let row = |name: &str| -> Vec<&str> {
        let record = records
            .iter()
            .find(|r| r[0] == name)
            .unwrap_or_else(|| panic!("no row {name:?}"));
        record.iter().map(String::as_str).collect()
    };
    assert_eq!(
        row(AURORA),
        [
            AURORA,
            "Uno spazio di prova, con \"virgolette\", virgole,\r\ne a capo.",
            "https://example.org/spazi/aurora/",
            "open",
            "4",
            "via \"Roma\", lato nord",
            "2",
            "20121",
            "Milano",
            "45.4781",
            "9.2046",
            "Cooperativa \"Sole\", Milano",
            "Famiglie, \"sportello\": +390288458041 (lunedì, dalle 9); +393331234567",
            "aurora@example.org",
            "Mo 09:00-13:00,14:00-18:00; Tu off; We unknown; Th 10:00-12:00; Fr unknown; Sa unknown; Su unknown",
            "Assistenza, \"familiare\"; Custodia sociale",
            "true",
            "2026-11-26",
        ]
    );
    // What is not known is an empty field, never a guess.
    let unknown = row(UNKNOWN);
    assert_eq!(
        unknown[..3],
        [
            UNKNOWN,
            "Di questo spazio sappiamo solo il nome.",
            "https://example.org/spazi/ignota/"
        ]
    );
    assert_eq!(unknown[3..16], [""; 13]);
    assert_eq!(unknown[16..], ["false", "2026-11-01"]);
}

#[test]
fn a_cell_a_spreadsheet_would_run_as_a_formula_is_neutralised() {
    let site = built();
    let records = parse_csv(&read(&site, "spazi/spazi.csv"));
    let row = records
        .iter()
        .find(|r| r[0].contains("HYPERLINK"))
        .expect("the formula space");
    assert_eq!(row[0], format!("'{FORMULA}"));
    assert_eq!(row[1], "'+cmd|' /C calc'!A0");
    assert_eq!(row[11], "'@SUM(1+1)");
    // Numbers are numbers, not formulas.
    assert_eq!((row[9].as_str(), row[10].as_str()), ("45.45", "9.15"));
    // No field of any record starts with what a spreadsheet runs.
    for field in records.iter().flatten() {
        assert!(
            !field.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "{field:?}"
        );
    }
}

#[test]
fn the_json_has_every_space_with_only_its_known_fields() {
    let site = built();
    let text = read(&site, "spazi/spazi.json");
    // Inert even if a browser read the file as HTML.
    assert!(!text.contains(['<', '>', '&']), "{text}");
    let all = json(&site, "spazi/spazi.json");
    let spaces = all.as_array().expect("a list of spaces");
    assert_eq!(spaces.len(), 3);
    let aurora = space(spaces, AURORA);
    assert_eq!(aurora["url"], "https://example.org/spazi/aurora/");
    assert_eq!(aurora["municipio"], 4);
    assert_eq!(
        aurora["geo"],
        serde_json::json!({"lat": 45.4781, "lon": 9.2046})
    );
    assert_eq!(
        aurora["telefoni"],
        serde_json::json!([
            {"etichetta": "Famiglie, \"sportello\"", "numero": "+390288458041", "orari": "lunedì, dalle 9"},
            {"numero": "+393331234567"}
        ])
    );
    assert_eq!(aurora["servizi"][0]["nome"], "Assistenza, \"familiare\"");
    assert_eq!(
        aurora["indirizzo"],
        serde_json::json!({"via": "via \"Roma\", lato nord", "civico": "2", "cap": "20121", "comune": "Milano"})
    );
    assert_eq!(space(spaces, FORMULA)["gestore"], "@SUM(1+1)");
    let unknown = space(spaces, UNKNOWN);
    let mut keys: Vec<&str> = unknown
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "descrizione",
            "informazioni_verificate",
            "nome",
            "ultimo_controllo",
            "url"
        ]
    );
}

#[test]
fn the_geojson_is_a_feature_collection_of_the_spaces_with_a_position() {
    let site = built();
    let collection = json(&site, "spazi/spazi.geojson");
    assert_eq!(collection["type"], "FeatureCollection");
    let features = collection["features"].as_array().unwrap();
    let mut names = Vec::new();
    for feature in features {
        assert_eq!(feature["type"], "Feature");
        assert_eq!(feature["geometry"]["type"], "Point");
        let coordinates = feature["geometry"]["coordinates"].as_array().unwrap();
        let [lon, lat] = [&coordinates[0], &coordinates[1]].map(|c| c.as_f64().unwrap());
        assert_eq!(coordinates.len(), 2);
        assert!((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat));
        // RFC 7946: longitude first; the properties' `geo` says which is which.
        let geo = &feature["properties"]["geo"];
        assert_eq!(
            (lon, lat),
            (geo["lon"].as_f64().unwrap(), geo["lat"].as_f64().unwrap())
        );
        names.push(feature["properties"]["nome"].as_str().unwrap().to_string());
    }
    names.sort_unstable();
    assert_eq!(names, [FORMULA, AURORA]);
    let aurora = features
        .iter()
        .find(|f| f["properties"]["nome"] == AURORA)
        .unwrap();
    assert_eq!(
        aurora["geometry"]["coordinates"],
        serde_json::json!([9.2046, 45.4781])
    );
}

#[test]
fn outputs_follow_a_base_url_with_a_path() {
    let site = opendata_site();
    site.build_ok(&["--base-url", "https://example.org/comune/wemi/"]);
    let all = json(&site, "spazi/spazi.json");
    let urls: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["url"].as_str().unwrap())
        .collect();
    assert_eq!(urls.len(), 3);
    for url in urls {
        assert!(
            url.starts_with("https://example.org/comune/wemi/spazi/"),
            "{url}"
        );
    }
    assert!(site.public("spazi/spazi.csv").is_file());
}

#[test]
fn the_real_site_publishes_every_space_and_no_invented_position() {
    let site = Site::real();
    site.build_ok(&[]);
    let spaces = fs::read_dir(site.root.join("content/spazi"))
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            let name = name.to_str().unwrap();
            name.ends_with(".md") && !name.starts_with("_index") && name.matches('.').count() == 1
        })
        .count();
    let all = json(&site, "spazi/spazi.json");
    assert_eq!(all.as_array().unwrap().len(), spaces);
    let records = parse_csv(&read(&site, "spazi/spazi.csv"));
    assert_eq!(records.len(), spaces + 1);
    let with_position = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s.get("geo").is_some())
        .count();
    let collection = json(&site, "spazi/spazi.geojson");
    assert_eq!(
        collection["features"].as_array().unwrap().len(),
        with_position
    );
}

/// The site with `outputs` (whole lines, replacing the fixture's) in its `site.yaml`; the line
/// of the first entry.
fn with_outputs(outputs: &str) -> (Site, usize) {
    let site = opendata_site();
    let config = fs::read_to_string(site.root.join("site.yaml")).unwrap();
    let start = config.find("outputs:\n").unwrap();
    let end = start + config[start..].find("schemas:").unwrap();
    let line = config[..start].lines().count() + 2;
    site.write(
        "site.yaml",
        format!("{}outputs:\n{outputs}{}", &config[..start], &config[end..]),
    );
    (site, line)
}

#[test]
fn a_bad_output_is_an_error_at_its_entry_in_both_languages() {
    let (site, line) = with_outputs(concat!(
        "  - { path: ../fuori.csv, template: opendata/spazi.csv }\n",
        "  - { path: spazi/, template: opendata/spazi.csv }\n",
        "  - { path: \"a?b.csv\", template: opendata/spazi.csv }\n",
        "  - { path: spazi/con.csv, template: opendata/spazi.csv }\n",
    ));
    let stderr = site.build_err(&[], 2);
    for (offset, message) in [
        (
            0,
            "the output `../fuori.csv` is not the path of a file of this site",
        ),
        (1, "the output `spazi/` names a folder, not a file"),
        (
            2,
            "the output `a?b.csv` is not the path of a file of this site",
        ),
        (
            3,
            "the output `spazi/con.csv` cannot be published: `con.csv` is a name Windows reserves",
        ),
    ] {
        let expected = format!("site.yaml:{}:13: {message}", line + offset);
        assert!(stderr.contains(&expected), "{expected}\n{stderr}");
    }
    assert!(!site.public("").exists(), "nothing is written");
    let italian = site.build_err(&["--lang", "it"], 2);
    assert!(
        italian.contains(&format!(
            "site.yaml:{}:13: l'output `spazi/` indica una cartella, non un file",
            line + 1
        )),
        "{italian}"
    );
}

/// An output a browser runs scripts from (a web page, an SVG) needs a template that escapes:
/// the CSV template prints the spaces' fields as they are.
#[test]
fn an_output_a_browser_runs_needs_an_escaping_template() {
    let (site, line) = with_outputs(concat!(
        "  - { path: spazi.html, template: opendata/spazi.csv }\n",
        "  - { path: spazi/mappa.SVG, template: opendata/spazi.csv }\n",
        "  - { path: spazi/spazi.csv, template: opendata/spazi.csv }\n",
    ));
    let stderr = site.build_err(&[], 2);
    for (offset, path) in [(0, "spazi.html"), (1, "spazi/mappa.SVG")] {
        let expected = format!(
            "site.yaml:{}:13: the output `{path}` is a file a browser runs scripts from, and its template `opendata/spazi.csv` escapes nothing it prints",
            line + offset
        );
        assert!(stderr.contains(&expected), "{expected}\n{stderr}");
    }
    assert_eq!(stderr.matches("error[").count(), 2, "{stderr}");
    assert!(!site.public("").exists(), "nothing is written");
}

#[test]
fn an_output_whose_template_is_missing_is_an_error_at_its_entry() {
    let (site, line) =
        with_outputs("  - { path: spazi/spazi.csv, template: opendata/assente.csv }\n");
    let stderr = site.build_err(&[], 1);
    assert!(
        stderr.contains(&format!(
            "site.yaml:{line}:13: `template: opendata/assente.csv` names a template that does not exist"
        )),
        "{stderr}"
    );
}

#[test]
fn two_outputs_at_one_file_are_refused() {
    let (site, line) = with_outputs(concat!(
        "  - { path: spazi/spazi.csv, template: opendata/spazi.csv }\n",
        "  - { path: /Spazi//SPAZI.csv, template: opendata/spazi.json }\n",
    ));
    let stderr = site.build_err(&[], 2);
    assert!(
        stderr.contains(&format!(
            "error[output.collision]: site.yaml:{}:13: the outputs `/Spazi//SPAZI.csv` and `spazi/spazi.csv` (line {line}) would be written to the same file",
            line + 1
        )),
        "{stderr}"
    );
}

#[test]
fn an_output_at_the_file_of_a_page_or_a_feed_is_refused() {
    // A file where the page content/spazi/aurora.md needs a folder.
    let (site, line) = with_outputs("  - { path: spazi/aurora, template: opendata/spazi.csv }\n");
    let stderr = site.build_err(&[], 1);
    assert!(
        stderr.contains(&format!(
            "error[output.collision]: site.yaml:{line}:13: site.yaml would be written to spazi/aurora and content/spazi/aurora.md to spazi/aurora/index.html"
        )),
        "{stderr}"
    );
    // The same, spelt as a host that ignores case would serve it.
    let (site, line) = with_outputs("  - { path: Spazi/AURORA, template: opendata/spazi.csv }\n");
    let stderr = site.build_err(&[], 1);
    assert!(
        stderr.contains(&format!("error[output.collision]: site.yaml:{line}:13:")),
        "{stderr}"
    );
    // The site's feed, written by wemi itself (with a template that escapes, as an XML file
    // needs).
    let (site, _) = with_outputs("  - { path: atom.xml, template: 404.html }\n");
    let stderr = site.build_err(&[], 1);
    assert!(
        stderr.contains("would both be written to atom.xml"),
        "{stderr}"
    );
}
