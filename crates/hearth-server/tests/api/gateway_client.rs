//! A gateway client for tests: a real WebSocket speaking the documented protocol, with helpers that
//! wait for a named dispatch or prove that none arrives.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::helpers::TestApp;

/// How long a test waits for a frame it expects.
const PATIENCE: Duration = Duration::from_secs(5);

pub struct GatewayClient {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    /// The last sequence number received.
    pub seq: u64,
    pub session_id: Option<String>,
    pub heartbeat_interval: u64,
    /// Set for `compress=zstd-stream` connections: one stream for the whole connection.
    decoder: Option<zstd::stream::write::Decoder<'static, Vec<u8>>>,
}

/// What the server did with the connection.
#[derive(Debug, PartialEq)]
pub enum Frame {
    Json(Value),
    Closed(Option<u16>),
}

impl TestApp {
    pub fn gateway_url(&self) -> String {
        format!("{}/gateway", self.address.replacen("http", "ws", 1))
    }

    /// Connects and reads Hello.
    pub async fn gateway(&self) -> GatewayClient {
        let (ws, _) = tokio_tungstenite::connect_async(self.gateway_url())
            .await
            .expect("gateway connects");
        GatewayClient::after_connect(ws).await
    }

    /// Connects with `?compress=zstd-stream` and reads Hello.
    pub async fn gateway_compressed(&self) -> GatewayClient {
        let url = format!(
            "{}?v=10&encoding=json&compress=zstd-stream",
            self.gateway_url()
        );
        let (ws, _) = tokio_tungstenite::connect_async(url)
            .await
            .expect("gateway connects");
        GatewayClient::start(
            ws,
            Some(zstd::stream::write::Decoder::new(Vec::new()).unwrap()),
        )
        .await
    }

    /// Connects, identifies and reads READY and every GUILD_CREATE; returns (client, READY, guilds).
    pub async fn identified(&self, token: &str) -> (GatewayClient, Value, Vec<Value>) {
        let mut client = self.gateway().await;
        let ready = client.identify(token).await;
        let count = ready["guilds"].as_array().map_or(0, Vec::len);
        let mut guilds = Vec::new();
        for _ in 0..count {
            guilds.push(client.expect_dispatch("GUILD_CREATE").await);
        }
        (client, ready, guilds)
    }
}

impl GatewayClient {
    pub async fn after_connect(ws: WebSocketStream<MaybeTlsStream<TcpStream>>) -> Self {
        Self::start(ws, None).await
    }

    async fn start(
        ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
        decoder: Option<zstd::stream::write::Decoder<'static, Vec<u8>>>,
    ) -> Self {
        let mut client = Self {
            ws,
            seq: 0,
            session_id: None,
            heartbeat_interval: 0,
            decoder,
        };
        let hello = client.next_json().await;
        assert_eq!(hello["op"], 10, "first frame is Hello: {hello}");
        client.heartbeat_interval = hello["d"]["heartbeat_interval"].as_u64().unwrap();
        client
    }

    pub async fn send(&mut self, frame: Value) {
        self.ws
            .send(Message::Text(frame.to_string().into()))
            .await
            .expect("frame sent");
    }

    pub async fn send_raw(&mut self, message: Message) {
        // The server may already have closed; a failed send shows up as the close that follows.
        let _ = self.ws.send(message).await;
    }

    /// Identifies and returns READY's payload.
    pub async fn identify(&mut self, token: &str) -> Value {
        self.send(json!({"op": 2, "d": {"token": token, "properties": {"os": "linux"}}}))
            .await;
        let ready = self.expect_dispatch("READY").await;
        self.session_id = ready["session_id"].as_str().map(str::to_owned);
        ready
    }

    pub async fn heartbeat(&mut self) {
        let seq = self.seq;
        self.send(json!({"op": 1, "d": seq})).await;
    }

    /// The next frame or close, within the test's patience.
    pub async fn next(&mut self) -> Frame {
        loop {
            let message = tokio::time::timeout(PATIENCE, self.ws.next())
                .await
                .expect("a frame within 5 s");
            match message {
                None => return Frame::Closed(None),
                Some(Err(_)) => return Frame::Closed(None),
                Some(Ok(Message::Close(frame))) => {
                    return Frame::Closed(frame.map(|f: CloseFrame| u16::from(f.code)));
                }
                Some(Ok(message @ (Message::Text(_) | Message::Binary(_)))) => {
                    let text = self.decode(message);
                    let value: Value = serde_json::from_str(&text).expect("JSON frame");
                    if let Some(s) = value["s"].as_u64() {
                        assert_eq!(s, self.seq + 1, "sequence numbers have no gaps: {value}");
                        self.seq = s;
                    }
                    return Frame::Json(value);
                }
                Some(Ok(_)) => continue,
            }
        }
    }

    /// A frame's text: as sent, or decompressed from this connection's zstd stream.
    fn decode(&mut self, message: Message) -> String {
        use std::io::Write;
        match (message, self.decoder.as_mut()) {
            (Message::Text(text), None) => text.as_str().to_owned(),
            (Message::Binary(bytes), Some(decoder)) => {
                decoder.write_all(&bytes).expect("zstd data");
                decoder.flush().expect("zstd flush");
                String::from_utf8(std::mem::take(decoder.get_mut())).expect("UTF-8 frame")
            }
            (other, _) => panic!("frame of the wrong kind for this connection: {other:?}"),
        }
    }

    pub async fn next_json(&mut self) -> Value {
        match self.next().await {
            Frame::Json(v) => v,
            Frame::Closed(code) => {
                panic!("connection closed ({code:?}) while a frame was expected")
            }
        }
    }

    /// The next dispatch, skipping heartbeat acks.
    pub async fn next_dispatch(&mut self) -> (String, Value) {
        loop {
            let frame = self.next_json().await;
            if frame["op"] == 0 {
                return (frame["t"].as_str().unwrap().to_owned(), frame["d"].clone());
            }
        }
    }

    /// The next dispatch, which must be `name`.
    pub async fn expect_dispatch(&mut self, name: &str) -> Value {
        let (got, data) = self.next_dispatch().await;
        assert_eq!(got, name, "expected {name}, got {got}: {data}");
        data
    }

    /// Skips dispatches until one named `name` arrives.
    pub async fn wait_for(&mut self, name: &str) -> Value {
        loop {
            let (got, data) = self.next_dispatch().await;
            if got == name {
                return data;
            }
        }
    }

    /// Proves that no dispatch arrives within `window` (heartbeat acks are ignored).
    pub async fn expect_silence(&mut self, window: Duration) {
        let deadline = tokio::time::Instant::now() + window;
        loop {
            match tokio::time::timeout_at(deadline, self.ws.next()).await {
                Err(_) => return,
                Ok(Some(Ok(Message::Text(text)))) => {
                    let value: Value = serde_json::from_str(text.as_str()).unwrap();
                    assert_ne!(value["op"], 0, "unexpected dispatch: {value}");
                }
                Ok(Some(Ok(_))) => {}
                Ok(other) => panic!("connection ended: {other:?}"),
            }
        }
    }

    /// Waits for the server to close, returning the close code.
    pub async fn expect_close(&mut self) -> Option<u16> {
        loop {
            match self.next().await {
                Frame::Closed(code) => return code,
                Frame::Json(_) => continue,
            }
        }
    }

    /// Resumes on a new connection.
    pub async fn resume(app: &TestApp, token: &str, session_id: &str, seq: u64) -> Self {
        let mut client = app.gateway().await;
        client.seq = seq;
        client
            .send(json!({"op": 6, "d": {"token": token, "session_id": session_id, "seq": seq}}))
            .await;
        client.session_id = Some(session_id.to_owned());
        client
    }

    /// Drops the connection without a close handshake, as a lost network would.
    pub fn drop_connection(self) {
        drop(self.ws);
    }
}
