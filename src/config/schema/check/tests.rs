//! Tests of the front matter check: typed values from good input, every wrong value reported
//! where it is written (in both languages), and the checks of phone numbers and time ranges.

use super::*;
use crate::base::yaml;
use crate::config::schema::fields::{Ordered, RawField, Schema};

fn schema(text: &str) -> Schema {
    let raw: Ordered<RawField> = yaml::parse(text).unwrap();
    Schema::from_raw("spazi", raw).unwrap()
}

fn check(schema: &Schema, text: &str) -> (Vec<(String, Typed)>, Vec<Diagnostic>) {
    let node = yaml::Parsed::new(text).unwrap().nodes();
    let tz = jiff::tz::TimeZone::UTC;
    let mut c = Checker {
        path: std::path::Path::new("content/spazi/a.md"),
        line_offset: 1,
        time_zone: &tz,
        errors: Vec::new(),
    };
    let out = c.object(
        &schema.fields,
        &node,
        &["title"],
        &Node {
            value: NodeValue::Null,
            line: 0,
            column: 1,
        },
    );
    (out, c.errors)
}

const SPAZI: &str = "
municipio: { type: integer, min: 1, max: 9, required: true, description: Il municipio }
status: { type: enum, values: [announced, open, closed], required: true }
cap: { type: string }
verified: { type: bool, default: true }
phone: { type: phone }
servizi: { type: list, items: { type: reference, section: servizi } }
orari: { type: opening_hours }
geo: { type: geo, bounds: { lat: [45.3, 45.6], lon: [9.0, 9.3] } }
";

#[test]
fn good_values_become_typed() {
    let s = schema(SPAZI);
    let (values, errors) = check(
        &s,
        "title: x\nmunicipio: 4\nstatus: open\ncap: 20121\nphone: 02 8845 8041\nservizi: [sportello-lavoro]\norari:\n  mon: 09:00-13:00\n  sat: closed\ngeo: { lat: 45.47, lon: 9.2 }\n",
    );
    assert!(errors.is_empty(), "{errors:?}");
    let get = |k: &str| {
        values
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap()
    };
    assert_eq!(get("municipio"), Typed::Integer(4));
    assert_eq!(get("cap"), Typed::Text("20121".into()));
    assert_eq!(get("verified"), Typed::Bool(true), "the default");
    let Typed::Phone(p) = get("phone") else {
        panic!()
    };
    assert_eq!(
        (p.display.as_str(), p.href.as_str()),
        ("02 8845 8041", "tel:+390288458041")
    );
    let Typed::List(refs) = get("servizi") else {
        panic!()
    };
    let Typed::Reference(r) = &refs[0] else {
        panic!()
    };
    assert_eq!(
        (r.target.as_str(), r.line),
        ("servizi/sportello-lavoro.md", 7)
    );
    let Typed::Hours(days) = get("orari") else {
        panic!()
    };
    assert_eq!(
        days[0].slots,
        vec![Slot {
            opens: "09:00".into(),
            closes: "13:00".into()
        }]
    );
    assert!(days[5].closed && days[5].known);
    assert!(!days[6].known);
}

#[test]
fn every_wrong_value_is_reported_where_it_is() {
    let s = schema(SPAZI);
    let (_, errors) = check(
        &s,
        "title: x\nmunicipio: quattro\nstatus: aperto\nphone: 12345\nmunicpio: 4\norari:\n  lun: 9-13\ngeo: { lat: 9.2, lon: 45.47 }\n",
    );
    let find = |needle: &str| {
        errors
            .iter()
            .find(|d| d.message.contains(needle))
            .unwrap_or_else(|| panic!("{needle}: {errors:#?}"))
    };
    let m = find("`municipio`: expected an integer from 1 to 9, found \"quattro\"");
    assert_eq!((m.line, m.column), (Some(3), Some(12)));
    assert_eq!(
        find("`status`").hint.as_deref(),
        Some("write one of: announced, open, closed")
    );
    assert_eq!(find("Italian phone").line, Some(5));
    let u = find("unknown field `municpio`");
    assert_eq!(
        (u.line, u.hint.as_deref()),
        (Some(6), Some("did you mean `municipio`?"))
    );
    assert_eq!(find("`lun` is not a day").line, Some(8));
    assert!(
        errors
            .iter()
            .filter(|d| d.message.contains("outside the allowed area"))
            .count()
            == 2
    );
}

#[test]
fn missing_required_fields_point_at_the_block() {
    let s = schema(SPAZI);
    let (_, errors) = check(&s, "title: x\n");
    let missing: Vec<_> = errors.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        missing,
        [
            "the required field `municipio` is missing",
            "the required field `status` is missing"
        ]
    );
    assert_eq!(errors[0].line, Some(1));
    assert_eq!(
        errors[0].hint.as_deref(),
        Some("add a line `municipio: …` (Il municipio)")
    );
}

#[test]
fn yaml_pitfalls_stay_text() {
    let s =
        schema("risposta: { type: string }\ncap: { type: string }\nversione: { type: string }\n");
    let (values, errors) = check(&s, "risposta: no\ncap: 20121\nversione: 1.10\n");
    assert!(errors.is_empty());
    assert_eq!(
        values.iter().map(|(_, v)| v.clone()).collect::<Vec<_>>(),
        [
            Typed::Text("no".into()),
            Typed::Text("20121".into()),
            Typed::Text("1.10".into())
        ]
    );
}

#[test]
fn phones_and_slots() {
    assert_eq!(phone("+39 02 8845 8041").unwrap().e164, "+390288458041");
    assert_eq!(phone("333 123 4567").unwrap().e164, "+393331234567");
    assert!(phone("12345").is_none());
    assert!(phone("02 8845 abc").is_none());
    assert!(slot("13:00-09:00").is_none());
    assert!(slot("9:00-13:00").is_none());
}

#[test]
fn email_addresses_are_one_plain_address() {
    assert!(is_email("wemi.tatecolfbadanti@comune.milano.it"));
    assert!(is_email(" nome+tag@comune.milano.it "));
    for wrong in [
        "javascript:alert(1)//@x.it",
        "a@b.it?subject=x\"onmouseover=x",
        "a b@c.it",
        "<a@b.it>",
        "a@b.it,c@d.it",
        "a@b",
        "a@@b.it",
    ] {
        assert!(!is_email(wrong), "{wrong}");
    }
}

#[test]
fn messages_in_italian() {
    let s = schema(SPAZI);
    let (_, errors) = check(
        &s,
        "title: x\nmunicipio: quattro\nstatus: open\nmunicpio: 4\n",
    );
    let it = |needle: &str| {
        errors
            .iter()
            .find(|d| d.message.contains(needle))
            .map(|d| (d.message_it.clone(), d.hint_it.clone()))
            .unwrap_or_else(|| panic!("{needle}: {errors:#?}"))
    };
    assert_eq!(
        it("`municipio`: expected"),
        (
            Some("`municipio`: serve un numero intero da 1 a 9, trovato \"quattro\"".into()),
            Some("scrivi un numero intero in cifre, per esempio 4".into())
        )
    );
    assert_eq!(
        it("unknown field"),
        (
            Some("campo sconosciuto `municpio`".into()),
            Some("forse intendevi `municipio`?".into())
        )
    );

    let (_, errors) = check(&s, "title: x\n");
    assert_eq!(
        errors[0].message_it.as_deref(),
        Some("manca il campo obbligatorio `municipio`")
    );
    assert_eq!(
        errors[0].hint_it.as_deref(),
        Some("aggiungi una riga `municipio: …` (Il municipio)")
    );
}
