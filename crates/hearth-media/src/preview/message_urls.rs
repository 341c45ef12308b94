//! Which links in a message's markdown get a preview, by Discord's rules: bare links and
//! `[text](link)` targets do; links in `<angle brackets>` (Discord's way to suppress a preview)
//! and links inside code spans or code blocks do not.

use url::Url;

/// Discord previews at most five links per message.
pub const DEFAULT_MAX_PREVIEWS: usize = 5;

/// The distinct http(s) links of `content` that should be previewed, in order, at most `max`.
pub fn extract_urls(content: &str, max: usize) -> Vec<Url> {
    let bytes = content.as_bytes();
    let mut found: Vec<Url> = Vec::new();
    let mut i = 0;
    while i < bytes.len() && found.len() < max {
        match bytes[i] {
            b'`' => i = end_of_code(bytes, i),
            // An escaped character is literal: `\<https://…>` is not a suppressed link.
            b'\\' => i += 2,
            b'<' => i = end_of_suppressed_link(content, i).unwrap_or(i + 1),
            b'h' | b'H' if starts_link(content, i) => {
                let end = end_of_link(content, i);
                if let Some(url) = parse_link(&content[i..end])
                    && !found.contains(&url)
                {
                    found.push(url);
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    found
}

/// Whether an http(s) link starts at `i` (and is not the tail of a longer word).
fn starts_link(content: &str, i: usize) -> bool {
    let rest = &content.as_bytes()[i..];
    let has_scheme = [&b"http://"[..], b"https://"].iter().any(|scheme| {
        rest.len() >= scheme.len() && rest[..scheme.len()].eq_ignore_ascii_case(scheme)
    });
    let is_word_start = i == 0 || !content.as_bytes()[i - 1].is_ascii_alphanumeric();
    has_scheme && is_word_start
}

/// Where the link starting at `start` ends: at whitespace, `<` or `>` (never part of a link
/// someone typed), less trailing punctuation that belongs to the sentence, and closing brackets
/// that have no opening one in the link.
fn end_of_link(content: &str, start: usize) -> usize {
    let tail = &content[start..];
    let raw_len = tail
        .find(|c: char| c.is_whitespace() || c == '<' || c == '>')
        .unwrap_or(tail.len());
    let mut link = &tail[..raw_len];
    while let Some(last) = link.chars().last() {
        let is_unbalanced = |open: char, close: char| {
            last == close && link.matches(open).count() < link.matches(close).count()
        };
        let is_trailing = matches!(
            last,
            '.' | ',' | ';' | ':' | '!' | '?' | '"' | '\'' | '*' | '_' | '~' | '|'
        ) || is_unbalanced('(', ')')
            || is_unbalanced('[', ']');
        if !is_trailing {
            break;
        }
        link = &link[..link.len() - last.len_utf8()];
    }
    start + link.len()
}

fn parse_link(text: &str) -> Option<Url> {
    let url = Url::parse(text).ok()?;
    (matches!(url.scheme(), "http" | "https") && url.host().is_some()).then_some(url)
}

/// After `<https://…>` when the link at `open` is one: it is suppressed, so skip it whole.
fn end_of_suppressed_link(content: &str, open: usize) -> Option<usize> {
    let start = open + 1;
    if start >= content.len() || !starts_link(content, start) {
        return None;
    }
    let inner = &content[start..];
    let close = inner.find(|c: char| c.is_whitespace() || c == '>')?;
    inner[close..].starts_with('>').then_some(start + close + 1)
}

/// After the code span or block whose opening backticks start at `open`; an unclosed run of
/// backticks is plain text, so then just after the run.
fn end_of_code(bytes: &[u8], open: usize) -> usize {
    let run = backtick_run(bytes, open);
    let after_open = open + run;
    let mut i = after_open;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let closing = backtick_run(bytes, i);
            // A block (```) closes at any run of three or more; a span at a run of its own length.
            let closes = if run >= 3 {
                closing >= 3
            } else {
                closing == run
            };
            if closes {
                return i + closing;
            }
            i += closing;
        } else {
            i += 1;
        }
    }
    after_open
}

fn backtick_run(bytes: &[u8], start: usize) -> usize {
    bytes[start..].iter().take_while(|&&b| b == b'`').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(content: &str) -> Vec<String> {
        extract_urls(content, DEFAULT_MAX_PREVIEWS)
            .into_iter()
            .map(String::from)
            .collect()
    }

    #[test]
    fn bare_links_and_masked_link_targets_are_previewed() {
        assert_eq!(
            links("see https://example.com/a and [this](https://example.org/b)"),
            ["https://example.com/a", "https://example.org/b"]
        );
    }

    #[test]
    fn links_in_angle_brackets_are_not_previewed() {
        assert_eq!(
            links("<https://example.com/quiet> https://example.com/loud"),
            ["https://example.com/loud"]
        );
        assert_eq!(
            links("[quiet](<https://example.com/quiet>)"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn an_unclosed_angle_bracket_does_not_suppress() {
        assert_eq!(
            links("<https://example.com/x and more"),
            ["https://example.com/x"]
        );
    }

    #[test]
    fn links_in_code_are_not_previewed() {
        assert_eq!(links("`https://example.com/span`"), Vec::<String>::new());
        assert_eq!(
            links("``a ` https://example.com/double``"),
            Vec::<String>::new()
        );
        assert_eq!(
            links("```\nhttps://example.com/block\n``` https://example.com/after"),
            ["https://example.com/after"]
        );
        assert_eq!(
            links("an ` unclosed https://example.com/x"),
            ["https://example.com/x"]
        );
    }

    #[test]
    fn trailing_punctuation_is_left_out_but_balanced_brackets_stay() {
        assert_eq!(
            links("look: https://example.com/a."),
            ["https://example.com/a"]
        );
        assert_eq!(links("(https://example.com/a)"), ["https://example.com/a"]);
        assert_eq!(
            links("really?! https://example.com/q?x=1!?"),
            ["https://example.com/q?x=1"]
        );
        assert_eq!(
            links("https://en.wikipedia.org/wiki/Rust_(programming_language)."),
            ["https://en.wikipedia.org/wiki/Rust_(programming_language)"]
        );
        assert_eq!(
            links("[wiki](https://en.wikipedia.org/wiki/Rust_(programming_language))"),
            ["https://en.wikipedia.org/wiki/Rust_(programming_language)"]
        );
        assert_eq!(
            links("**https://example.com/bold**"),
            ["https://example.com/bold"]
        );
    }

    #[test]
    fn duplicates_count_once_and_the_limit_holds() {
        assert_eq!(
            links("https://example.com/ https://example.com https://EXAMPLE.com/"),
            ["https://example.com/"]
        );
        let many: String = (0..10)
            .map(|n| format!("https://example.com/{n} "))
            .collect();
        let found = extract_urls(&many, 3);
        assert_eq!(found.len(), 3);
        assert_eq!(found[2].as_str(), "https://example.com/2");
        assert_eq!(extract_urls(&many, DEFAULT_MAX_PREVIEWS).len(), 5);
    }

    #[test]
    fn other_schemes_and_words_ending_in_http_are_ignored() {
        assert_eq!(
            links(
                "ftp://example.com javascript:alert(1) xhttps://example.com/x HTTPS://Example.com/Up"
            ),
            ["https://example.com/Up"]
        );
    }

    #[test]
    fn links_after_non_ascii_text_are_found() {
        assert_eq!(
            links("日本語https://example.com/jp ok"),
            ["https://example.com/jp"]
        );
        assert_eq!(
            links("\\<https://example.com/escaped>"),
            ["https://example.com/escaped"]
        );
    }
}
