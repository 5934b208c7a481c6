//! The WeMi theme's pages for finding a space, tested against the fictional but complete site
//! `tests/fixtures/completo` (every field of a space, every status, invented outlines of the
//! municipi), built with the real theme by the real binary: the space page (first-screen facts,
//! hours table, contacts, status as a dated fact, JSON-LD), the spaces index grouped by
//! municipio, the map page (markers as links inside the SVG's view, approximate ones said so,
//! the same list as text) and the home. The browser test checks "Aperto ora" / "Chiuso ora" at
//! fixed instants with a mocked clock.

use crate::common;

use std::path::Path;

use common::{Site, attrs, copy_dir, texts};
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

/// The complete fictional site, with the theme the real site is published with.
fn complete_site() -> Site {
    let site = Site::fixture("completo");
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/wemi");
    copy_dir(&theme, &site.root.join("themes/wemi"));
    site
}

fn built() -> Site {
    let site = complete_site();
    site.build_ok(&[]);
    site
}

fn select<'a>(doc: &'a Html, selector: &str) -> Vec<ElementRef<'a>> {
    let sel = Selector::parse(selector).unwrap();
    doc.select(&sel).collect()
}

/// Text with whitespace collapsed, as a reader sees it.
fn words(element: ElementRef) -> String {
    element
        .text()
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The JSON-LD objects of a page.
fn json_ld(doc: &Html) -> Vec<Value> {
    select(doc, r#"script[type="application/ld+json"]"#)
        .into_iter()
        .map(|s| serde_json::from_str(&s.text().collect::<String>()).expect("JSON-LD parses"))
        .collect()
}

#[test]
fn space_page_shows_every_block_of_a_complete_space() {
    let site = built();
    let doc = site.html("spazi/esempio-uno/index.html");

    // The first screen: address (with its municipio), today's hours (a link to the table until
    // the script fills it in), the first phone as a tel: link, the status as a dated fact.
    let key = select(&doc, ".space-key")
        .into_iter()
        .next()
        .expect("the key facts");
    let key_text = words(key);
    assert!(
        key_text.contains("via dell'Esempio 1, 20121 Milano (Municipio 1)"),
        "{key_text}"
    );
    assert!(
        key_text.contains("Aperto · informazione del 4 marzo 2025"),
        "{key_text}"
    );
    assert_eq!(
        attrs(&doc, ".space-key a[href^='tel:']", "href"),
        ["tel:+390200000001"]
    );
    assert_eq!(
        attrs(&doc, ".space-key [data-today-hours] a", "href"),
        ["#sezione-orari"]
    );
    // "Aperto ora" is never in the built page: only the browser, by its clock, may say it.
    let open_now = select(&doc, "[data-open-now]");
    assert_eq!(open_now.len(), 1);
    assert!(open_now[0].value().attr("hidden").is_some());
    assert_eq!(texts(&doc, "[data-open-now-text]"), [""]);

    // The opening hours: one row a day, ranges in words, a closed day "chiuso".
    let rows: Vec<(String, String)> = select(&doc, "table[data-opening-hours] tbody tr")
        .into_iter()
        .map(|tr| {
            let day = tr.value().attr("data-day").unwrap().to_string();
            let td = tr.select(&Selector::parse("td").unwrap()).next().unwrap();
            (day, words(td))
        })
        .collect();
    let expected = [
        ("mon", "dalle 9:00 alle 13:00"),
        ("tue", "dalle 9:00 alle 13:00 e dalle 14:00 alle 18:00"),
        ("wed", "dalle 9:00 alle 13:00"),
        ("thu", "dalle 9:00 alle 13:00 e dalle 14:00 alle 18:00"),
        ("fri", "dalle 9:00 alle 13:00"),
        ("sat", "dalle 10:00 alle 12:00"),
        ("sun", "chiuso"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(d, h)| (d.to_string(), h.to_string()))
        .collect();
    assert_eq!(rows, expected);
    assert_eq!(
        texts(&doc, "table[data-opening-hours] tbody th")[0],
        "lunedì"
    );
    // The same days as JSON for the script.
    let json: Value = serde_json::from_str(&texts(&doc, "[data-opening-hours-json]")[0]).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 7);
    assert_eq!(json[1]["day"], "tue");
    assert_eq!(json[1]["slots"][1]["opens"], "14:00");

    // How to get there, services, managed by, dates, last review.
    let where_ = words(select(&doc, "#sezione-dove").remove(0));
    assert!(
        where_.contains("Metropolitana M1, fermata Esempio"),
        "{where_}"
    );
    assert!(where_.contains("Tram 99, fermata Esempio"), "{where_}");
    assert!(
        where_.contains("Accessibile in sedia a rotelle"),
        "{where_}"
    );
    assert_eq!(
        attrs(&doc, "#sezione-dove a[href='/municipio/1/']", "href").len(),
        1
    );
    assert_eq!(
        attrs(&doc, "#sezione-servizi a", "href"),
        ["/servizi/servizio-esempio/"]
    );
    assert_eq!(texts(&doc, "#sezione-servizi li").len(), 3);
    assert_eq!(
        texts(&doc, "#sezione-gestore p"),
        ["Cooperativa di esempio Uno"]
    );
    let dates = words(select(&doc, ".space-dates").remove(0));
    assert!(dates.contains("Annunciato il 5 novembre 2024"), "{dates}");
    assert!(dates.contains("Data di apertura 4 marzo 2025"), "{dates}");
    assert!(texts(&doc, ".last-update")[0].contains("1° dicembre 2026"));

    // Contacts: every phone a tel: link in E.164, shown as written; the e-mail a mailto: link;
    // a phone line's own hours in a table of their own, said to be the line's.
    let tel = attrs(&doc, "#sezione-contatti a[href^='tel:']", "href");
    assert_eq!(tel, ["tel:+390200000001", "tel:+390200000002"]);
    assert_eq!(
        texts(&doc, "#sezione-contatti a[href^='tel:']"),
        ["02 0000 0001", "02 0000 0002"]
    );
    assert_eq!(
        attrs(&doc, "#sezione-contatti a[href^='mailto:']", "href"),
        ["mailto:spazio.uno@example.org"]
    );
    for class in attrs(&doc, "#sezione-contatti a", "class") {
        assert_eq!(class, "tap", "contact links have the 44 px target class");
    }
    let line_tables = select(&doc, "#sezione-contatti table.hours");
    assert_eq!(line_tables.len(), 1, "only the first line has a schedule");
    assert!(line_tables[0].value().attr("data-opening-hours").is_none());
    assert_eq!(
        texts(&doc, "#sezione-contatti table.hours caption"),
        ["Orari della linea telefonica Linea per le famiglie"]
    );
    assert_eq!(
        texts(&doc, "#sezione-contatti table.hours tbody tr").len(),
        5
    );
}

#[test]
fn a_space_with_nothing_known_shows_no_empty_block() {
    let site = built();
    let doc = site.html("spazi/esempio-sei/index.html");
    let key = words(select(&doc, ".space-key").remove(0));
    assert_eq!(key, "Indirizzo Indirizzo non indicato");
    for absent in [
        "#sezione-orari",
        "#sezione-contatti",
        "#sezione-dove",
        "[data-open-now]",
    ] {
        assert!(
            select(&doc, absent).is_empty(),
            "{absent} is not on the page"
        );
    }
    assert_eq!(
        texts(&doc, "p.notice strong"),
        ["Informazioni da verificare."]
    );
    assert!(
        select(&doc, "script[src*='/js/spazi.']").is_empty(),
        "no hours, no script"
    );
    let office = json_ld(&doc)
        .into_iter()
        .find(|j| j["@type"] == "GovernmentOffice")
        .unwrap();
    for absent in [
        "address",
        "geo",
        "telephone",
        "openingHoursSpecification",
        "containedInPlace",
    ] {
        assert!(office.get(absent).is_none(), "{absent}: {office}");
    }
}

#[test]
fn the_status_of_a_space_is_a_fact_with_its_date_in_every_state() {
    let site = built();
    for (page, status) in [
        ("esempio-uno", "Aperto · informazione del 4 marzo 2025"),
        (
            "esempio-due",
            "Annunciato · informazione del 1° ottobre 2024",
        ),
        (
            "esempio-tre",
            "Temporaneamente chiuso · informazione del 15 giugno 2026",
        ),
        (
            "esempio-quattro",
            "Chiuso · informazione del 31 gennaio 2026",
        ),
        (
            "esempio-cinque",
            "Trasferito · informazione del 14 marzo 2025",
        ),
    ] {
        let doc = site.html(&format!("spazi/{page}/index.html"));
        let key = words(select(&doc, ".space-key").remove(0));
        assert!(
            key.contains(&format!("Stato: {status}")) || key.contains(&format!("Stato {status}")),
            "{page}: {key}"
        );
        let listed = site.html("spazi/index.html");
        let card = select(&listed, ".space-card")
            .into_iter()
            .find(|c| attrs_of(*c, "a", "href").contains(&format!("/spazi/{page}/")))
            .unwrap();
        assert!(
            words(card).contains(&format!("Stato: {status}")),
            "{page}: {}",
            words(card)
        );
    }
}

fn attrs_of(element: ElementRef, selector: &str, attr: &str) -> Vec<String> {
    element
        .select(&Selector::parse(selector).unwrap())
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

#[test]
fn json_ld_of_a_space_is_a_government_office_with_its_facts() {
    let site = built();
    let doc = site.html("spazi/esempio-uno/index.html");
    let office = json_ld(&doc)
        .into_iter()
        .find(|j| j["@type"] == "GovernmentOffice")
        .unwrap();
    assert_eq!(office["name"], "Spazio Esempio Uno");
    assert_eq!(office["url"], "https://example.org/spazi/esempio-uno/");
    assert_eq!(office["address"]["@type"], "PostalAddress");
    assert_eq!(office["address"]["streetAddress"], "via dell'Esempio 1");
    assert_eq!(office["address"]["postalCode"], "20121");
    assert_eq!(office["address"]["addressLocality"], "Milano");
    assert_eq!(office["geo"]["@type"], "GeoCoordinates");
    assert_eq!(office["geo"]["latitude"], 45.465);
    assert_eq!(office["geo"]["longitude"], 9.17);
    let hours = office["openingHoursSpecification"].as_array().unwrap();
    assert_eq!(
        hours.len(),
        8,
        "one entry a range: mon, tue ×2, wed, thu ×2, fri, sat"
    );
    assert!(
        hours
            .iter()
            .all(|h| h["@type"] == "OpeningHoursSpecification")
    );
    assert_eq!(hours[1]["dayOfWeek"], "https://schema.org/Tuesday");
    assert_eq!(hours[2]["opens"], "14:00");
    assert_eq!(hours[2]["closes"], "18:00");
    assert_eq!(office["telephone"], "+390200000001");
    assert_eq!(office["email"], "spazio.uno@example.org");
    assert_eq!(office["containedInPlace"]["name"], "Municipio 1");
    assert_eq!(office["parentOrganization"]["name"], "Comune di Milano");
    let points = office["contactPoint"].as_array().unwrap();
    assert_eq!(points[0]["@type"], "ContactPoint");
    assert_eq!(points[0]["telephone"], "+390200000001");
    let line = points[0]["hoursAvailable"].as_array().unwrap();
    assert_eq!(line.len(), 5);
    assert_eq!(line[0]["dayOfWeek"], "https://schema.org/Monday");
    assert_eq!(line[0]["closes"], "12:00");
    assert!(
        points[1].get("hoursAvailable").is_none(),
        "the second line has no schedule"
    );
}

/// The `id`s of the municipio groups of the spaces index, in order.
fn group_ids(doc: &Html) -> Vec<String> {
    attrs(doc, ".municipio-group", "id")
}

#[test]
fn spaces_index_groups_by_municipio_with_not_given_last() {
    let site = built();
    let doc = site.html("spazi/index.html");
    let mut expected: Vec<String> = (1..=9).map(|n| format!("municipio-{n}")).collect();
    expected.push("municipio-non-indicato".into());
    assert_eq!(group_ids(&doc), expected);
    let names = |id: &str| texts(&doc, &format!("#{id} .space-card__title a"));
    assert_eq!(names("municipio-1"), ["Spazio Esempio Uno"]);
    assert_eq!(
        names("municipio-4"),
        ["Spazio Esempio Due", "Spazio Esempio Tre"]
    );
    assert_eq!(names("municipio-9"), ["Spazio Esempio Quattro"]);
    assert_eq!(
        names("municipio-non-indicato"),
        ["Spazio Esempio Cinque", "Spazio Esempio Sei"]
    );
    assert_eq!(texts(&doc, "#municipio-2 .municipio-group__empty").len(), 1);
    // A municipio with spaces links to its page; one without has no page to link to.
    assert_eq!(attrs(&doc, "#municipio-4 h2 a", "href"), ["/municipio/4/"]);
    assert!(attrs(&doc, "#municipio-2 h2 a", "href").is_empty());
    assert!(site.public("municipio/4/index.html").is_file());
    // Addresses, and "da confermare" for the unverified.
    let card = words(select(&doc, "#municipio-1 .space-card").remove(0));
    assert!(card.contains("via dell'Esempio 1, 20121 Milano"), "{card}");
    assert!(texts(&doc, "#municipio-non-indicato .space-card__unconfirmed").len() == 2);
    // The map and the picker.
    assert_eq!(attrs(&doc, "main a[href='/spazi/mappa/']", "href").len(), 1);
    let picker = attrs(&doc, ".municipio-picker a", "href");
    assert_eq!(picker.len(), 9);
    assert_eq!(picker[3], "/spazi/#municipio-4");
    // The open data of the spaces, linked and written.
    let files = attrs(&doc, ".opendata a[type]", "href");
    assert_eq!(
        files,
        [
            "/spazi/spazi.csv",
            "/spazi/spazi.json",
            "/spazi/spazi.geojson"
        ]
    );
    for file in files {
        assert!(
            site.public(file.trim_start_matches('/')).is_file(),
            "{file}"
        );
    }
}

/// The markers of the map: (href, accessible name, class, cx, cy).
fn markers(doc: &Html) -> Vec<(String, String, String, f64, f64)> {
    select(doc, "svg a.map-marker")
        .into_iter()
        .map(|a| {
            let circle = a
                .select(&Selector::parse("circle").unwrap())
                .next()
                .unwrap();
            let number = |name: &str| circle.value().attr(name).unwrap().parse::<f64>().unwrap();
            (
                a.value().attr("href").unwrap().to_string(),
                a.value().attr("aria-label").unwrap().to_string(),
                a.value().attr("class").unwrap().to_string(),
                number("cx"),
                number("cy"),
            )
        })
        .collect()
}

/// The width and height of an SVG's viewBox (which starts at 0 0).
fn view_box(doc: &Html) -> (f64, f64) {
    let view = attrs(doc, "svg.spaces-map__svg", "viewBox").remove(0);
    let parts: Vec<f64> = view.split(' ').map(|n| n.parse().unwrap()).collect();
    assert_eq!(&parts[..2], [0.0, 0.0]);
    (parts[2], parts[3])
}

#[test]
fn map_draws_each_space_as_a_link_inside_its_view_with_the_same_list_beside_it() {
    let site = built();
    let doc = site.html("spazi/mappa/index.html");
    let (width, height) = view_box(&doc);
    let found = markers(&doc);
    let hrefs: Vec<&str> = found.iter().map(|m| m.0.as_str()).collect();
    // In the list's order: municipio 1, 4, 9; the spaces without municipio are not drawn.
    assert_eq!(
        hrefs,
        [
            "/spazi/esempio-uno/",
            "/spazi/esempio-due/",
            "/spazi/esempio-tre/",
            "/spazi/esempio-quattro/"
        ]
    );
    for (href, name, class, x, y) in &found {
        assert!(
            (0.0..=width).contains(x) && (0.0..=height).contains(y),
            "{href} at {x},{y}"
        );
        let approximate = class.contains("map-marker--approximate");
        assert_eq!(
            approximate,
            name.contains("(posizione approssimativa)"),
            "{href}: {name}"
        );
        assert_eq!(
            approximate,
            href.contains("due") || href.contains("tre"),
            "{href}: {class}"
        );
    }
    assert_eq!(found[0].1, "1. Spazio Esempio Uno");
    // Each marker inside the outline of its municipio (the fixture's rectangles).
    let outlines = select(&doc, ".spaces-map__municipi path");
    assert_eq!(outlines.len(), 9);
    let bounds = |n: usize| {
        let d = outlines[n - 1].value().attr("d").unwrap();
        let numbers: Vec<f64> = d
            .split(['M', 'L', 'Z', ' '])
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().unwrap())
            .collect();
        let xs: Vec<f64> = numbers.iter().step_by(2).copied().collect();
        let ys: Vec<f64> = numbers.iter().skip(1).step_by(2).copied().collect();
        let min = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
        let max = |v: &[f64]| v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (min(&xs), max(&xs), min(&ys), max(&ys))
    };
    for (marker, municipio) in [(0, 1), (1, 4), (2, 4), (3, 9)] {
        let (x0, x1, y0, y1) = bounds(municipio);
        let (_, _, _, x, y) = &found[marker];
        assert!(
            x0 < *x && *x < x1 && y0 < *y && *y < y1,
            "marker {marker} in municipio {municipio}"
        );
    }
    // Two approximate markers of one municipio side by side, not on top of each other.
    assert!((found[1].3 - found[2].3).abs() >= 40.0);
    // The list: every space, numbered as its marker, its position said in words.
    let entries = select(&doc, ".spaces-map__entries li");
    assert_eq!(entries.len(), 6);
    let listed: Vec<String> = entries.iter().map(|e| words(*e)).collect();
    assert!(
        listed[0].starts_with(
            "Spazio Esempio Uno · via dell'Esempio 1, 20121 Milano · posizione esatta"
        ),
        "{}",
        listed[0]
    );
    assert!(
        listed[1].ends_with("posizione approssimativa"),
        "{}",
        listed[1]
    );
    assert!(listed[4].ends_with("non è sulla mappa"), "{}", listed[4]);
    assert_eq!(
        attrs(&doc, ".spaces-map__entries li", "value"),
        ["1", "2", "3", "4", "5", "6"]
    );
    assert_eq!(
        texts(&doc, ".spaces-map__list h3"),
        [
            "Municipio 1",
            "Municipio 4",
            "Municipio 9",
            "Municipio non indicato"
        ]
    );
    // "Trova lo spazio più vicino": hidden until the script finds the browser can locate,
    // with the spaces that have coordinates.
    let nearest = select(&doc, "[data-nearest]");
    assert!(nearest[0].value().attr("hidden").is_some());
    let spaces: Value = serde_json::from_str(&texts(&doc, "[data-nearest-spaces]")[0]).unwrap();
    assert_eq!(spaces.as_array().unwrap().len(), 2);
}

#[test]
fn map_without_outlines_places_spaces_on_the_diagram_of_the_nine_municipi() {
    let site = complete_site();
    std::fs::remove_file(site.root.join("data/municipi.json")).unwrap();
    site.build_ok(&[]);
    let doc = site.html("spazi/mappa/index.html");
    assert_eq!(select(&doc, ".spaces-map__municipi--schema").len(), 1);
    assert!(texts(&doc, ".spaces-map figcaption")[0].contains("Municipio 1 al centro"));
    let found = markers(&doc);
    let centre = (500.0, 475.0);
    // Municipio 4 is south-east of the centre on the diagram; the exact markers stay where
    // their coordinates put them (Uno near the centre, Quattro north of it).
    for m in &found[1..3] {
        assert!(m.3 > centre.0 && m.4 > centre.1, "{m:?}");
    }
    assert!((found[0].3 - centre.0).abs() < 100.0 && (found[0].4 - centre.1).abs() < 100.0);
    assert!(found[3].4 < centre.1 - 100.0, "{:?}", found[3]);
}

#[test]
fn home_leads_to_the_spaces_and_dates_its_figures_and_news() {
    let site = built();
    let doc = site.html("index.html");
    let spaces = site.html("spazi/index.html");
    let ids = group_ids(&spaces);
    let picker = attrs(&doc, ".home-find .municipio-picker a", "href");
    assert_eq!(picker.len(), 9);
    for href in &picker {
        let fragment = href.strip_prefix("/spazi/#").unwrap();
        assert!(ids.iter().any(|id| id == fragment), "{href} has its target");
    }
    assert_eq!(
        attrs(&doc, ".home-find a.button", "href"),
        ["/spazi/mappa/"]
    );
    assert_eq!(
        texts(&doc, ".home-find a.button"),
        ["Trova lo spazio più vicino"]
    );
    // The find block comes before the introduction and the figures.
    let html = doc.html();
    let find = html.find("home-find").unwrap();
    assert!(
        find < html.find("class=\"prose\"").unwrap() && find < html.find("home-figures").unwrap()
    );
    // Figures: said to be history, each with its period.
    let history = texts(&doc, ".figures__history")[0].clone();
    assert!(
        history.starts_with("Dati storici, non attuali."),
        "{history}"
    );
    assert_eq!(
        texts(&doc, ".figure-item__period"),
        ["dati al 30 settembre 2018"]
    );
    // News with their dates.
    assert_eq!(
        attrs(&doc, "#home-notizie ~ .item-list time", "datetime").len(),
        1
    );
    assert_eq!(texts(&doc, ".item-list .item__meta time"), ["4 marzo 2025"]);
}

#[test]
fn space_page_says_open_or_closed_now_by_the_clock_of_rome_in_a_browser() {
    let site = built();
    let profile = tempfile::tempdir().unwrap();
    // Instants (UTC) and what a reader in Milan must see then at Spazio Esempio Uno
    // (Tuesday 9-13 and 14-18, Monday 9-13, Sunday closed).
    let cases = [
        // Tuesday 13 January 2026, 10:00 in Rome (winter, +01:00).
        ("2026-01-13T09:00:00Z", "Aperto ora", "tue"),
        // Tuesday, 13:30 in Rome: the lunch break.
        ("2026-01-13T12:30:00Z", "Chiuso ora", "tue"),
        // Tuesday, 13:00 exactly: closing time is closed.
        ("2026-01-13T12:00:00Z", "Chiuso ora", "tue"),
        // Sunday 18 January 2026, 10:00 in Rome: closed all day.
        ("2026-01-18T09:00:00Z", "Chiuso ora", "sun"),
        // Monday 30 March 2026, the day after summer time began: 07:30 UTC is 09:30 in Rome
        // (+02:00), open; read as winter time it would be 08:30, closed.
        ("2026-03-30T07:30:00Z", "Aperto ora", "mon"),
        // Monday 26 October 2026, the day after summer time ended: 07:30 UTC is 08:30 in Rome
        // (+01:00), closed; read as summer time it would be 09:30, open.
        ("2026-10-26T07:30:00Z", "Chiuso ora", "mon"),
        // Saturday 23:30 UTC is already Sunday 00:30 in Rome.
        ("2026-01-17T23:30:00Z", "Chiuso ora", "sun"),
    ];
    let instants: Vec<&str> = cases.iter().map(|c| c.0).collect();
    let public = site.root.join("public");
    let mut args = vec![
        profile.path().to_str().unwrap().to_string(),
        public.to_str().unwrap().to_string(),
        "/spazi/esempio-uno/".to_string(),
    ];
    args.extend(instants.iter().map(|s| s.to_string()));
    let results = common::tools::run_in_browser("open-now.mjs", &args);
    let results = results.as_array().expect("one result per instant");
    assert_eq!(results.len(), cases.len());
    for ((instant, shown, day), result) in cases.iter().zip(results) {
        assert_eq!(result["openNow"], *shown, "at {instant}: {result}");
        assert_eq!(result["openNowHidden"], false, "at {instant}");
        assert_eq!(result["todayRow"], *day, "at {instant}: {result}");
        assert!(
            result["todayMark"].as_str().unwrap().contains("oggi"),
            "{result}"
        );
        assert!(
            result["todayLabel"].as_str().unwrap().starts_with("Oggi"),
            "{result}"
        );
        assert_eq!(result["errors"], serde_json::json!([]), "at {instant}");
    }
    // Today's hours are those of the table's row for that day.
    assert_eq!(
        results[0]["todayHours"],
        "dalle 9:00 alle 13:00 e dalle 14:00 alle 18:00"
    );
    assert_eq!(results[3]["todayHours"], "chiuso");
    // Every contact link is a target of at least 44 × 44 px.
    for (href, width, height) in results[0]["contactTargets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["href"].clone(),
                t["width"].as_f64().unwrap(),
                t["height"].as_f64().unwrap(),
            )
        })
    {
        assert!(
            width >= 44.0 && height >= 44.0,
            "{href}: {width} × {height}"
        );
    }
    assert_eq!(results[0]["contactTargets"].as_array().unwrap().len(), 4);
}
