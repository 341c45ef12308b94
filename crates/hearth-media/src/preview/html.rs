//! What an HTML page says about itself: OpenGraph, Twitter card and plain `<meta>` tags,
//! `<title>`, theme colour, icon and oEmbed discovery links, read with a streaming parser.
//!
//! Values come out entity-decoded but otherwise as the page wrote them; bounding and resolving
//! them is [`super::field`]'s job.

use std::cell::RefCell;

use lol_html::html_content::{Element, TextChunk};
use lol_html::{AsciiCompatibleEncoding, HtmlRewriter, MemorySettings, Settings, element, text};

/// Attribute values and title text are cut to this before entity decoding: every field we keep
/// is far shorter, and a megabyte-long attribute must not cost a megabyte-long decode.
const MAX_RAW_VALUE_BYTES: usize = 16 * 1024;
/// Meta names longer than this are not names we look for.
const MAX_META_NAME_BYTES: usize = 64;
/// The parser buffers a tag split across input (only at the cut end of a truncated page, since the
/// body is written at once); past this it stops, and what was read before it stays.
const MAX_PARSER_MEMORY_BYTES: usize = 256 * 1024;

/// One `og:image` or `og:video` with its structured properties.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct MediaTags {
    pub url: Option<String>,
    pub secure_url: Option<String>,
    pub width: Option<String>,
    pub height: Option<String>,
    pub content_type: Option<String>,
}

/// The first value of each tag a preview uses.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct PageMeta {
    pub title: Option<String>,
    pub description: Option<String>,
    pub author: Option<String>,
    pub theme_color: Option<String>,
    pub og_title: Option<String>,
    pub og_description: Option<String>,
    pub og_site_name: Option<String>,
    pub og_type: Option<String>,
    pub og_url: Option<String>,
    pub og_image: MediaTags,
    pub og_video: MediaTags,
    pub twitter_card: Option<String>,
    pub twitter_title: Option<String>,
    pub twitter_description: Option<String>,
    pub twitter_image: Option<String>,
    pub oembed_href: Option<String>,
    pub icon_href: Option<String>,
}

/// Reads `body` (decoded with the charset of `content_type`, else the page's `<meta charset>`,
/// else UTF-8). Malformed or hostile markup yields whatever was found before the trouble.
pub(crate) fn extract(body: &[u8], content_type: Option<&str>) -> PageMeta {
    let declared = content_type
        .and_then(charset_of)
        .and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()))
        .and_then(AsciiCompatibleEncoding::new);
    let reader = RefCell::new(Reader::default());
    {
        let settings = Settings::new()
            .with_encoding(declared.unwrap_or_else(AsciiCompatibleEncoding::utf_8))
            .with_adjust_charset_on_meta_tag(declared.is_none())
            .with_memory_settings(
                MemorySettings::new().with_max_allowed_memory_usage(MAX_PARSER_MEMORY_BYTES),
            )
            .append_element_content_handler(element!("meta", |el| {
                reader.borrow_mut().meta(el);
                Ok(())
            }))
            .append_element_content_handler(element!("link[href]", |el| {
                reader.borrow_mut().link(el);
                Ok(())
            }))
            .append_element_content_handler(text!("title", |chunk| {
                reader.borrow_mut().title_text(chunk);
                Ok(())
            }));
        let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
        if rewriter.write(body).is_ok() {
            // An error here means only that the tail could not be parsed.
            let _ = rewriter.end();
        }
    }
    reader.into_inner().finish()
}

#[derive(Default)]
struct Reader {
    meta: PageMeta,
    images_seen: u32,
    videos_seen: u32,
    raw_title: String,
    is_title_done: bool,
}

impl Reader {
    fn meta(&mut self, el: &Element<'_, '_>) {
        let Some(key) = el
            .get_attribute("property")
            .or_else(|| el.get_attribute("name"))
        else {
            return;
        };
        if key.len() > MAX_META_NAME_BYTES {
            return;
        }
        let Some(content) = el.get_attribute("content") else {
            return;
        };
        self.record(&key.trim().to_ascii_lowercase(), &content);
    }

    fn record(&mut self, key: &str, content: &str) {
        let meta = &mut self.meta;
        // Structured properties (og:image:width, …) describe the latest og:image; only the first
        // image and video are kept, so later ones' properties are ignored.
        let is_first_image = self.images_seen <= 1;
        let is_first_video = self.videos_seen <= 1;
        let slot = match key {
            "og:title" => &mut meta.og_title,
            "og:description" => &mut meta.og_description,
            "og:site_name" => &mut meta.og_site_name,
            "og:type" => &mut meta.og_type,
            "og:url" => &mut meta.og_url,
            "og:image" | "og:image:url" => {
                self.images_seen = self.images_seen.saturating_add(1);
                &mut meta.og_image.url
            }
            "og:image:secure_url" if is_first_image => &mut meta.og_image.secure_url,
            "og:image:width" if is_first_image => &mut meta.og_image.width,
            "og:image:height" if is_first_image => &mut meta.og_image.height,
            "og:image:type" if is_first_image => &mut meta.og_image.content_type,
            "og:video" | "og:video:url" => {
                self.videos_seen = self.videos_seen.saturating_add(1);
                &mut meta.og_video.url
            }
            "og:video:secure_url" if is_first_video => &mut meta.og_video.secure_url,
            "og:video:width" if is_first_video => &mut meta.og_video.width,
            "og:video:height" if is_first_video => &mut meta.og_video.height,
            "og:video:type" if is_first_video => &mut meta.og_video.content_type,
            "twitter:card" => &mut meta.twitter_card,
            "twitter:title" => &mut meta.twitter_title,
            "twitter:description" => &mut meta.twitter_description,
            "twitter:image" | "twitter:image:src" => &mut meta.twitter_image,
            "description" => &mut meta.description,
            "author" => &mut meta.author,
            "theme-color" => &mut meta.theme_color,
            _ => return,
        };
        if slot.is_none() {
            *slot = Some(decoded(content));
        }
    }

    fn link(&mut self, el: &Element<'_, '_>) {
        let (Some(rel), Some(href)) = (el.get_attribute("rel"), el.get_attribute("href")) else {
            return;
        };
        let has_rel = |wanted: &str| {
            rel.split_ascii_whitespace()
                .any(|r| r.eq_ignore_ascii_case(wanted))
        };
        let slot = if has_rel("alternate")
            && el
                .get_attribute("type")
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json+oembed"))
        {
            &mut self.meta.oembed_href
        } else if has_rel("icon") {
            &mut self.meta.icon_href
        } else {
            return;
        };
        if slot.is_none() {
            *slot = Some(decoded(&href));
        }
    }

    /// `<title>` is one text node, possibly in many chunks; only the document's first counts
    /// (an SVG inside the body may have its own).
    fn title_text(&mut self, chunk: &TextChunk<'_>) {
        if self.is_title_done {
            return;
        }
        push_bounded(&mut self.raw_title, chunk.as_str(), MAX_RAW_VALUE_BYTES);
        if chunk.last_in_text_node() {
            self.is_title_done = true;
        }
    }

    fn finish(mut self) -> PageMeta {
        if !self.raw_title.is_empty() {
            self.meta.title = Some(decoded(&self.raw_title));
        }
        self.meta
    }
}

/// The value with HTML entities decoded, after cutting it to [`MAX_RAW_VALUE_BYTES`].
fn decoded(raw: &str) -> String {
    let mut bounded = String::new();
    push_bounded(&mut bounded, raw, MAX_RAW_VALUE_BYTES);
    html_escape::decode_html_entities(&bounded).into_owned()
}

/// Appends as much of `text` as fits in `max_bytes`, cut at a character boundary.
fn push_bounded(buffer: &mut String, text: &str, max_bytes: usize) {
    let room = max_bytes.saturating_sub(buffer.len());
    let mut end = room.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    buffer.push_str(&text[..end]);
}

/// The `charset` parameter of a Content-Type value.
fn charset_of(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opengraph_twitter_and_plain_tags_are_read() {
        let page = br##"<!doctype html><html><head>
            <title> Plain &amp; simple </title>
            <meta name="description" content="Meta description">
            <meta property="og:title" content="OG &quot;title&quot;">
            <meta property="og:description" content="OG description">
            <meta property="og:site_name" content="Example">
            <meta property="og:type" content="article">
            <meta property="og:url" content="https://example.com/canonical">
            <meta property="og:image" content="/img/first.png">
            <meta property="og:image:width" content="1200">
            <meta property="og:image:height" content="630">
            <meta property="og:image" content="/img/second.png">
            <meta property="og:image:width" content="10">
            <meta name="twitter:card" content="summary_large_image">
            <meta name="twitter:title" content="Twitter title">
            <meta name="theme-color" content="#5865F2">
            <link rel="alternate" type="application/json+oembed" href="/oembed?url=x&amp;format=json">
            <link rel="shortcut icon" href="/favicon.ico">
            </head><body><svg><title>not the title</title></svg></body></html>"##;
        let meta = extract(page, Some("text/html; charset=utf-8"));
        assert_eq!(meta.title.as_deref(), Some(" Plain & simple "));
        assert_eq!(meta.description.as_deref(), Some("Meta description"));
        assert_eq!(meta.og_title.as_deref(), Some("OG \"title\""));
        assert_eq!(meta.og_site_name.as_deref(), Some("Example"));
        assert_eq!(meta.og_type.as_deref(), Some("article"));
        assert_eq!(meta.og_image.url.as_deref(), Some("/img/first.png"));
        assert_eq!(meta.og_image.width.as_deref(), Some("1200"));
        assert_eq!(meta.og_image.height.as_deref(), Some("630"));
        assert_eq!(meta.twitter_card.as_deref(), Some("summary_large_image"));
        assert_eq!(meta.twitter_title.as_deref(), Some("Twitter title"));
        assert_eq!(meta.theme_color.as_deref(), Some("#5865F2"));
        assert_eq!(
            meta.oembed_href.as_deref(),
            Some("/oembed?url=x&format=json")
        );
        assert_eq!(meta.icon_href.as_deref(), Some("/favicon.ico"));
    }

    #[test]
    fn the_declared_charset_decodes_the_page() {
        // "Café" in windows-1252.
        let page = b"<title>Caf\xe9</title>";
        let meta = extract(page, Some("text/html; charset=windows-1252"));
        assert_eq!(meta.title.as_deref(), Some("Café"));
    }

    #[test]
    fn a_meta_charset_decodes_the_page_when_the_header_has_none() {
        let page = b"<meta charset=\"iso-8859-1\"><title>Caf\xe9</title>";
        let meta = extract(page, Some("text/html"));
        assert_eq!(meta.title.as_deref(), Some("Café"));
    }

    #[test]
    fn huge_values_are_cut_before_decoding() {
        let huge = "&amp;".repeat(100_000);
        let page = format!("<meta property=\"og:title\" content=\"{huge}\"><title>{huge}</title>");
        let meta = extract(page.as_bytes(), None);
        assert!(meta.og_title.unwrap().len() <= MAX_RAW_VALUE_BYTES);
        assert!(meta.title.unwrap().len() <= MAX_RAW_VALUE_BYTES);
    }

    #[test]
    fn a_page_cut_inside_a_tag_keeps_what_came_before() {
        let page = "<title>Kept</title><meta property=\"og:description\" content=\"never clo";
        let meta = extract(page.as_bytes(), None);
        assert_eq!(meta.title.as_deref(), Some("Kept"));
        assert_eq!(meta.og_description, None);
    }

    #[test]
    fn charset_parameters_are_found_case_insensitively_and_unquoted() {
        assert_eq!(charset_of("text/html; Charset=\"UTF-8\""), Some("UTF-8"));
        assert_eq!(charset_of("text/html"), None);
    }
}
