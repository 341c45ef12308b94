//! oEmbed (<https://oembed.com>): finding a link's endpoint, by the page's discovery link or a
//! built-in table of providers whose pages say little without it, and reading the JSON answer.
//!
//! The answer's `html` member is never kept: Hearth does not render third-party HTML. What is
//! kept is metadata, a thumbnail, and the player's size.

use serde_json::{Map, Value};
use url::Url;

use super::field::parse_dimension;
use crate::fetch::{BodyLimit, SafeFetcher};

/// An oEmbed answer is a small JSON object; anything larger is not one.
pub const MAX_OEMBED_BYTES: u64 = 64 * 1024;

/// The members of an oEmbed answer a preview uses, unbounded (see [`super::field`]).
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct OEmbed {
    /// `photo`, `video`, `link` or `rich`.
    pub kind: Option<String>,
    pub title: Option<String>,
    pub author_name: Option<String>,
    pub author_url: Option<String>,
    pub provider_name: Option<String>,
    pub provider_url: Option<String>,
    /// The image itself, for `photo`.
    pub url: Option<String>,
    pub thumbnail_url: Option<String>,
    pub thumbnail_width: Option<u32>,
    pub thumbnail_height: Option<u32>,
    /// The photo's or player's size.
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// Which path of a provider's site has an oEmbed answer.
enum Paths {
    /// Any path but the home page.
    Any,
    /// Paths containing one of these segments (Spotify puts a locale before them, X a user name).
    Containing(&'static [&'static str]),
}

struct Provider {
    /// Registrable domains; their subdomains match too.
    domains: &'static [&'static str],
    paths: Paths,
    endpoint: &'static str,
}

/// Providers whose pages are heavy, consent-walled or script-rendered, but whose oEmbed endpoint
/// answers plainly.
const PROVIDERS: &[Provider] = &[
    Provider {
        domains: &["youtube.com"],
        paths: Paths::Containing(&["/watch", "/shorts/", "/live/", "/playlist"]),
        endpoint: "https://www.youtube.com/oembed",
    },
    Provider {
        domains: &["youtu.be"],
        paths: Paths::Any,
        endpoint: "https://www.youtube.com/oembed",
    },
    Provider {
        domains: &["vimeo.com"],
        paths: Paths::Any,
        endpoint: "https://vimeo.com/api/oembed.json",
    },
    Provider {
        domains: &["soundcloud.com"],
        paths: Paths::Any,
        endpoint: "https://soundcloud.com/oembed",
    },
    Provider {
        domains: &["open.spotify.com"],
        paths: Paths::Containing(&[
            "/track/",
            "/album/",
            "/playlist/",
            "/episode/",
            "/show/",
            "/artist/",
        ]),
        endpoint: "https://open.spotify.com/oembed",
    },
    Provider {
        domains: &["twitter.com", "x.com"],
        paths: Paths::Containing(&["/status/"]),
        endpoint: "https://publish.twitter.com/oembed",
    },
    Provider {
        domains: &["reddit.com"],
        paths: Paths::Containing(&["/comments/"]),
        endpoint: "https://www.reddit.com/oembed",
    },
    Provider {
        domains: &["tiktok.com"],
        paths: Paths::Containing(&["/video/"]),
        endpoint: "https://www.tiktok.com/oembed",
    },
];

/// The oEmbed endpoint the built-in table knows for `url`, with `url` and `format=json` filled in.
pub(crate) fn provider_endpoint(url: &Url) -> Option<Url> {
    let host = url.host_str()?.to_ascii_lowercase();
    let host = host.trim_end_matches('.');
    let path = url.path();
    let provider = PROVIDERS.iter().find(|provider| {
        let is_their_host = provider.domains.iter().any(|domain| {
            host == *domain
                || host
                    .strip_suffix(domain)
                    .is_some_and(|sub| sub.ends_with('.'))
        });
        let is_their_path = match provider.paths {
            Paths::Any => path.len() > 1,
            Paths::Containing(segments) => segments.iter().any(|segment| path.contains(segment)),
        };
        is_their_host && is_their_path
    })?;
    Url::parse_with_params(
        provider.endpoint,
        [("url", url.as_str()), ("format", "json")],
    )
    .ok()
}

/// The answer at `endpoint`, fetched through the same SSRF checks as the page; `None` on any
/// failure, since a preview without oEmbed is still a preview.
pub(crate) async fn fetch(fetcher: &SafeFetcher, endpoint: &Url) -> Option<OEmbed> {
    match fetcher
        .fetch(endpoint, BodyLimit::Refuse(MAX_OEMBED_BYTES))
        .await
    {
        Ok(fetched) => parse(&fetched.body),
        Err(err) => {
            tracing::debug!(%endpoint, error = %err, "oEmbed fetch failed");
            None
        }
    }
}

/// Reads an oEmbed JSON object leniently: providers send sizes as numbers or strings.
pub(crate) fn parse(json: &[u8]) -> Option<OEmbed> {
    let object: Map<String, Value> = serde_json::from_slice(json).ok()?;
    let text = |key: &str| match object.get(key) {
        Some(Value::String(value)) => Some(value.clone()),
        _ => None,
    };
    let size = |key: &str| match object.get(key) {
        Some(Value::Number(value)) => value
            .as_u64()
            .or_else(|| {
                value
                    .as_f64()
                    .filter(|v| v.is_finite() && *v >= 0.0)
                    .map(|v| v.round() as u64)
            })
            .and_then(|v| parse_dimension(&v.to_string())),
        Some(Value::String(value)) => parse_dimension(value),
        _ => None,
    };
    Some(OEmbed {
        kind: text("type").map(|kind| kind.to_ascii_lowercase()),
        title: text("title"),
        author_name: text("author_name"),
        author_url: text("author_url"),
        provider_name: text("provider_name"),
        provider_url: text("provider_url"),
        url: text("url"),
        thumbnail_url: text("thumbnail_url"),
        thumbnail_width: size("thumbnail_width"),
        thumbnail_height: size("thumbnail_height"),
        width: size("width"),
        height: size("height"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(link: &str) -> Option<String> {
        provider_endpoint(&Url::parse(link).unwrap()).map(String::from)
    }

    #[test]
    fn known_providers_map_to_their_endpoints() {
        let cases = [
            (
                "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                "https://www.youtube.com/oembed?",
            ),
            (
                "https://youtu.be/dQw4w9WgXcQ",
                "https://www.youtube.com/oembed?",
            ),
            (
                "https://m.youtube.com/shorts/abc",
                "https://www.youtube.com/oembed?",
            ),
            (
                "https://vimeo.com/76979871",
                "https://vimeo.com/api/oembed.json?",
            ),
            (
                "https://soundcloud.com/artist/track",
                "https://soundcloud.com/oembed?",
            ),
            (
                "https://open.spotify.com/intl-de/track/4uLU6hMCjMI75M1A2tKUQC",
                "https://open.spotify.com/oembed?",
            ),
            (
                "https://x.com/someone/status/123",
                "https://publish.twitter.com/oembed?",
            ),
            (
                "https://twitter.com/someone/status/123",
                "https://publish.twitter.com/oembed?",
            ),
            (
                "https://old.reddit.com/r/rust/comments/abc/title/",
                "https://www.reddit.com/oembed?",
            ),
            (
                "https://www.tiktok.com/@someone/video/123",
                "https://www.tiktok.com/oembed?",
            ),
        ];
        for (link, expected) in cases {
            let found = endpoint(link).unwrap_or_else(|| panic!("{link} has no endpoint"));
            assert!(found.starts_with(expected), "{link} → {found}");
            assert!(found.contains("format=json"));
        }
    }

    #[test]
    fn the_link_is_passed_to_the_endpoint_encoded() {
        let found = endpoint("https://www.youtube.com/watch?v=a&t=10").unwrap();
        let found = Url::parse(&found).unwrap();
        let url = found.query_pairs().find(|(k, _)| k == "url").unwrap().1;
        assert_eq!(url, "https://www.youtube.com/watch?v=a&t=10");
    }

    #[test]
    fn lookalike_hosts_and_other_paths_have_no_endpoint() {
        for link in [
            "https://notyoutube.com/watch?v=x",
            "https://youtube.com.evil.example/watch?v=x",
            "https://www.youtube.com/",
            "https://www.youtube.com/about",
            "https://x.com/someone",
            "https://vimeo.com/",
            "https://example.com/watch?v=x",
        ] {
            assert_eq!(endpoint(link), None, "{link}");
        }
    }

    #[test]
    fn answers_are_read_leniently_and_without_their_html() {
        let json = br#"{"type":"Video","version":"1.0","title":"A talk","author_name":"Someone",
            "author_url":"https://example.com/someone","provider_name":"Example",
            "provider_url":"https://example.com/","thumbnail_url":"https://example.com/t.jpg",
            "thumbnail_width":"480","thumbnail_height":360,"width":640.0,"height":"360",
            "html":"<iframe src=\"https://example.com/embed\"></iframe>"}"#;
        let answer = parse(json).unwrap();
        assert_eq!(answer.kind.as_deref(), Some("video"));
        assert_eq!(answer.title.as_deref(), Some("A talk"));
        assert_eq!(answer.author_name.as_deref(), Some("Someone"));
        assert_eq!(answer.thumbnail_width, Some(480));
        assert_eq!(answer.thumbnail_height, Some(360));
        assert_eq!(answer.width, Some(640));
        assert_eq!(answer.height, Some(360));
        assert!(!format!("{answer:?}").contains("iframe"));
    }

    #[test]
    fn non_objects_and_implausible_sizes_are_rejected() {
        assert_eq!(parse(b"[1,2]"), None);
        assert_eq!(parse(b"not json"), None);
        let answer = parse(br#"{"width":-1,"height":1e12,"title":5}"#).unwrap();
        assert_eq!(
            (answer.width, answer.height, answer.title),
            (None, None, None)
        );
    }
}
