//! What a permitted fetch is held to: redirect count, body caps, one timeout for everything, and
//! no state (cookies, credentials) carried between requests.

mod fetch_fixture;

use std::time::{Duration, Instant};

use fetch_fixture::{Fixture, Reply, fetcher_for, policy_for};
use hearth_media::fetch::{BodyLimit, FetchError, FetchPolicy, SafeFetcher};
use url::Url;

const MIB: usize = 1024 * 1024;

/// `/hop/N` redirects to `/hop/N-1`; `/hop/0` is the page.
async fn redirect_chain() -> Fixture {
    Fixture::start(|seen| {
        let hops: u32 = seen.path.trim_start_matches("/hop/").parse().unwrap_or(0);
        if hops == 0 {
            Reply::html("<title>end of the chain</title>")
        } else {
            Reply::redirect(&format!("/hop/{}", hops - 1))
        }
    })
    .await
}

#[tokio::test]
async fn three_redirects_are_followed() {
    let fixture = redirect_chain().await;
    let fetched = fetcher_for(&[&fixture])
        .fetch_page(&fixture.url("/hop/3"))
        .await
        .unwrap();
    assert_eq!(fetched.final_url, fixture.url("/hop/0"));
    assert_eq!(&fetched.body[..], b"<title>end of the chain</title>");
    assert_eq!(fixture.seen().len(), 4);
}

#[tokio::test]
async fn a_fourth_redirect_is_refused() {
    let fixture = redirect_chain().await;
    let err = fetcher_for(&[&fixture])
        .fetch_page(&fixture.url("/hop/4"))
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::TooManyRedirects(3)), "{err:?}");
    assert_eq!(
        fixture.seen().len(),
        4,
        "the fourth Location must not be requested"
    );
}

#[tokio::test]
async fn the_redirect_limit_comes_from_the_policy() {
    let fixture = redirect_chain().await;
    let policy = FetchPolicy {
        max_redirects: 0,
        ..policy_for(&[&fixture])
    };
    let fetcher = SafeFetcher::new(policy).unwrap();
    assert!(fetcher.fetch_page(&fixture.url("/hop/0")).await.is_ok());
    let err = fetcher
        .fetch_page(&fixture.url("/hop/1"))
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::TooManyRedirects(0)), "{err:?}");
}

#[tokio::test]
async fn relative_locations_resolve_against_the_current_url() {
    let fixture = Fixture::start(|seen| match seen.path.as_str() {
        "/a/b/start" => Reply::status(308).header("Location", "../c/next?x=1"),
        "/a/c/next?x=1" => Reply::status(303).header("Location", "/final"),
        "/final" => Reply::html("done"),
        _ => Reply::status(404),
    })
    .await;
    let fetched = fetcher_for(&[&fixture])
        .fetch_page(&fixture.url("/a/b/start"))
        .await
        .unwrap();
    assert_eq!(fetched.final_url, fixture.url("/final"));
    assert_eq!(&fetched.body[..], b"done");
}

#[tokio::test]
async fn error_statuses_and_redirects_without_location_are_http_errors() {
    let fixture = Fixture::start(|seen| match seen.path.as_str() {
        "/gone" => Reply::status(404),
        "/broken" => Reply::status(500),
        _ => Reply::status(302),
    })
    .await;
    let fetcher = fetcher_for(&[&fixture]);
    for (path, status) in [("/gone", 404), ("/broken", 500), ("/nowhere", 302)] {
        let err = fetcher.fetch_page(&fixture.url(path)).await.unwrap_err();
        assert!(
            matches!(err, FetchError::Http(s) if s.as_u16() == status),
            "{path}: {err:?}"
        );
    }
}

#[tokio::test]
async fn a_long_page_is_cut_at_the_cap_and_marked_truncated() {
    let fixture = Fixture::start(|_| Reply::html("x".repeat(5 * MIB))).await;
    let fetched = fetcher_for(&[&fixture])
        .fetch_page(&fixture.url("/"))
        .await
        .unwrap();
    assert!(fetched.truncated);
    assert_eq!(fetched.body.len(), MIB);
}

#[tokio::test]
async fn a_long_page_without_content_length_is_cut_too() {
    let fixture = Fixture::start(|_| Reply::html("y".repeat(3 * MIB)).without_length()).await;
    let fetched = fetcher_for(&[&fixture])
        .fetch_page(&fixture.url("/"))
        .await
        .unwrap();
    assert!(fetched.truncated);
    assert_eq!(fetched.body.len(), MIB);
}

#[tokio::test]
async fn a_page_exactly_at_the_cap_is_whole() {
    let fixture = Fixture::start(|_| Reply::html("z".repeat(MIB))).await;
    let fetched = fetcher_for(&[&fixture])
        .fetch_page(&fixture.url("/"))
        .await
        .unwrap();
    assert!(!fetched.truncated);
    assert_eq!(fetched.body.len(), MIB);
}

#[tokio::test]
async fn media_over_the_cap_is_refused_by_content_length_before_reading() {
    let fixture = Fixture::start(|_| Reply::bytes("image/png", vec![0u8; 2 * MIB])).await;
    let err = fetcher_for(&[&fixture])
        .fetch_media(&fixture.url("/big.png"), MIB as u64)
        .await
        .unwrap_err();
    assert!(
        matches!(err, FetchError::TooLarge { limit } if limit == MIB as u64),
        "{err:?}"
    );
}

#[tokio::test]
async fn media_over_the_cap_without_content_length_is_refused_while_reading() {
    let fixture =
        Fixture::start(|_| Reply::bytes("image/png", vec![0u8; 2 * MIB]).without_length()).await;
    let err = fetcher_for(&[&fixture])
        .fetch(&fixture.url("/big.png"), BodyLimit::Refuse(MIB as u64))
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::TooLarge { .. }), "{err:?}");
}

#[tokio::test]
async fn media_within_the_cap_arrives_whole_with_its_declared_type() {
    let fixture = Fixture::start(|_| Reply::bytes("image/webp", vec![7u8; 4096])).await;
    let fetched = fetcher_for(&[&fixture])
        .fetch_media(&fixture.url("/ok"), 4096)
        .await
        .unwrap();
    assert_eq!(fetched.body.len(), 4096);
    assert_eq!(fetched.content_type.as_deref(), Some("image/webp"));
    assert_eq!(fetched.status.as_u16(), 200);
}

fn impatient(fixture: &Fixture) -> SafeFetcher {
    SafeFetcher::new(FetchPolicy {
        timeout: Duration::from_millis(300),
        ..policy_for(&[fixture])
    })
    .unwrap()
}

#[tokio::test]
async fn a_server_slow_to_answer_times_out() {
    let fixture = Fixture::start(|_| Reply::html("late").delayed(Duration::from_secs(10))).await;
    let started = Instant::now();
    let err = impatient(&fixture)
        .fetch_page(&fixture.url("/"))
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::Timeout), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn a_body_that_trickles_in_times_out_as_a_whole() {
    // Each byte arrives well within any per-read timeout; only a total one stops it.
    let fixture =
        Fixture::start(|_| Reply::html("z".repeat(1000)).dripping(Duration::from_millis(20))).await;
    let started = Instant::now();
    let err = impatient(&fixture)
        .fetch_page(&fixture.url("/"))
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::Timeout), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn the_timeout_spans_all_redirect_hops() {
    let fixture = Fixture::start(|seen| {
        let hops: u32 = seen.path.trim_start_matches('/').parse().unwrap_or(0);
        let reply = if hops == 0 {
            Reply::html("end")
        } else {
            Reply::redirect(&format!("/{}", hops - 1))
        };
        reply.delayed(Duration::from_millis(120))
    })
    .await;
    let err = impatient(&fixture)
        .fetch_page(&fixture.url("/3"))
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::Timeout), "{err:?}");
}

#[tokio::test]
async fn cookies_set_by_a_site_are_never_sent_back() {
    let fixture = Fixture::start(|seen| match seen.path.as_str() {
        "/login" => Reply::redirect("/after").header("Set-Cookie", "session=abc; Path=/"),
        _ => Reply::html("ok").header("Set-Cookie", "tracker=xyz; Path=/"),
    })
    .await;
    let fetcher = fetcher_for(&[&fixture]);
    fetcher.fetch_page(&fixture.url("/login")).await.unwrap();
    fetcher.fetch_page(&fixture.url("/again")).await.unwrap();
    let seen = fixture.seen();
    assert_eq!(seen.len(), 3);
    for request in seen {
        assert_eq!(
            request.header("cookie"),
            None,
            "{} carried a cookie",
            request.path
        );
    }
}

#[tokio::test]
async fn requests_carry_the_user_agent_and_no_credentials_or_referer() {
    let fixture = Fixture::start(|seen| match seen.path.as_str() {
        "/start" => Reply::redirect("/end"),
        _ => Reply::html("ok"),
    })
    .await;
    let mut url = fixture.url("/start#fragment");
    url.set_username("user").unwrap();
    url.set_password(Some("secret")).unwrap();
    fetcher_for(&[&fixture]).fetch_page(&url).await.unwrap();
    for request in fixture.seen() {
        assert!(request.header("user-agent").unwrap().contains("Hearthbot"));
        assert_eq!(request.header("authorization"), None);
        assert_eq!(request.header("referer"), None);
        assert_eq!(
            request.header("accept-encoding"),
            None,
            "compression must not be negotiated"
        );
    }
}

#[tokio::test]
async fn any_port_is_allowed_for_permitted_addresses() {
    // The fixture listens on an arbitrary high port; nothing but the address is judged.
    let fixture = Fixture::start(|_| Reply::html("ok")).await;
    let url = Url::parse(&format!("http://{}/", fixture.addr)).unwrap();
    assert!(fetcher_for(&[&fixture]).fetch_page(&url).await.is_ok());
}
