//! Link previews of real pages served from a loopback fixture: what is read from OpenGraph,
//! plain HTML and oEmbed, how files are recognised, and that hostile pages stay cheap and bounded.

mod fetch_fixture;

use std::io::Cursor;
use std::time::{Duration, Instant};

use fetch_fixture::{Fixture, Reply, fetcher_for};
use hearth_media::fetch::FetchError;
use hearth_media::preview::{
    LinkPreview, MAX_DESCRIPTION_CHARS, MAX_TITLE_CHARS, PreviewError, PreviewKind, preview,
};

const MIB: usize = 1024 * 1024;

async fn preview_of(fixture: &Fixture, path: &str) -> Option<LinkPreview> {
    preview(&fetcher_for(&[fixture]), &fixture.url(path))
        .await
        .unwrap()
}

const OPENGRAPH_PAGE: &str = r##"<!doctype html>
<html><head>
<meta charset="utf-8">
<title>Fallback title</title>
<meta property="og:title" content="Fish &amp; Chips &mdash; a history">
<meta property="og:description" content="  How a dish
    became a nation&#39;s favourite.  ">
<meta property="og:site_name" content="The Food Times">
<meta property="og:type" content="article">
<meta property="og:image" content="/images/fish.jpg">
<meta property="og:image:width" content="1200">
<meta property="og:image:height" content="630">
<meta name="twitter:card" content="summary_large_image">
<meta name="theme-color" content="#1E90FF">
<link rel="icon" href="/favicon.png">
</head><body><p>Article text.</p></body></html>"##;

#[tokio::test]
async fn an_opengraph_page_gives_a_full_article_preview() {
    let fixture = Fixture::start(|_| Reply::html(OPENGRAPH_PAGE)).await;
    let preview = preview_of(&fixture, "/articles/fish").await.unwrap();
    assert_eq!(preview.kind, PreviewKind::Article);
    assert_eq!(preview.url, fixture.url("/articles/fish"));
    assert_eq!(preview.title.as_deref(), Some("Fish & Chips — a history"));
    assert_eq!(
        preview.description.as_deref(),
        Some("How a dish became a nation's favourite.")
    );
    assert_eq!(preview.site_name.as_deref(), Some("The Food Times"));
    assert_eq!(preview.color, Some(0x1e90ff));
    let image = preview.image.unwrap();
    assert_eq!(image.url, fixture.url("/images/fish.jpg"));
    assert_eq!((image.width, image.height), (Some(1200), Some(630)));
    assert_eq!(preview.thumbnail, None);
    assert_eq!(preview.icon, Some(fixture.url("/favicon.png")));
}

#[tokio::test]
async fn a_page_with_only_a_title_gives_a_link_preview() {
    let fixture = Fixture::start(|_| {
        Reply::html("<html><head><title>\n  Just a   title\n</title></head><body>hi</body></html>")
    })
    .await;
    let preview = preview_of(&fixture, "/").await.unwrap();
    assert_eq!(preview.kind, PreviewKind::Link);
    assert_eq!(preview.title.as_deref(), Some("Just a title"));
    assert_eq!(preview.description, None);
    assert_eq!(preview.image, None);
}

#[tokio::test]
async fn the_meta_description_is_the_fallback_description() {
    let fixture = Fixture::start(|_| {
        Reply::html(r#"<title>T</title><meta name="description" content="Plain description">"#)
    })
    .await;
    let preview = preview_of(&fixture, "/").await.unwrap();
    assert_eq!(preview.description.as_deref(), Some("Plain description"));
}

#[tokio::test]
async fn a_page_with_nothing_to_show_and_a_non_page_have_no_preview() {
    let fixture = Fixture::start(|seen| match seen.path.as_str() {
        "/empty" => Reply::html("<html><body><p>no metadata</p></body></html>"),
        _ => Reply::json(r#"{"title":"not a page"}"#),
    })
    .await;
    assert_eq!(preview_of(&fixture, "/empty").await, None);
    assert_eq!(preview_of(&fixture, "/api").await, None);
}

#[tokio::test]
async fn oembed_discovery_adds_author_provider_and_player() {
    let fixture = Fixture::start(|seen| {
        if seen.path.starts_with("/oembed") {
            return Reply::json(
                r#"{"version":"1.0","type":"video","title":"A talk about Rust",
                "author_name":"Ferris","author_url":"/ferris","provider_name":"FixtureTube",
                "provider_url":"/","thumbnail_url":"/thumbs/1.jpg","thumbnail_width":480,
                "thumbnail_height":360,"width":640,"height":360,
                "html":"<iframe src=\"/embed/1\"></iframe>"}"#,
            );
        }
        Reply::html(
            r#"<html><head><title>watch</title>
            <link rel="alternate" type="application/json+oembed" href="/oembed?url=%2Fwatch%2F1&amp;format=json">
            </head></html>"#,
        )
    })
    .await;
    let preview = preview_of(&fixture, "/watch/1").await.unwrap();
    assert_eq!(preview.kind, PreviewKind::Video);
    assert_eq!(preview.title.as_deref(), Some("A talk about Rust"));
    assert_eq!(preview.site_name.as_deref(), Some("FixtureTube"));
    let author = preview.author.as_ref().unwrap();
    assert_eq!(author.name, "Ferris");
    assert_eq!(author.url, Some(fixture.url("/ferris")));
    assert_eq!(preview.provider.as_ref().unwrap().name, "FixtureTube");
    let thumbnail = preview.thumbnail.as_ref().unwrap();
    assert_eq!(thumbnail.url, fixture.url("/thumbs/1.jpg"));
    assert_eq!((thumbnail.width, thumbnail.height), (Some(480), Some(360)));
    let player = preview.player.as_ref().unwrap();
    assert_eq!((player.width, player.height), (Some(640), Some(360)));
    assert_eq!(
        fixture.seen()[1].path,
        "/oembed?url=%2Fwatch%2F1&format=json"
    );
    let json = serde_json::to_string(&preview).unwrap();
    assert!(
        !json.contains("iframe"),
        "oEmbed html must not be kept: {json}"
    );
}

#[tokio::test]
async fn an_oembed_link_to_a_forbidden_address_is_not_followed() {
    let inner = Fixture::start(|_| Reply::json(r#"{"title":"internal"}"#)).await;
    let discovery = format!(
        r#"<title>Outer</title><link rel="alternate" type="application/json+oembed" href="{}">"#,
        inner.url("/oembed")
    );
    let outer = Fixture::start(move |_| Reply::html(discovery.clone())).await;
    let preview = preview_of(&outer, "/").await.unwrap();
    assert_eq!(preview.title.as_deref(), Some("Outer"));
    assert!(
        inner.seen().is_empty(),
        "the forbidden oEmbed endpoint was contacted"
    );
}

#[tokio::test]
async fn a_five_mebibyte_page_is_cut_at_one_and_still_parsed() {
    let fixture = Fixture::start(|_| {
        let mut page = String::from(
            r#"<html><head><meta property="og:title" content="Big page"><title>x</title></head><body>"#,
        );
        page.push_str(&"<p>filler</p>".repeat(5 * MIB / 13));
        page.push_str(r#"<meta name="description" content="beyond the cap"></body></html>"#);
        Reply::html(page)
    })
    .await;
    let preview = preview_of(&fixture, "/big").await.unwrap();
    assert_eq!(preview.title.as_deref(), Some("Big page"));
    assert_eq!(
        preview.description, None,
        "the tail past 1 MiB must not have been read"
    );
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    image::RgbImage::new(width, height)
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    bytes
}

#[tokio::test]
async fn an_image_link_is_an_image_preview_whatever_its_declared_type() {
    let picture = png(40, 30);
    let fixture = Fixture::start(move |_| Reply::bytes("text/html", picture.clone())).await;
    let preview = preview_of(&fixture, "/cat.png").await.unwrap();
    assert_eq!(preview.kind, PreviewKind::Image);
    let image = preview.image.unwrap();
    assert_eq!(image.url, fixture.url("/cat.png"));
    assert_eq!((image.width, image.height), (Some(40), Some(30)));
    assert_eq!(preview.title, None);
}

#[tokio::test]
async fn a_video_link_is_a_video_preview() {
    let mut mp4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom".to_vec();
    mp4.extend_from_slice(&[0u8; 64]);
    let fixture =
        Fixture::start(move |_| Reply::bytes("application/octet-stream", mp4.clone())).await;
    let preview = preview_of(&fixture, "/clip").await.unwrap();
    assert_eq!(preview.kind, PreviewKind::Video);
    assert_eq!(preview.video.unwrap().url, fixture.url("/clip"));
}

#[tokio::test]
async fn relative_links_resolve_against_the_page_after_redirects() {
    let fixture = Fixture::start(|seen| match seen.path.as_str() {
        "/short" => Reply::redirect("/deep/path/page.html"),
        _ => Reply::html(r#"<meta property="og:title" content="t"><meta property="og:image" content="img/a.png">"#),
    })
    .await;
    let preview = preview_of(&fixture, "/short").await.unwrap();
    assert_eq!(preview.url, fixture.url("/short"));
    assert_eq!(
        preview.thumbnail.unwrap().url,
        fixture.url("/deep/path/img/a.png")
    );
}

#[tokio::test]
async fn non_web_links_in_a_page_are_dropped() {
    let fixture = Fixture::start(|_| {
        Reply::html(
            r#"<meta property="og:title" content="t">
            <meta property="og:image" content="javascript:alert(1)">
            <meta name="twitter:image" content="data:image/png;base64,AAAA">
            <link rel="icon" href="file:///etc/passwd">"#,
        )
    })
    .await;
    let preview = preview_of(&fixture, "/").await.unwrap();
    assert_eq!(
        (preview.thumbnail, preview.image, preview.icon),
        (None, None, None)
    );
}

#[tokio::test]
async fn a_forbidden_link_is_an_error_not_an_empty_preview() {
    let fixture = Fixture::start(|_| Reply::html("<title>t</title>")).await;
    let other = url::Url::parse("http://10.0.0.1/").unwrap();
    let err = preview(&fetcher_for(&[&fixture]), &other)
        .await
        .unwrap_err();
    assert!(
        matches!(err, PreviewError::Fetch(FetchError::Forbidden { .. })),
        "{err:?}"
    );
}

#[tokio::test]
async fn hostile_html_is_parsed_quickly_and_every_field_stays_bounded() {
    let fixture = Fixture::start(|_| {
        let huge_attribute = "A".repeat(400 * 1024);
        let entity_bomb = "&amp;&lt;&#x1F600;&CounterClockwiseContourIntegral;".repeat(4000);
        let mut page = format!(
            r#"<html><head><meta property="og:title" content="{huge_attribute}">
            <meta property="og:description" content="{entity_bomb}">
            <meta property="og:image" content="https://example.com/{huge_attribute}">
            <title>{entity_bomb}</title></head><body>"#
        );
        page.push_str(&"<div><span><b>".repeat(20_000));
        page.push_str(&"<meta content='x' name=".repeat(5_000));
        Reply::html(page)
    })
    .await;
    let started = Instant::now();
    let preview = preview_of(&fixture, "/hostile").await.unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "took {:?}",
        started.elapsed()
    );
    let title = preview.title.unwrap();
    assert_eq!(title.chars().count(), MAX_TITLE_CHARS);
    assert!(title.starts_with("AAAA") && title.ends_with('…'));
    let description = preview.description.unwrap();
    assert!(description.chars().count() <= MAX_DESCRIPTION_CHARS);
    assert!(description.starts_with("&<😀∳&<"), "{description}");
    assert_eq!(
        preview.thumbnail, None,
        "an over-long image URL must be dropped"
    );
}

#[tokio::test]
async fn previews_round_trip_through_json() {
    let fixture = Fixture::start(|_| Reply::html(OPENGRAPH_PAGE)).await;
    let preview = preview_of(&fixture, "/").await.unwrap();
    let json = serde_json::to_string(&preview).unwrap();
    assert!(json.contains(r#""kind":"article""#), "{json}");
    let back: LinkPreview = serde_json::from_str(&json).unwrap();
    assert_eq!(back, preview);
}
