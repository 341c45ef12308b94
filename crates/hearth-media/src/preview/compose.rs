//! Choosing, from everything a page and its oEmbed answer claim, the bounded fields of one
//! preview: which title wins, which picture is the image and which the thumbnail, what kind it is.

use std::io::Cursor;

use url::Url;

use super::field::{
    MAX_AUTHOR_CHARS, MAX_DESCRIPTION_CHARS, MAX_SITE_NAME_CHARS, MAX_TITLE_CHARS, bounded_text,
    bounded_url, parse_color, parse_dimension,
};
use super::html::{MediaTags, PageMeta};
use super::oembed::OEmbed;
use super::{LinkPreview, NamedLink, PreviewKind, PreviewMedia};
use crate::fetch::Fetched;

/// The preview of a link that is itself an image or a video.
pub(crate) fn direct_media(requested: &Url, page: &Fetched, kind: PreviewKind) -> LinkPreview {
    let (width, height) = match kind {
        PreviewKind::Image => image_size(&page.body).unzip(),
        _ => (None, None),
    };
    let media = PreviewMedia {
        url: page.final_url.clone(),
        width,
        height,
    };
    let mut preview = empty(requested.clone(), kind);
    match kind {
        PreviewKind::Video => preview.video = Some(media),
        _ => preview.image = Some(media),
    }
    preview
}

/// The preview of an HTML page (`base` is where it was finally fetched from), or `None` when it
/// has no title, description or media.
pub(crate) fn from_page(
    requested: &Url,
    base: &Url,
    meta: &PageMeta,
    answer: Option<&OEmbed>,
) -> Option<LinkPreview> {
    let oembed = |pick: fn(&OEmbed) -> &Option<String>| answer.and_then(|a| pick(a).as_deref());
    let oembed_kind = answer.and_then(|a| a.kind.as_deref());

    let title = first_text(
        [
            meta.og_title.as_deref(),
            meta.twitter_title.as_deref(),
            oembed(|a| &a.title),
            meta.title.as_deref(),
        ],
        MAX_TITLE_CHARS,
    );
    let description = first_text(
        [
            meta.og_description.as_deref(),
            meta.twitter_description.as_deref(),
            meta.description.as_deref(),
        ],
        MAX_DESCRIPTION_CHARS,
    );
    let site_name = first_text(
        [meta.og_site_name.as_deref(), oembed(|a| &a.provider_name)],
        MAX_SITE_NAME_CHARS,
    );

    let page_image = tagged_media(&meta.og_image, base).or_else(|| {
        let url = bounded_url(meta.twitter_image.as_deref()?, base)?;
        Some(PreviewMedia {
            url,
            width: None,
            height: None,
        })
    });
    let is_large_card = meta
        .twitter_card
        .as_deref()
        .is_some_and(|card| card.trim().eq_ignore_ascii_case("summary_large_image"));
    let (mut image, mut thumbnail) = if is_large_card {
        (page_image, None)
    } else {
        (None, page_image)
    };
    if image.is_none()
        && oembed_kind == Some("photo")
        && let Some(answer) = answer
    {
        image = oembed_media(answer.url.as_deref(), answer.width, answer.height, base);
    }
    if image.is_none()
        && thumbnail.is_none()
        && let Some(answer) = answer
    {
        thumbnail = oembed_media(
            answer.thumbnail_url.as_deref(),
            answer.thumbnail_width,
            answer.thumbnail_height,
            base,
        );
    }

    let og_video = tagged_media(&meta.og_video, base);
    let is_playable = meta
        .og_video
        .content_type
        .as_deref()
        .is_none_or(|content_type| {
            content_type
                .trim()
                .to_ascii_lowercase()
                .starts_with("video/")
        });
    let (video, html_player) = if is_playable {
        (og_video, None)
    } else {
        (None, og_video)
    };
    let player = match answer {
        Some(answer)
            if matches!(oembed_kind, Some("video" | "rich"))
                && (answer.width.is_some() || answer.height.is_some()) =>
        {
            Some(PreviewMedia {
                url: html_player.map_or_else(|| requested.clone(), |player| player.url),
                width: answer.width,
                height: answer.height,
            })
        }
        _ => html_player,
    };

    let og_type = meta
        .og_type
        .as_deref()
        .map(|t| t.trim().to_ascii_lowercase());
    let og_type = og_type.as_deref().unwrap_or_default();
    let shows_gif = [&image, &thumbnail]
        .into_iter()
        .flatten()
        .any(|media| media.url.path().to_ascii_lowercase().ends_with(".gif"));
    let kind = if video.is_some() && shows_gif {
        PreviewKind::Gifv
    } else if video.is_some() || oembed_kind == Some("video") || og_type.starts_with("video") {
        PreviewKind::Video
    } else if oembed_kind == Some("photo") {
        PreviewKind::Image
    } else if og_type == "article" {
        PreviewKind::Article
    } else {
        PreviewKind::Link
    };

    let has_content = title.is_some()
        || description.is_some()
        || image.is_some()
        || thumbnail.is_some()
        || video.is_some();
    if !has_content {
        return None;
    }

    let author = match answer.and_then(|a| a.author_name.as_deref()) {
        Some(name) => named_link(name, oembed(|a| &a.author_url), base),
        None => meta
            .author
            .as_deref()
            .and_then(|name| named_link(name, None, base)),
    };
    let provider = oembed(|a| &a.provider_name)
        .and_then(|name| named_link(name, oembed(|a| &a.provider_url), base));

    Some(LinkPreview {
        url: canonical_url(requested, base, meta),
        kind,
        title,
        description,
        site_name,
        color: meta.theme_color.as_deref().and_then(parse_color),
        image,
        thumbnail,
        video,
        player,
        author,
        provider,
        icon: meta
            .icon_href
            .as_deref()
            .and_then(|href| bounded_url(href, base)),
    })
}

fn empty(url: Url, kind: PreviewKind) -> LinkPreview {
    LinkPreview {
        url,
        kind,
        title: None,
        description: None,
        site_name: None,
        color: None,
        image: None,
        thumbnail: None,
        video: None,
        player: None,
        author: None,
        provider: None,
        icon: None,
    }
}

/// The first candidate with any text left once bounded.
fn first_text<const N: usize>(candidates: [Option<&str>; N], max_chars: usize) -> Option<String> {
    candidates
        .into_iter()
        .flatten()
        .find_map(|raw| bounded_text(raw, max_chars))
}

/// An `og:image`/`og:video`: its https `secure_url` when usable, else its url.
fn tagged_media(tags: &MediaTags, base: &Url) -> Option<PreviewMedia> {
    let secure = tags
        .secure_url
        .as_deref()
        .and_then(|raw| bounded_url(raw, base))
        .filter(|url| url.scheme() == "https");
    let url = secure.or_else(|| bounded_url(tags.url.as_deref()?, base))?;
    Some(PreviewMedia {
        url,
        width: tags.width.as_deref().and_then(parse_dimension),
        height: tags.height.as_deref().and_then(parse_dimension),
    })
}

fn oembed_media(
    url: Option<&str>,
    width: Option<u32>,
    height: Option<u32>,
    base: &Url,
) -> Option<PreviewMedia> {
    Some(PreviewMedia {
        url: bounded_url(url?, base)?,
        width,
        height,
    })
}

fn named_link(name: &str, url: Option<&str>, base: &Url) -> Option<NamedLink> {
    Some(NamedLink {
        name: bounded_text(name, MAX_AUTHOR_CHARS)?,
        url: url.and_then(|url| bounded_url(url, base)),
    })
}

/// `og:url` only when it stays on the page's own host: a page must not be able to make its
/// preview link somewhere else than where it is.
fn canonical_url(requested: &Url, base: &Url, meta: &PageMeta) -> Url {
    meta.og_url
        .as_deref()
        .and_then(|raw| bounded_url(raw, base))
        .filter(|canonical| canonical.host() == base.host() && base.host() == requested.host())
        .unwrap_or_else(|| requested.clone())
}

/// Width and height from the image's header, for the formats the crate decodes.
fn image_size(body: &[u8]) -> Option<(u32, u32)> {
    ::image::ImageReader::new(Cursor::new(body))
        .with_guessed_format()
        .ok()?
        .into_dimensions()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://example.com/post/1").unwrap()
    }

    #[test]
    fn opengraph_wins_over_twitter_over_oembed_over_title() {
        let meta = PageMeta {
            title: Some("Title tag".into()),
            twitter_title: Some("Twitter".into()),
            ..PageMeta::default()
        };
        let answer = OEmbed {
            title: Some("oEmbed".into()),
            ..OEmbed::default()
        };
        let preview = from_page(&base(), &base(), &meta, Some(&answer)).unwrap();
        assert_eq!(preview.title.as_deref(), Some("Twitter"));
        let meta = PageMeta {
            og_title: Some("  ".into()),
            title: Some("Title tag".into()),
            ..PageMeta::default()
        };
        let preview = from_page(&base(), &base(), &meta, Some(&answer)).unwrap();
        assert_eq!(preview.title.as_deref(), Some("oEmbed"));
    }

    #[test]
    fn a_large_card_puts_the_picture_in_image_otherwise_in_thumbnail() {
        let mut meta = PageMeta {
            og_title: Some("t".into()),
            og_image: MediaTags {
                url: Some("/a.png".into()),
                secure_url: Some("https://cdn.example.com/a.png".into()),
                width: Some("800".into()),
                ..MediaTags::default()
            },
            ..PageMeta::default()
        };
        let preview = from_page(&base(), &base(), &meta, None).unwrap();
        let thumbnail = preview.thumbnail.unwrap();
        assert_eq!(thumbnail.url.as_str(), "https://cdn.example.com/a.png");
        assert_eq!(thumbnail.width, Some(800));
        assert!(preview.image.is_none());
        meta.twitter_card = Some("summary_large_image".into());
        let preview = from_page(&base(), &base(), &meta, None).unwrap();
        assert!(preview.image.is_some() && preview.thumbnail.is_none());
    }

    #[test]
    fn an_html_player_is_kept_apart_from_playable_video() {
        let meta = PageMeta {
            og_title: Some("t".into()),
            og_type: Some("video.other".into()),
            og_video: MediaTags {
                url: Some("https://example.com/embed/1".into()),
                content_type: Some("text/html".into()),
                width: Some("1280".into()),
                height: Some("720".into()),
                ..MediaTags::default()
            },
            ..PageMeta::default()
        };
        let preview = from_page(&base(), &base(), &meta, None).unwrap();
        assert_eq!(preview.kind, PreviewKind::Video);
        assert!(preview.video.is_none());
        let player = preview.player.unwrap();
        assert_eq!(player.url.as_str(), "https://example.com/embed/1");
        assert_eq!((player.width, player.height), (Some(1280), Some(720)));
    }

    #[test]
    fn a_gif_picture_with_a_playable_video_is_gifv() {
        let meta = PageMeta {
            og_image: MediaTags {
                url: Some("https://media.example.com/cat.gif".into()),
                ..MediaTags::default()
            },
            og_video: MediaTags {
                url: Some("https://media.example.com/cat.mp4".into()),
                content_type: Some("video/mp4".into()),
                ..MediaTags::default()
            },
            ..PageMeta::default()
        };
        let preview = from_page(&base(), &base(), &meta, None).unwrap();
        assert_eq!(preview.kind, PreviewKind::Gifv);
        assert_eq!(
            preview.video.unwrap().url.as_str(),
            "https://media.example.com/cat.mp4"
        );
    }

    #[test]
    fn a_page_with_nothing_to_show_has_no_preview() {
        let meta = PageMeta {
            theme_color: Some("#ffffff".into()),
            og_site_name: Some("Site".into()),
            ..PageMeta::default()
        };
        assert_eq!(from_page(&base(), &base(), &meta, None), None);
    }

    #[test]
    fn og_url_replaces_the_link_only_on_the_same_host() {
        let mut meta = PageMeta {
            og_title: Some("t".into()),
            og_url: Some("https://example.com/post/1?canonical".into()),
            ..PageMeta::default()
        };
        let preview = from_page(&base(), &base(), &meta, None).unwrap();
        assert_eq!(preview.url.as_str(), "https://example.com/post/1?canonical");
        meta.og_url = Some("https://phishing.example.net/".into());
        let preview = from_page(&base(), &base(), &meta, None).unwrap();
        assert_eq!(preview.url, base());
    }

    #[test]
    fn oembed_supplies_author_provider_and_thumbnail() {
        let meta = PageMeta::default();
        let answer = OEmbed {
            kind: Some("video".into()),
            title: Some("Clip".into()),
            author_name: Some("Someone".into()),
            author_url: Some("https://example.com/someone".into()),
            provider_name: Some("Example".into()),
            provider_url: Some("javascript:alert(1)".into()),
            thumbnail_url: Some("https://example.com/t.jpg".into()),
            thumbnail_width: Some(480),
            width: Some(640),
            height: Some(360),
            ..OEmbed::default()
        };
        let preview = from_page(&base(), &base(), &meta, Some(&answer)).unwrap();
        assert_eq!(preview.kind, PreviewKind::Video);
        assert_eq!(preview.site_name.as_deref(), Some("Example"));
        let author = preview.author.unwrap();
        assert_eq!(author.name, "Someone");
        assert_eq!(author.url.unwrap().as_str(), "https://example.com/someone");
        let provider = preview.provider.unwrap();
        assert_eq!(provider.url, None);
        assert_eq!(preview.thumbnail.unwrap().width, Some(480));
        let player = preview.player.unwrap();
        assert_eq!((player.url, player.width), (base(), Some(640)));
    }
}
