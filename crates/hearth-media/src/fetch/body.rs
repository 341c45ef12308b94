//! Reading a response body without ever holding more than the cap.

use bytes::{Bytes, BytesMut};

use super::FetchError;

/// What to do with a body longer than its cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyLimit {
    /// Keep the first `n` bytes and stop reading (pages: what arrived is still worth parsing).
    Truncate(u64),
    /// Fail with [`FetchError::TooLarge`] (images: half a file is no file).
    Refuse(u64),
}

impl BodyLimit {
    pub fn bytes(self) -> u64 {
        match self {
            Self::Truncate(n) | Self::Refuse(n) => n,
        }
    }
}

/// Never reserve more than this up front, whatever Content-Length promises.
const MAX_INITIAL_CAPACITY: u64 = 64 * 1024;

/// The body, and whether it was cut short.
pub(crate) async fn read_capped(
    mut response: reqwest::Response,
    limit: BodyLimit,
) -> Result<(Bytes, bool), FetchError> {
    let cap = limit.bytes();
    let announced = response.content_length();
    if let (BodyLimit::Refuse(_), Some(length)) = (limit, announced)
        && length > cap
    {
        return Err(FetchError::TooLarge { limit: cap });
    }
    let capacity = announced.unwrap_or(0).min(cap).min(MAX_INITIAL_CAPACITY);
    let mut body = BytesMut::with_capacity(usize::try_from(capacity).unwrap_or(0));
    while let Some(chunk) = response.chunk().await.map_err(FetchError::from_reqwest)? {
        let room = cap.saturating_sub(body.len() as u64);
        if chunk.len() as u64 > room {
            return match limit {
                BodyLimit::Refuse(_) => Err(FetchError::TooLarge { limit: cap }),
                BodyLimit::Truncate(_) => {
                    // room < chunk.len() ≤ usize::MAX, so the conversion cannot fail.
                    let room = usize::try_from(room).unwrap_or(chunk.len());
                    body.extend_from_slice(&chunk[..room]);
                    Ok((body.freeze(), true))
                }
            };
        }
        body.extend_from_slice(&chunk);
    }
    Ok((body.freeze(), false))
}
