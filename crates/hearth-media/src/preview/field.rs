//! Turning what a page or provider claims into bounded preview fields: text trimmed and cut,
//! links resolved and restricted to http(s), colours and sizes parsed.

use url::Url;

pub const MAX_TITLE_CHARS: usize = 256;
pub const MAX_DESCRIPTION_CHARS: usize = 350;
pub const MAX_SITE_NAME_CHARS: usize = 256;
pub const MAX_AUTHOR_CHARS: usize = 256;
/// Longer links are dropped rather than cut: half a URL points somewhere else.
pub const MAX_URL_BYTES: usize = 2048;
/// Image and video sizes above this are nonsense, not pictures.
pub const MAX_MEDIA_DIMENSION: u32 = 65_535;

/// `raw` with whitespace runs collapsed to one space, control characters dropped, trimmed, and
/// cut to `max_chars` characters (the last one an ellipsis when cut); `None` when nothing is left.
pub(crate) fn bounded_text(raw: &str, max_chars: usize) -> Option<String> {
    if max_chars == 0 {
        return None;
    }
    let mut text = String::with_capacity(raw.len().min(max_chars * 4));
    let mut chars = 0;
    let mut pending_space = false;
    for c in raw.chars() {
        if c.is_whitespace() {
            pending_space = !text.is_empty();
            continue;
        }
        if c.is_control() {
            continue;
        }
        let needed = usize::from(pending_space) + 1;
        if chars + needed > max_chars {
            // One more character would not fit: end with an ellipsis in the last slot.
            while chars >= max_chars {
                text.pop();
                chars -= 1;
            }
            text.truncate(text.trim_end().len());
            text.push('…');
            return Some(text);
        }
        if pending_space {
            text.push(' ');
            chars += 1;
            pending_space = false;
        }
        text.push(c);
        chars += 1;
    }
    (!text.is_empty()).then_some(text)
}

/// `raw` resolved against `base`, if it is an http(s) URL with a host, no longer than
/// [`MAX_URL_BYTES`].
pub(crate) fn bounded_url(raw: &str, base: &Url) -> Option<Url> {
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > MAX_URL_BYTES {
        return None;
    }
    let url = base.join(raw).ok()?;
    let is_web = matches!(url.scheme(), "http" | "https") && url.host().is_some();
    (is_web && url.as_str().len() <= MAX_URL_BYTES).then_some(url)
}

/// `#rgb` or `#rrggbb` as 0xRRGGBB.
pub(crate) fn parse_color(raw: &str) -> Option<u32> {
    let hex = raw.trim().strip_prefix('#')?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    match hex.len() {
        6 => u32::from_str_radix(hex, 16).ok(),
        3 => {
            let short = u32::from_str_radix(hex, 16).ok()?;
            let (r, g, b) = ((short >> 8) & 0xf, (short >> 4) & 0xf, short & 0xf);
            Some((r * 0x11) << 16 | (g * 0x11) << 8 | (b * 0x11))
        }
        _ => None,
    }
}

/// A positive pixel size no larger than [`MAX_MEDIA_DIMENSION`].
pub(crate) fn parse_dimension(raw: &str) -> Option<u32> {
    let value: u32 = raw.trim().parse().ok()?;
    (1..=MAX_MEDIA_DIMENSION).contains(&value).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_its_whitespace_collapsed() {
        assert_eq!(
            bounded_text("  Hello,\n\t  world  \u{7} ", 100).as_deref(),
            Some("Hello, world")
        );
        assert_eq!(bounded_text(" \n\t ", 100), None);
    }

    #[test]
    fn text_over_the_limit_is_cut_with_an_ellipsis_inside_the_limit() {
        let long = "é".repeat(400);
        let cut = bounded_text(&long, MAX_DESCRIPTION_CHARS).unwrap();
        assert_eq!(cut.chars().count(), MAX_DESCRIPTION_CHARS);
        assert!(cut.ends_with('…'));
        assert!(cut.starts_with("éé"));
    }

    #[test]
    fn text_exactly_at_the_limit_is_kept_whole() {
        let exact = "a".repeat(MAX_TITLE_CHARS);
        assert_eq!(bounded_text(&exact, MAX_TITLE_CHARS).unwrap(), exact);
        let over = "a".repeat(MAX_TITLE_CHARS + 1);
        let cut = bounded_text(&over, MAX_TITLE_CHARS).unwrap();
        assert_eq!(cut.chars().count(), MAX_TITLE_CHARS);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn a_cut_at_a_space_does_not_leave_the_space_before_the_ellipsis() {
        let cut = bounded_text("abcd efgh", 6).unwrap();
        assert_eq!(cut, "abcd…");
    }

    #[test]
    fn relative_links_resolve_against_the_page() {
        let base = Url::parse("https://example.com/a/b.html").unwrap();
        assert_eq!(
            bounded_url("../img/x.png", &base).unwrap().as_str(),
            "https://example.com/img/x.png"
        );
        assert_eq!(
            bounded_url("//cdn.example.net/y.png", &base)
                .unwrap()
                .as_str(),
            "https://cdn.example.net/y.png"
        );
    }

    #[test]
    fn only_http_links_within_the_length_limit_are_kept() {
        let base = Url::parse("https://example.com/").unwrap();
        assert!(bounded_url("javascript:alert(1)", &base).is_none());
        assert!(bounded_url("data:image/png;base64,AAAA", &base).is_none());
        assert!(bounded_url("ftp://example.com/x", &base).is_none());
        assert!(bounded_url("", &base).is_none());
        let long = format!("https://example.com/{}", "a".repeat(MAX_URL_BYTES));
        assert!(bounded_url(&long, &base).is_none());
        let fits = format!("https://example.com/{}", "a".repeat(MAX_URL_BYTES - 21));
        assert_eq!(
            bounded_url(&fits, &base).unwrap().as_str().len(),
            MAX_URL_BYTES - 1
        );
    }

    #[test]
    fn colors_parse_in_long_and_short_hex_form() {
        assert_eq!(parse_color("#5865F2"), Some(0x5865f2));
        assert_eq!(parse_color(" #fa0 "), Some(0xffaa00));
        assert_eq!(parse_color("red"), None);
        assert_eq!(parse_color("#12345"), None);
        assert_eq!(parse_color("#+12345"), None);
    }

    #[test]
    fn dimensions_must_be_positive_and_plausible() {
        assert_eq!(parse_dimension(" 1200 "), Some(1200));
        assert_eq!(parse_dimension("0"), None);
        assert_eq!(parse_dimension("-5"), None);
        assert_eq!(parse_dimension("65536"), None);
        assert_eq!(parse_dimension("12px"), None);
    }
}
