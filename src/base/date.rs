//! Dates: what editors write in front matter, resolved in the site's time zone, and Italian
//! (or English) display for templates.
//!
//! Editors write `2018-10-26`, `2018-10-26T17:00:00+02:00` or `2018-10-26T17:00:00` (a space
//! instead of the `T` is fine too). A date or a time without offset is read in the site's time
//! zone, with the summer or winter offset in force on that day (from the tz database, not a
//! fixed +01:00).

use std::fmt;

use jiff::civil;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime};
use serde::de::{self, Deserialize, Deserializer, Visitor};

use crate::base::i18n::Text;
use crate::base::i18n::msg;

/// A date as written in front matter, before the time zone is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateInput {
    /// `2018-10-26`: midnight in the site's time zone.
    Day(civil::Date),
    /// `2018-10-26T17:00:00`: a wall-clock time in the site's time zone.
    Local(civil::DateTime),
    /// `2018-10-26T17:00:00+02:00`: an instant.
    Instant(Timestamp),
}

const EXPECTED: &str = "a date like 2018-10-26 or 2018-10-26T17:00:00+02:00";

impl DateInput {
    /// Parses the formats editors may write; the error says what is wrong, in both languages.
    pub fn parse(text: &str) -> Result<DateInput, Text> {
        let written = text.trim();
        let text = written;
        let normalized;
        let text = if text.len() > 10 && text.as_bytes()[10] == b' ' {
            normalized = format!("{}T{}", &text[..10], &text[11..]);
            normalized.as_str()
        } else {
            text
        };
        // `get`: byte 10 may be inside a letter that is not ASCII (`2018-10-2ʣ…`).
        if text.get(10..).is_some_and(has_offset) {
            return text
                .parse::<Timestamp>()
                .ok()
                .filter(|_| offset_hours(text).is_none_or(|hours| hours <= 23))
                .map(DateInput::Instant)
                .ok_or_else(|| msg!("`{value}` is not a valid date and time", value = written));
        }
        if text.len() > 10 {
            return text
                .parse::<civil::DateTime>()
                .map(DateInput::Local)
                .map_err(|_| msg!("`{value}` is not a valid date and time", value = written));
        }
        text.parse::<civil::Date>()
            .map(DateInput::Day)
            .map_err(|_| msg!("`{value}` is not a valid date", value = written))
    }

    /// The moment this denotes in `tz`, at an offset of whole minutes.
    ///
    /// RFC 3339 (feeds, sitemaps, `page.date`) and RSS write offsets in whole minutes, but
    /// before standard time the tz database gives local mean time: `Europe/Rome` is
    /// `+00:49:56` before 1893. Such an offset is rounded to the nearest minute (`+00:50`):
    /// a day or a wall-clock time keeps what the editor wrote (the instant moves by a few
    /// seconds), an instant with its own offset stays that instant.
    pub fn resolve(self, tz: &TimeZone) -> ZonedDateTime {
        let zoned = match self {
            DateInput::Day(d) => d
                .to_zoned_datetime(tz.clone())
                .unwrap_or_else(|_| Timestamp::UNIX_EPOCH.to_zoned_datetime(tz.clone())),
            DateInput::Local(dt) => dt
                .to_zoned_datetime(tz.clone())
                .unwrap_or_else(|_| Timestamp::UNIX_EPOCH.to_zoned_datetime(tz.clone())),
            DateInput::Instant(ts) => ts.to_zoned_datetime(tz.clone()),
        };
        if zoned.offset().seconds() % 60 == 0 {
            return zoned;
        }
        let Ok(rounded) = zoned.offset().round(jiff::Unit::Minute) else {
            return zoned;
        };
        let fixed = rounded.to_time_zone();
        match self {
            DateInput::Instant(ts) => ts.to_zoned_datetime(fixed),
            DateInput::Day(_) | DateInput::Local(_) => {
                zoned.datetime().to_zoned_datetime(fixed).unwrap_or(zoned)
            }
        }
    }
}

/// The hours of the `+hh:mm` (or `-hh:mm`, `+hhmm`) offset that ends `text`, if it has one.
/// RFC 3339 allows 00 to 23; the parser takes up to 25, which is no time zone's.
fn offset_hours(text: &str) -> Option<u32> {
    let time = text.get(10..)?;
    let sign = time.rfind(['+', '-'])?;
    time.get(sign + 1..sign + 3)?.parse().ok()
}

/// True when the time part (after the date) ends with `Z` or a `+hh:mm`/`-hh:mm` offset.
fn has_offset(time: &str) -> bool {
    time.ends_with('Z')
        || time.ends_with('z')
        || time.contains('+')
        || time.chars().skip(1).any(|c| c == '-')
}

impl<'de> Deserialize<'de> for DateInput {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DateVisitor;
        impl Visitor<'_> for DateVisitor {
            type Value = DateInput;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(EXPECTED)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DateInput, E> {
                // serde errors are English text: `crate::base::yaml` reads this one back and says it
                // again in both languages.
                DateInput::parse(v)
                    .map_err(|problem| E::custom(format!("{}: expected {EXPECTED}", problem.en)))
            }
        }
        deserializer.deserialize_str(DateVisitor)
    }
}

/// RFC 3339 with the offset, as templates and feeds receive dates: `2018-10-26T17:00:00+02:00`.
pub fn rfc3339(z: &ZonedDateTime) -> String {
    z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

const MONTHS_IT: [&str; 12] = [
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS_IT: [&str; 7] = [
    "lunedì",
    "martedì",
    "mercoledì",
    "giovedì",
    "venerdì",
    "sabato",
    "domenica",
];
const WEEKDAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// How the `date` filter shows a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateFormat {
    /// "26 ottobre 2018"
    Long,
    /// "venerdì 26 ottobre 2018"
    Full,
    /// "26/10/2018"
    Short,
    /// "17:00"
    Time,
    /// "2018-10-26"
    Iso,
}

impl DateFormat {
    /// Reads a format name as templates write it.
    pub fn from_name(name: &str) -> Option<DateFormat> {
        Some(match name {
            "long" => DateFormat::Long,
            "full" => DateFormat::Full,
            "short" => DateFormat::Short,
            "time" => DateFormat::Time,
            "iso" => DateFormat::Iso,
            _ => return None,
        })
    }
}

/// Formats a date that templates hold as text (`2018-10-26` or RFC 3339): the wall-clock
/// date and time written in it are shown as they are, in Italian unless `lang` is `en`.
pub fn format(text: &str, format: DateFormat, lang: &str) -> Result<String, Text> {
    let bad = || {
        msg!(
            "`{value}` is not a date (expected 2018-10-26 or 2018-10-26T17:00:00+02:00)",
            value = text
        )
    };
    let date: civil::Date = text.get(..10).ok_or_else(bad)?.parse().map_err(|_| bad())?;
    let time = match text.get(11..16) {
        Some(hm) if text.len() >= 16 => Some(hm),
        _ => None,
    };
    let english = lang == "en";
    let long = || {
        let month = usize::try_from(date.month() - 1).unwrap_or(0);
        match (english, date.day()) {
            (true, day) => format!("{day} {} {}", MONTHS_EN[month], date.year()),
            (false, 1) => format!("1° {} {}", MONTHS_IT[month], date.year()),
            (false, day) => format!("{day} {} {}", MONTHS_IT[month], date.year()),
        }
    };
    let weekday = || {
        let index = usize::try_from(date.weekday().to_monday_zero_offset()).unwrap_or(0);
        if english {
            WEEKDAYS_EN[index]
        } else {
            WEEKDAYS_IT[index]
        }
    };
    Ok(match format {
        DateFormat::Long => long(),
        DateFormat::Full => format!("{} {}", weekday(), long()),
        DateFormat::Short => format!("{:02}/{:02}/{}", date.day(), date.month(), date.year()),
        DateFormat::Iso => date.to_string(),
        DateFormat::Time => time.unwrap_or("00:00").to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rome() -> TimeZone {
        jiff::tz::db().get("Europe/Rome").unwrap()
    }

    #[test]
    fn offsets_follow_summer_and_winter_time() {
        let summer = DateInput::parse("2018-10-26T17:00:00")
            .unwrap()
            .resolve(&rome());
        assert_eq!(rfc3339(&summer), "2018-10-26T17:00:00+02:00");
        let winter = DateInput::parse("2018-10-29 17:00")
            .unwrap()
            .resolve(&rome());
        assert_eq!(rfc3339(&winter), "2018-10-29T17:00:00+01:00");
        let day = DateInput::parse("2019-02-01").unwrap().resolve(&rome());
        assert_eq!(rfc3339(&day), "2019-02-01T00:00:00+01:00");
    }

    #[test]
    fn explicit_offset_is_an_instant() {
        let z = DateInput::parse("2018-10-26T15:00:00Z")
            .unwrap()
            .resolve(&rome());
        assert_eq!(rfc3339(&z), "2018-10-26T17:00:00+02:00");
        let z = DateInput::parse("2018-10-26T17:00:00+02:00")
            .unwrap()
            .resolve(&rome());
        assert_eq!(rfc3339(&z), "2018-10-26T17:00:00+02:00");
        let z = DateInput::parse("2018-10-26T15:00:00-03:30")
            .unwrap()
            .resolve(&rome());
        assert_eq!(rfc3339(&z), "2018-10-26T20:30:00+02:00");
        // RFC 3339's offsets go up to 23 hours, whatever the parser takes.
        assert!(DateInput::parse("2018-10-26T17:00:00+23:59").is_ok());
        for bad in ["2026-01-01T00:00:00+25:00", "2026-01-01T00:00:00-24:00"] {
            let e = DateInput::parse(bad).unwrap_err();
            assert_eq!(e.en, format!("`{bad}` is not a valid date and time"));
        }
    }

    #[test]
    fn local_mean_time_is_rounded_to_whole_minutes() {
        // Rome kept local mean time, +00:49:56, until 1893.
        let day = DateInput::parse("1850-01-01").unwrap().resolve(&rome());
        assert_eq!(rfc3339(&day), "1850-01-01T00:00:00+00:50");
        let local = DateInput::parse("1850-01-01T10:30:00")
            .unwrap()
            .resolve(&rome());
        assert_eq!(rfc3339(&local), "1850-01-01T10:30:00+00:50");
        let instant = DateInput::parse("1850-01-01T10:00:00Z")
            .unwrap()
            .resolve(&rome());
        assert_eq!(rfc3339(&instant), "1850-01-01T10:50:00+00:50");
        assert_eq!(
            instant.timestamp(),
            "1850-01-01T10:00:00Z".parse::<Timestamp>().unwrap(),
            "an instant stays the same instant"
        );
        // Standard time since 1893: nothing to round.
        let day = DateInput::parse("1893-11-01").unwrap().resolve(&rome());
        assert_eq!(rfc3339(&day), "1893-11-01T00:00:00+01:00");
    }

    #[test]
    fn invalid_dates_are_rejected() {
        for bad in [
            "26/10/2018",
            "2018-13-01",
            "2018-02-30",
            "ieri",
            "2018-10-26T25:00:00",
            // Found by the `front_matter` fuzz target: a letter across the eleventh byte
            // panicked (a string cut inside a character).
            "2018-10-2ʣ17:00:00",
            "2018-10-2ʣ",
            "2018-10-26ʣ",
        ] {
            assert!(DateInput::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn italian_display() {
        let d = "2018-10-26T17:00:00+02:00";
        assert_eq!(
            format(d, DateFormat::Long, "it").unwrap(),
            "26 ottobre 2018"
        );
        assert_eq!(
            format(d, DateFormat::Full, "it").unwrap(),
            "venerdì 26 ottobre 2018"
        );
        assert_eq!(format(d, DateFormat::Time, "it").unwrap(), "17:00");
        assert_eq!(format(d, DateFormat::Short, "it").unwrap(), "26/10/2018");
        assert_eq!(
            format("2019-02-01", DateFormat::Long, "it").unwrap(),
            "1° febbraio 2019"
        );
        assert_eq!(
            format("2019-02-01", DateFormat::Long, "en").unwrap(),
            "1 February 2019"
        );
        assert_eq!(
            format("2019-02-01", DateFormat::Full, "it").unwrap(),
            "venerdì 1° febbraio 2019"
        );
        assert_eq!(
            format("2019-02-01", DateFormat::Full, "en").unwrap(),
            "Friday 1 February 2019"
        );
        assert_eq!(format(d, DateFormat::Iso, "it").unwrap(), "2018-10-26");
        assert!(format("ieri", DateFormat::Long, "it").is_err());
    }

    #[test]
    fn errors_in_italian() {
        let err = DateInput::parse("26/10/2018").unwrap_err();
        assert_eq!(err.en, "`26/10/2018` is not a valid date");
        assert_eq!(
            err.it.as_deref(),
            Some("`26/10/2018` non è una data valida")
        );
        let err = DateInput::parse("2018-10-26T25:00:00").unwrap_err();
        assert_eq!(
            err.it.as_deref(),
            Some("`2018-10-26T25:00:00` non è una data e ora valida")
        );
    }
}
