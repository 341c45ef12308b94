//! Filenames as Hearth stores and shows them: the client's name reduced to a safe, bounded base name.

/// Longest stored filename, in bytes (Discord keeps names well under common filesystem limits).
pub const MAX_FILENAME_BYTES: usize = 200;

/// The last path segment of `raw` (both `/` and `\` separate), with control characters, quotes and
/// characters Windows refuses replaced by `_`, leading dots and surrounding spaces removed, cut to
/// [`MAX_FILENAME_BYTES`] at a character boundary keeping the extension; `file` if nothing is left.
pub fn sanitize(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
        .map(|c| {
            if c.is_control()
                || matches!(
                    c,
                    '"' | '<'
                        | '>'
                        | ':'
                        | '|'
                        | '?'
                        | '*'
                        | '\u{202e}'
                        | '\u{202d}'
                        | '\u{2066}'
                        | '\u{2067}'
                        | '\u{2068}'
                        | '\u{2069}'
                        | '\u{200e}'
                        | '\u{200f}'
                )
            {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned.trim().trim_start_matches('.').trim();
    if trimmed.is_empty() {
        return "file".to_owned();
    }
    truncate_keeping_extension(trimmed, MAX_FILENAME_BYTES)
}

fn truncate_keeping_extension(name: &str, max: usize) -> String {
    if name.len() <= max {
        return name.to_owned();
    }
    let (stem, extension) = match name.rfind('.') {
        // A short extension is kept; a "dot" far from the end is part of the name.
        Some(dot) if name.len() - dot <= 16 && dot > 0 => (&name[..dot], &name[dot..]),
        _ => (name, ""),
    };
    let mut end = max.saturating_sub(extension.len()).min(stem.len());
    while !stem.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}{extension}", &stem[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_reduced_to_their_last_segment() {
        assert_eq!(sanitize("../../etc/passwd"), "passwd");
        assert_eq!(sanitize("C:\\Users\\me\\cat.png"), "cat.png");
        assert_eq!(sanitize("/"), "file");
        assert_eq!(sanitize("dir/"), "file");
    }

    #[test]
    fn hidden_and_dangerous_characters_are_replaced() {
        assert_eq!(sanitize(".htaccess"), "htaccess");
        assert_eq!(sanitize("a\0b\r\nc.txt"), "a_b__c.txt");
        assert_eq!(sanitize("bad\"name<>.png"), "bad_name__.png");
        // A right-to-left override would make "evil\u{202e}gnp.exe" look like "evilexe.png".
        assert_eq!(sanitize("evil\u{202e}gnp.exe"), "evil_gnp.exe");
        assert_eq!(sanitize("   "), "file");
    }

    #[test]
    fn long_names_are_cut_at_a_character_boundary_keeping_the_extension() {
        let long = format!("{}.png", "é".repeat(300));
        let cut = sanitize(&long);
        assert!(cut.len() <= MAX_FILENAME_BYTES);
        assert!(cut.ends_with(".png"));
        assert!(cut.starts_with('é'));
        let no_extension = "x".repeat(500);
        assert_eq!(sanitize(&no_extension).len(), MAX_FILENAME_BYTES);
    }

    #[test]
    fn unicode_names_survive() {
        assert_eq!(sanitize("猫の写真.jpg"), "猫の写真.jpg");
        assert_eq!(sanitize("SPOILER_plot.txt"), "SPOILER_plot.txt");
    }
}
