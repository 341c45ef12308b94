//! The wall clock, read in one place so that the store and the domain can stay clock-free.

use std::time::{SystemTime, UNIX_EPOCH};

/// Unix time in milliseconds.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Formats unix milliseconds as RFC 3339 (UTC, millisecond precision), as the API shows times.
pub fn rfc3339(unix_ms: i64) -> String {
    let nanos = i128::from(unix_ms) * 1_000_000;
    time::OffsetDateTime::from_unix_timestamp_nanos(nanos)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// Parses an RFC 3339 time (as the API writes them) back into unix milliseconds.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let t =
        time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()?;
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_rfc3339_in_utc() {
        assert_eq!(super::rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(
            super::rfc3339(1_735_689_600_123),
            "2025-01-01T00:00:00.123Z"
        );
    }

    #[test]
    fn parses_what_it_formats() {
        for ms in [0, 1_735_689_600_123, 1_800_000_000_000] {
            assert_eq!(super::parse_rfc3339(&super::rfc3339(ms)), Some(ms));
        }
        assert_eq!(super::parse_rfc3339("yesterday"), None);
    }
}
