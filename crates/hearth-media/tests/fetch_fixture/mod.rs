//! A loopback HTTP/1.1 server for the fetch and preview tests: it answers every request from a
//! route function and records what it received, so tests can check what the fetcher sent.
#![allow(dead_code)] // each test file uses a different part of it

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use hearth_media::fetch::{FetchPolicy, SafeFetcher};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};
use url::Url;

/// A request as the fixture received it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub path: String,
    pub headers: Vec<(String, String)>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// How the fixture answers one request.
#[derive(Debug, Clone)]
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Bytes,
    has_length: bool,
    delay: Duration,
    drip: Option<Duration>,
}

impl Reply {
    pub fn status(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Bytes::new(),
            has_length: true,
            delay: Duration::ZERO,
            drip: None,
        }
    }

    pub fn bytes(content_type: &str, body: impl Into<Bytes>) -> Self {
        Self {
            body: body.into(),
            ..Self::status(200)
        }
        .header("Content-Type", content_type)
    }

    pub fn html(body: impl Into<String>) -> Self {
        Self::bytes("text/html; charset=utf-8", body.into())
    }

    pub fn json(body: impl Into<String>) -> Self {
        Self::bytes("application/json", body.into())
    }

    pub fn redirect(location: &str) -> Self {
        Self::status(302).header("Location", location)
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Waits this long before sending anything.
    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// Sends the headers at once, then the body one byte per `every`.
    pub fn dripping(mut self, every: Duration) -> Self {
        self.drip = Some(every);
        self
    }

    /// Sends no Content-Length: the body ends when the connection closes.
    pub fn without_length(mut self) -> Self {
        self.has_length = false;
        self
    }
}

type Route = dyn Fn(&Seen) -> Reply + Send + Sync;

pub struct Fixture {
    pub addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: JoinHandle<()>,
}

impl Fixture {
    pub async fn start(route: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let route: Arc<Route> = Arc::new(route);
        let recorded = Arc::clone(&seen);
        let task = tokio::spawn(async move {
            // Dropping the set (when the fixture is dropped) ends every connection too.
            let mut connections = JoinSet::new();
            while let Ok((stream, _)) = listener.accept().await {
                connections.spawn(serve(stream, Arc::clone(&route), Arc::clone(&recorded)));
            }
        });
        Self { addr, seen, task }
    }

    pub fn url(&self, path: &str) -> Url {
        Url::parse(&format!("http://{}{path}", self.addr)).unwrap()
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(mut stream: TcpStream, route: Arc<Route>, seen: Arc<Mutex<Vec<Seen>>>) {
    let Some(request) = read_head(&mut stream).await else {
        return;
    };
    seen.lock().unwrap().push(request.clone());
    let reply = route(&request);
    tokio::time::sleep(reply.delay).await;
    let mut head = format!("HTTP/1.1 {} Fixture\r\nConnection: close\r\n", reply.status);
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if reply.has_length {
        head.push_str(&format!("Content-Length: {}\r\n", reply.body.len()));
    }
    head.push_str("\r\n");
    if stream.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    match reply.drip {
        None => {
            // The client may hang up early (a truncated page): that is not the fixture's problem.
            let _ = stream.write_all(&reply.body).await;
        }
        Some(every) => {
            for byte in reply.body.iter() {
                if stream.write_all(&[*byte]).await.is_err() {
                    return;
                }
                tokio::time::sleep(every).await;
            }
        }
    }
    let _ = stream.shutdown().await;
}

async fn read_head(stream: &mut TcpStream) -> Option<Seen> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buffer.windows(4).any(|w| w == b"\r\n\r\n") {
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 || buffer.len() > 64 * 1024 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
    let text = String::from_utf8_lossy(&buffer);
    let mut lines = text.split("\r\n");
    let path = lines.next()?.split(' ').nth(1)?.to_owned();
    let headers = lines
        .take_while(|line| !line.is_empty())
        .filter_map(|line| {
            let (name, value) = line.split_once(':')?;
            Some((name.trim().to_owned(), value.trim().to_owned()))
        })
        .collect();
    Some(Seen { path, headers })
}

/// A policy that may reach exactly these fixtures, with a test-sized timeout.
pub fn policy_for(fixtures: &[&Fixture]) -> FetchPolicy {
    FetchPolicy {
        timeout: Duration::from_secs(5),
        allow_loopback_for_tests: fixtures.iter().map(|fixture| fixture.addr).collect(),
        ..FetchPolicy::default()
    }
}

pub fn fetcher_for(fixtures: &[&Fixture]) -> SafeFetcher {
    SafeFetcher::new(policy_for(fixtures)).unwrap()
}

/// A fetcher that may reach no fixture at all (the production policy).
pub fn strict_fetcher() -> SafeFetcher {
    SafeFetcher::new(FetchPolicy::default()).unwrap()
}
