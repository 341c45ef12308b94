//! Frames on the wire: parsing what clients send, and building what the server sends.
//!
//! A dispatch frame is built by wrapping the event's shared payload bytes with this session's header
//! (`op`, `s`, `t`); the payload itself is never re-serialized per recipient.

use hearth_protocol::gateway::{close, op};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::bus::Dispatch;

/// A client frame, decoded just enough to route it.
#[derive(Debug, Deserialize)]
struct RawFrame<'a> {
    op: u8,
    #[serde(borrow, default)]
    d: Option<&'a RawValue>,
}

/// What a client asked for.
#[derive(Debug)]
pub enum Inbound {
    Heartbeat,
    Identify(hearth_protocol::gateway::Identify),
    PresenceUpdate(hearth_protocol::gateway::PresenceUpdate),
    /// Voice arrives with voice support; the frame is accepted and ignored until then.
    VoiceStateUpdate,
    Resume(hearth_protocol::gateway::Resume),
}

/// Why a frame was refused, as the close code to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal(pub u16);

pub fn parse(text: &str) -> Result<Inbound, Refusal> {
    let frame: RawFrame<'_> =
        serde_json::from_str(text).map_err(|_| Refusal(close::DECODE_ERROR))?;
    let payload = || frame.d.map(RawValue::get).unwrap_or("null");
    let decode = |e: serde_json::Error| {
        tracing::debug!(error = %e, "undecodable gateway payload");
        Refusal(close::DECODE_ERROR)
    };
    Ok(match frame.op {
        op::HEARTBEAT => Inbound::Heartbeat,
        op::IDENTIFY => Inbound::Identify(serde_json::from_str(payload()).map_err(decode)?),
        op::PRESENCE_UPDATE => {
            Inbound::PresenceUpdate(serde_json::from_str(payload()).map_err(decode)?)
        }
        op::VOICE_STATE_UPDATE => Inbound::VoiceStateUpdate,
        op::RESUME => Inbound::Resume(serde_json::from_str(payload()).map_err(decode)?),
        _ => return Err(Refusal(close::UNKNOWN_OPCODE)),
    })
}

/// `{"op":0,"s":seq,"t":name,"d":payload}` around the shared payload bytes.
pub fn dispatch_frame(seq: u64, dispatch: &Dispatch) -> String {
    let data = std::str::from_utf8(&dispatch.data).unwrap_or("null");
    let mut frame = String::with_capacity(data.len() + dispatch.name.len() + 40);
    frame.push_str("{\"op\":0,\"s\":");
    frame.push_str(&seq.to_string());
    frame.push_str(",\"t\":\"");
    frame.push_str(dispatch.name);
    frame.push_str("\",\"d\":");
    frame.push_str(data);
    frame.push('}');
    frame
}

/// A non-dispatch frame: `{"op":op,"d":payload}`.
pub fn op_frame(op: u8, payload: &impl serde::Serialize) -> String {
    let data = serde_json::to_string(payload).unwrap_or_else(|_| "null".to_owned());
    format!("{{\"op\":{op},\"d\":{data}}}")
}

/// `?compress=zstd-stream`: one zstd stream per connection, flushed after every frame, so each
/// binary WebSocket message decodes to exactly one JSON frame while the window carries context (key
/// names, ids) from frame to frame. The window and tables are kept small because each connection
/// holds its own compressor.
pub struct Compressor(zstd::stream::write::Encoder<'static, Vec<u8>>);

/// 2^16: a 64 KiB window, plenty for frames of a few KiB.
const ZSTD_WINDOW_LOG: u32 = 16;
const ZSTD_HASH_LOG: u32 = 13;
const ZSTD_CHAIN_LOG: u32 = 13;
const ZSTD_LEVEL: i32 = 3;

impl Compressor {
    pub fn new() -> std::io::Result<Self> {
        use zstd::stream::raw::CParameter;
        let mut encoder = zstd::stream::write::Encoder::new(Vec::new(), ZSTD_LEVEL)?;
        encoder.set_parameter(CParameter::WindowLog(ZSTD_WINDOW_LOG))?;
        encoder.set_parameter(CParameter::HashLog(ZSTD_HASH_LOG))?;
        encoder.set_parameter(CParameter::ChainLog(ZSTD_CHAIN_LOG))?;
        encoder.include_checksum(false)?;
        Ok(Self(encoder))
    }

    /// The compressed bytes of one frame, decodable as soon as they arrive.
    pub fn compress(&mut self, frame: &str) -> std::io::Result<Vec<u8>> {
        use std::io::Write;
        self.0.write_all(frame.as_bytes())?;
        self.0.flush()?;
        Ok(std::mem::take(self.0.get_mut()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bus::Audience;
    use hearth_core::Snowflake;

    #[test]
    fn dispatch_frames_wrap_the_shared_payload() {
        let dispatch = Dispatch {
            name: "MESSAGE_CREATE",
            audience: Audience::User(Snowflake::from_db(1)),
            data: bytes::Bytes::from_static(br#"{"id":"5","content":"hi \"there\""}"#),
        };
        let frame: serde_json::Value = serde_json::from_str(&dispatch_frame(7, &dispatch)).unwrap();
        assert_eq!(frame["op"], 0);
        assert_eq!(frame["s"], 7);
        assert_eq!(frame["t"], "MESSAGE_CREATE");
        assert_eq!(frame["d"]["content"], "hi \"there\"");
    }

    #[test]
    fn each_compressed_frame_decodes_on_its_own_in_one_stream() {
        use std::io::Write;
        let mut compressor = Compressor::new().unwrap();
        let mut decoder = zstd::stream::write::Decoder::new(Vec::new()).unwrap();
        for n in 0..20 {
            let frame =
                format!(r#"{{"op":0,"s":{n},"t":"MESSAGE_CREATE","d":{{"content":"hello"}}}}"#);
            let packet = compressor.compress(&frame).unwrap();
            decoder.write_all(&packet).unwrap();
            decoder.flush().unwrap();
            assert_eq!(std::mem::take(decoder.get_mut()), frame.as_bytes());
        }
    }

    #[test]
    fn bad_frames_map_to_discords_close_codes() {
        assert_eq!(parse("not json").unwrap_err(), Refusal(close::DECODE_ERROR));
        assert_eq!(
            parse(r#"{"op":99}"#).unwrap_err(),
            Refusal(close::UNKNOWN_OPCODE)
        );
        assert_eq!(
            parse(r#"{"op":2,"d":{"tok":1}}"#).unwrap_err(),
            Refusal(close::DECODE_ERROR)
        );
        assert_eq!(
            parse(r#"{"d":{}}"#).unwrap_err(),
            Refusal(close::DECODE_ERROR)
        );
        assert!(matches!(
            parse(r#"{"op":1,"d":null}"#),
            Ok(Inbound::Heartbeat)
        ));
        assert!(matches!(
            parse(r#"{"op":6,"d":{"token":"t","session_id":"s","seq":3}}"#),
            Ok(Inbound::Resume(_))
        ));
    }
}
