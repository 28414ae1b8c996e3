//! `YYYY-MM-DD` dates as the typed exports store them: Parquet's DATE
//! (days since 1970-01-01), OpenSearch's `strict_date`.

/// Days from 0000-03-01 to 1970-01-01 in the proleptic Gregorian
/// calendar, for [`epoch_day`]'s count from March (leap days last).
const DAYS_TO_EPOCH_FROM_MARCH_0: i64 = 719_468;
/// Days in 400 years: the Gregorian calendar repeats after them.
const DAYS_PER_ERA: i64 = 146_097;

/// The days since 1970-01-01 of a calendar day written `YYYY-MM-DD`;
/// `None` for anything else (another form, 2025-02-30, `undated`).
pub fn epoch_day(date: &str) -> Option<i32> {
    let b = date.as_bytes();
    let shaped = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
    if !shaped {
        return None;
    }
    let y: i64 = date[0..4].parse().ok()?;
    let m: i64 = date[5..7].parse().ok()?;
    let d: i64 = date[8..10].parse().ok()?;
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let month_days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if d < 1 || d > month_days {
        return None;
    }
    // Howard Hinnant's days_from_civil: years start in March, so the leap
    // day is the last day of its year.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let month_from_march = (m + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + d - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    i32::try_from(era * DAYS_PER_ERA + day_of_era - DAYS_TO_EPOCH_FROM_MARCH_0).ok()
}

#[cfg(test)]
mod tests {
    use super::epoch_day;

    #[test]
    fn days_count_from_1970() {
        assert_eq!(epoch_day("1970-01-01"), Some(0));
        assert_eq!(epoch_day("1969-12-31"), Some(-1));
        assert_eq!(epoch_day("2000-03-01"), Some(11_017));
        assert_eq!(epoch_day("2024-02-29"), Some(19_782));
        assert_eq!(epoch_day("2025-05-06"), Some(20_214));
    }

    #[test]
    fn only_calendar_days_are_dates() {
        for s in [
            "undated",
            "2025-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-1-01",
            "２０２４-01-01",
        ] {
            assert_eq!(epoch_day(s), None, "{s}");
        }
    }
}
