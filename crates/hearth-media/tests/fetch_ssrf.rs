//! The fetcher never reaches the server's own network: literal addresses in every spelling,
//! names that resolve inward, and redirects that point inward are all refused before connecting.

mod fetch_fixture;

use std::collections::HashMap;
use std::net::IpAddr;

use fetch_fixture::{Fixture, Reply, fetcher_for, policy_for, strict_fetcher};
use hearth_media::fetch::{FetchError, FetchPolicy, SafeFetcher};
use url::Url;

async fn refusal(fetcher: &SafeFetcher, link: &str) -> FetchError {
    let url = Url::parse(link).unwrap();
    match fetcher.fetch_page(&url).await {
        Ok(fetched) => panic!("{link} was fetched: {:?}", fetched.final_url),
        Err(err) => err,
    }
}

fn forbidden_ip(err: &FetchError) -> IpAddr {
    match err {
        FetchError::Forbidden { ip, .. } => *ip,
        other => panic!("expected a forbidden address, got {other:?}"),
    }
}

#[tokio::test]
async fn literal_private_and_special_ipv4_addresses_are_refused() {
    let fetcher = strict_fetcher();
    for link in [
        "http://127.0.0.1/",
        "http://127.1.2.3:8080/",
        "http://10.0.0.1/",
        "http://172.16.5.4/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/",
        "http://0.0.0.0/",
        "http://255.255.255.255/",
        "http://224.0.0.1/",
        "http://192.0.2.1/",
        "https://198.18.0.1/",
        "http://127.0.0.1./",
    ] {
        let err = refusal(&fetcher, link).await;
        assert!(is_forbidden(&err), "{link}: {err:?}");
    }
}

fn is_forbidden(err: &FetchError) -> bool {
    matches!(err, FetchError::Forbidden { .. })
}

#[tokio::test]
async fn decimal_octal_and_hex_spellings_of_loopback_are_refused() {
    let fetcher = strict_fetcher();
    let loopback: IpAddr = "127.0.0.1".parse().unwrap();
    for link in [
        "http://2130706433/",
        "http://0177.0.0.1/",
        "http://0x7f.1/",
        "http://0x7f000001/",
        "http://127.1/",
        "http://017700000001/",
    ] {
        let err = refusal(&fetcher, link).await;
        assert_eq!(forbidden_ip(&err), loopback, "{link}");
    }
}

#[tokio::test]
async fn special_ipv6_forms_are_refused() {
    let fetcher = strict_fetcher();
    for link in [
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/",
        "http://[::ffff:a9fe:a9fe]/",
        "http://[fe80::1]/",
        "http://[fd00::1]/",
        "http://[fec0::1]/",
        "http://[64:ff9b::7f00:1]/",
        "http://[64:ff9b::a00:1]/",
        "http://[2002:7f00:1::1]/",
        "http://[2001:0:4136:e378::1]/",
        "http://[::127.0.0.1]/",
        "http://[::]/",
    ] {
        let err = refusal(&fetcher, link).await;
        assert!(is_forbidden(&err), "{link}: {err:?}");
    }
}

#[tokio::test]
async fn only_http_and_https_are_fetched() {
    let fetcher = strict_fetcher();
    for (link, scheme) in [
        ("file:///etc/passwd", "file"),
        ("ftp://example.com/x", "ftp"),
        ("gopher://example.com/", "gopher"),
        ("data:text/html,hello", "data"),
    ] {
        let err = refusal(&fetcher, link).await;
        assert!(
            matches!(&err, FetchError::BadScheme(s) if s == scheme),
            "{link}: {err:?}"
        );
    }
}

fn with_names(names: &[(&str, &[&str])]) -> SafeFetcher {
    let table: HashMap<String, Vec<IpAddr>> = names
        .iter()
        .map(|(name, ips)| {
            (
                (*name).to_owned(),
                ips.iter().map(|ip| ip.parse().unwrap()).collect(),
            )
        })
        .collect();
    SafeFetcher::with_static_resolver(FetchPolicy::default(), table).unwrap()
}

#[tokio::test]
async fn a_name_resolving_to_a_private_address_is_refused() {
    let fetcher = with_names(&[("intranet.example", &["10.0.0.1"])]);
    let err = refusal(&fetcher, "http://intranet.example/").await;
    assert_eq!(forbidden_ip(&err), "10.0.0.1".parse::<IpAddr>().unwrap());
}

#[tokio::test]
async fn a_name_resolving_to_public_and_private_addresses_is_refused_whole() {
    // Refused rather than filtered: the connector must never get a chance at the private one.
    let fetcher = with_names(&[("mixed.example", &["93.184.216.34", "192.168.0.10"])]);
    let err = refusal(&fetcher, "https://mixed.example/").await;
    assert_eq!(
        forbidden_ip(&err),
        "192.168.0.10".parse::<IpAddr>().unwrap()
    );
}

#[tokio::test]
async fn a_name_resolving_to_an_ipv6_loopback_is_refused() {
    let fetcher = with_names(&[("six.example", &["::1"])]);
    let err = refusal(&fetcher, "http://six.example/").await;
    assert_eq!(forbidden_ip(&err), "::1".parse::<IpAddr>().unwrap());
}

#[tokio::test]
async fn localhost_is_refused_like_its_address() {
    let fetcher = with_names(&[("localhost", &["127.0.0.1"])]);
    let err = refusal(&fetcher, "http://LOCALHOST:8080/").await;
    assert!(is_forbidden(&err), "{err:?}");
}

#[tokio::test]
async fn a_name_that_does_not_resolve_is_a_network_error() {
    let fetcher = with_names(&[]);
    let err = refusal(&fetcher, "http://nowhere.example/").await;
    assert!(matches!(err, FetchError::Network(_)), "{err:?}");
}

#[tokio::test]
async fn the_connection_goes_to_the_address_the_resolver_vetted() {
    let fixture = Fixture::start(|_| Reply::html("<title>pinned</title>")).await;
    let table = HashMap::from([("pinned.example".to_owned(), vec![fixture.addr.ip()])]);
    let fetcher = SafeFetcher::with_static_resolver(policy_for(&[&fixture]), table).unwrap();
    let url = Url::parse(&format!(
        "http://pinned.example:{}/page",
        fixture.addr.port()
    ))
    .unwrap();
    let fetched = fetcher.fetch_page(&url).await.unwrap();
    assert_eq!(&fetched.body[..], b"<title>pinned</title>");
    let seen = fixture.seen();
    assert_eq!(
        seen[0].header("host"),
        Some(format!("pinned.example:{}", fixture.addr.port()).as_str())
    );
}

#[tokio::test]
async fn a_fixture_is_unreachable_without_the_allowlist() {
    let fixture = Fixture::start(|_| Reply::html("secret")).await;
    let err = refusal(&strict_fetcher(), fixture.url("/").as_str()).await;
    assert!(is_forbidden(&err), "{err:?}");
    assert!(fixture.seen().is_empty());
}

#[tokio::test]
async fn a_redirect_to_a_loopback_port_off_the_allowlist_is_refused() {
    let inner = Fixture::start(|_| Reply::html("internal admin")).await;
    let target = inner.url("/admin").to_string();
    let outer = Fixture::start(move |_| Reply::redirect(&target)).await;
    let err = refusal(&fetcher_for(&[&outer]), outer.url("/").as_str()).await;
    assert!(is_forbidden(&err), "{err:?}");
    assert!(inner.seen().is_empty(), "the inner server was contacted");
}

#[tokio::test]
async fn a_redirect_to_the_cloud_metadata_address_is_refused() {
    let outer = Fixture::start(|_| {
        Reply::status(301).header("Location", "http://169.254.169.254/latest/meta-data/iam/")
    })
    .await;
    let err = refusal(&fetcher_for(&[&outer]), outer.url("/").as_str()).await;
    assert_eq!(
        forbidden_ip(&err),
        "169.254.169.254".parse::<IpAddr>().unwrap()
    );
}

#[tokio::test]
async fn redirects_in_every_spelling_are_checked() {
    for location in [
        "http://2130706433/",
        "http://[::ffff:7f00:1]/",
        "//10.1.1.1/x",
        "http://0x7f.1:1/",
    ] {
        let target = location.to_owned();
        let outer = Fixture::start(move |_| Reply::status(307).header("Location", &target)).await;
        let err = refusal(&fetcher_for(&[&outer]), outer.url("/").as_str()).await;
        assert!(is_forbidden(&err), "{location}: {err:?}");
    }
}

#[tokio::test]
async fn a_redirect_to_another_scheme_is_refused() {
    let outer = Fixture::start(|_| Reply::redirect("file:///etc/passwd")).await;
    let err = refusal(&fetcher_for(&[&outer]), outer.url("/").as_str()).await;
    assert!(matches!(err, FetchError::BadScheme(_)), "{err:?}");
}

#[tokio::test]
async fn a_redirect_to_a_name_resolving_inward_is_refused() {
    let outer = Fixture::start(|_| Reply::redirect("http://metadata.internal/")).await;
    let table = HashMap::from([(
        "metadata.internal".to_owned(),
        vec!["169.254.169.254".parse().unwrap()],
    )]);
    let fetcher = SafeFetcher::with_static_resolver(policy_for(&[&outer]), table).unwrap();
    let err = refusal(&fetcher, outer.url("/").as_str()).await;
    assert!(is_forbidden(&err), "{err:?}");
}
