//! A small gateway load tool (the full benchmark harness is separate work): measures send→receive
//! latency over the gateway, and server memory per idle gateway connection.
//!
//! Against a fresh server with loose rate limits (see docs/gateway.md, "Measuring"):
//!   cargo run --release --example gateway_load -- latency http://127.0.0.1:8080 100
//!   cargo run --release --example gateway_load -- idle http://127.0.0.1:8080 10000 <server pid>

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

const PASSWORD: &str = "load test password";
/// Messages the latency run sends, and the pause between them.
const MESSAGES: usize = 200;
const SEND_INTERVAL: Duration = Duration::from_millis(50);

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

fn micros_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_micros() as u64
}

async fn post(http: &reqwest::Client, url: String, token: Option<&str>, body: Value) -> Value {
    let mut request = http.post(url).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("request");
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{status}: {body}");
    body
}

async fn register(http: &reqwest::Client, base: &str, name: &str) -> String {
    let body = post(
        http,
        format!("{base}/api/v1/auth/register"),
        None,
        json!({"username": name, "password": PASSWORD}),
    )
    .await;
    body["token"].as_str().unwrap().to_owned()
}

/// Connects and identifies; returns the socket after READY and every GUILD_CREATE.
async fn identify(base: &str, token: &str) -> Socket {
    let url = format!("{}/gateway", base.replacen("http", "ws", 1));
    let (mut ws, _) = tokio_tungstenite::connect_async(url)
        .await
        .expect("connect");
    ws.next().await.expect("hello").expect("hello");
    let identify = json!({"op": 2, "d": {"token": token}});
    ws.send(Message::Text(identify.to_string().into()))
        .await
        .expect("identify");
    let mut guilds = None;
    while guilds != Some(0) {
        let Some(Ok(Message::Text(text))) = ws.next().await else {
            panic!("connection ended before READY");
        };
        let frame: Value = serde_json::from_str(text.as_str()).unwrap();
        match frame["t"].as_str() {
            Some("READY") => guilds = Some(frame["d"]["guilds"].as_array().unwrap().len()),
            Some("GUILD_CREATE") => guilds = guilds.map(|n| n - 1),
            _ => {}
        }
    }
    ws
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index] as f64 / 1000.0
}

async fn latency(base: String, clients: usize) {
    let http = reqwest::Client::new();
    let owner = register(&http, &base, "loadowner").await;
    let patch = http
        .patch(format!("{base}/api/v1/admin/settings"))
        .bearer_auth(&owner)
        .json(&json!({"registration_mode": "open"}))
        .send()
        .await
        .unwrap();
    assert!(patch.status().is_success());
    let guild = post(
        &http,
        format!("{base}/api/v1/guilds"),
        Some(&owner),
        json!({"name": "Load"}),
    )
    .await;
    let channel = guild["system_channel_id"].as_str().unwrap().to_owned();
    let invite = post(
        &http,
        format!("{base}/api/v1/channels/{channel}/invites"),
        Some(&owner),
        json!({"max_age": 0}),
    )
    .await;
    let code = invite["code"].as_str().unwrap().to_owned();

    let mut tokens = Vec::new();
    for i in 0..clients {
        let token = register(&http, &base, &format!("load{i}")).await;
        post(
            &http,
            format!("{base}/api/v1/invites/{code}"),
            Some(&token),
            Value::Null,
        )
        .await;
        tokens.push(token);
    }
    let mut readers = Vec::new();
    for token in &tokens {
        let mut ws = identify(&base, token).await;
        readers.push(tokio::spawn(async move {
            let mut samples = Vec::with_capacity(MESSAGES);
            while samples.len() < MESSAGES {
                let Some(Ok(Message::Text(text))) = ws.next().await else {
                    break;
                };
                let frame: Value = serde_json::from_str(text.as_str()).unwrap();
                if frame["t"] == "MESSAGE_CREATE" {
                    let sent: u64 = frame["d"]["content"].as_str().unwrap().parse().unwrap();
                    samples.push(micros_now().saturating_sub(sent));
                }
            }
            samples
        }));
    }
    let started = std::time::Instant::now();
    for _ in 0..MESSAGES {
        post(
            &http,
            format!("{base}/api/v1/channels/{channel}/messages"),
            Some(&owner),
            json!({"content": micros_now().to_string()}),
        )
        .await;
        tokio::time::sleep(SEND_INTERVAL).await;
    }
    let mut all = Vec::new();
    for reader in readers {
        all.extend(reader.await.unwrap());
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_unstable();
    println!(
        "clients={clients} messages={MESSAGES} deliveries={} ({:.0}/s) send->receive p50={:.2}ms p99={:.2}ms max={:.2}ms",
        all.len(),
        all.len() as f64 / elapsed,
        percentile(&all, 0.5),
        percentile(&all, 0.99),
        percentile(&all, 1.0),
    );
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("server pid");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS")
}

async fn idle(base: String, connections: usize, pid: u32) {
    let http = reqwest::Client::new();
    let token = register(&http, &base, "idleowner").await;
    post(
        &http,
        format!("{base}/api/v1/guilds"),
        Some(&token),
        json!({"name": "Idle"}),
    )
    .await;
    // Warm the server up with one connection so that one-time allocations are not counted.
    let warm = identify(&base, &token).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let before = rss_kib(pid);
    let mut sockets = Vec::with_capacity(connections);
    for chunk in 0..connections.div_ceil(100) {
        let batch = (0..100.min(connections - chunk * 100)).map(|_| identify(&base, &token));
        sockets.extend(futures_util::future::join_all(batch).await);
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = rss_kib(pid);
    println!(
        "connections={connections} rss_before={before}KiB rss_after={after}KiB per_connection={:.1}KiB",
        (after.saturating_sub(before)) as f64 / connections as f64
    );
    drop(sockets);
    drop(warm);
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("latency") => latency(args[2].clone(), args[3].parse().unwrap()).await,
        Some("idle") => {
            idle(
                args[2].clone(),
                args[3].parse().unwrap(),
                args[4].parse().unwrap(),
            )
            .await
        }
        _ => eprintln!(
            "usage: gateway_load latency <url> <clients> | idle <url> <connections> <server pid>"
        ),
    }
}
