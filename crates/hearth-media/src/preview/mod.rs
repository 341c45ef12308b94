//! Link previews: which links of a message get one ([`extract_urls`]), and what a link's page
//! says about itself ([`preview`]): OpenGraph, Twitter card and plain HTML tags, oEmbed, or the
//! file itself when the link is an image or a video.
//!
//! Every fetch (page and oEmbed answer) goes through the [`SafeFetcher`], so a hostile page cannot
//! point the server at its own network; every field is bounded and every link is http(s).

mod compose;
mod field;
mod html;
mod message_urls;
mod oembed;

use serde::{Deserialize, Serialize};
use url::Url;

use crate::fetch::{FetchError, Fetched, SafeFetcher};

pub use field::{
    MAX_AUTHOR_CHARS, MAX_DESCRIPTION_CHARS, MAX_MEDIA_DIMENSION, MAX_SITE_NAME_CHARS,
    MAX_TITLE_CHARS, MAX_URL_BYTES,
};
pub use message_urls::{DEFAULT_MAX_PREVIEWS, extract_urls};
pub use oembed::MAX_OEMBED_BYTES;

/// Discord's embed types for link previews.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PreviewKind {
    Link,
    Article,
    Image,
    Video,
    /// An animated picture served as a video (GIF sites).
    Gifv,
}

/// An image, thumbnail, video or player: where it is and its size, if known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewMedia {
    pub url: Url,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
}

/// An author or provider: a name and perhaps a link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedLink {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<Url>,
}

/// What a link's preview shows. Serializable so the server can cache it as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkPreview {
    /// The link previewed: the one in the message, or the page's canonical `og:url` when that is
    /// on the same host as the page itself.
    pub url: Url,
    pub kind: PreviewKind,
    /// At most [`MAX_TITLE_CHARS`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// At most [`MAX_DESCRIPTION_CHARS`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// At most [`MAX_SITE_NAME_CHARS`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_name: Option<String>,
    /// The page's theme colour, 0xRRGGBB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<u32>,
    /// A large image (the linked file itself, an oEmbed photo, or a `summary_large_image` card).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<PreviewMedia>,
    /// A small image beside the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<PreviewMedia>,
    /// A video file that can be played directly (the linked file, or an `og:video` of a video type).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video: Option<PreviewMedia>,
    /// A third-party HTML player (oEmbed `video`/`rich`, or an `og:video` page). Hearth never
    /// embeds it; it is kept for its size (to shape the thumbnail) and its link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub player: Option<PreviewMedia>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<NamedLink>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<NamedLink>,
    /// The site's icon (`<link rel="icon">`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<Url>,
}

/// Why a link has no preview because of an error (rather than because it has nothing to show).
#[derive(Debug, Clone, thiserror::Error)]
pub enum PreviewError {
    #[error(transparent)]
    Fetch(#[from] FetchError),
}

/// The preview of `url`, or `None` when the page has nothing to show (no title, description or
/// media) or is neither HTML nor an image or video.
///
/// The page is read up to the fetcher's `max_body_bytes` (1 MiB by default) and a longer one is
/// parsed as far as it arrived. The oEmbed answer, when there is one, is a second fetch with its
/// own timeout, so a preview takes at most twice the fetcher's timeout.
pub async fn preview(
    fetcher: &SafeFetcher,
    url: &Url,
) -> Result<Option<LinkPreview>, PreviewError> {
    let known_endpoint = oembed::provider_endpoint(url);
    let page = match fetcher.fetch_page(url).await {
        Ok(page) => page,
        // Some providers refuse crawlers their pages but still answer oEmbed.
        Err(err) => {
            let answer = match &known_endpoint {
                Some(endpoint) => oembed::fetch(fetcher, endpoint).await,
                None => None,
            };
            return match answer {
                Some(answer) => Ok(compose::from_page(
                    url,
                    url,
                    &html::PageMeta::default(),
                    Some(&answer),
                )),
                None => Err(err.into()),
            };
        }
    };
    if let Some(kind) = media_kind(&page.body) {
        return Ok(Some(compose::direct_media(url, &page, kind)));
    }
    if !is_html(&page) {
        return Ok(None);
    }
    let meta = html::extract(&page.body, page.content_type.as_deref());
    let endpoint = meta
        .oembed_href
        .as_deref()
        .and_then(|href| field::bounded_url(href, &page.final_url))
        .or(known_endpoint);
    let answer = match &endpoint {
        Some(endpoint) => oembed::fetch(fetcher, endpoint).await,
        None => None,
    };
    Ok(compose::from_page(
        url,
        &page.final_url,
        &meta,
        answer.as_ref(),
    ))
}

/// Image or video, judged by the body's first bytes (never by the Content-Type header).
fn media_kind(body: &[u8]) -> Option<PreviewKind> {
    match infer::get(body)?.matcher_type() {
        infer::MatcherType::Image => Some(PreviewKind::Image),
        infer::MatcherType::Video => Some(PreviewKind::Video),
        _ => None,
    }
}

/// Whether the body is worth reading as HTML: declared as (X)HTML, or starting with markup.
fn is_html(page: &Fetched) -> bool {
    let declared = page.content_type.as_deref().is_some_and(|content_type| {
        let content_type = content_type.to_ascii_lowercase();
        content_type.contains("html") || content_type.contains("xml")
    });
    let body = page
        .body
        .strip_prefix(b"\xef\xbb\xbf")
        .unwrap_or(&page.body);
    let starts_with_markup = body
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'<');
    declared || starts_with_markup
}
