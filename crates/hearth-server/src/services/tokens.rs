//! Session tokens: 256 random bits from the OS, shown to the client once, stored only as SHA-256.
//!
//! A plain hash (not Argon2) is right here: the token has full entropy, so there is nothing to brute-force,
//! and the lookup must be a cheap indexed equality on every request. The lookup by hash also avoids a
//! timing side channel on comparison: the secret is never compared, only its digest is used as a key.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

const TOKEN_BYTES: usize = 32;
/// Length of the base64url text of a token.
pub const TOKEN_CHARS: usize = 43;

/// A fresh token for the client.
pub fn generate() -> String {
    let mut bytes = [0u8; TOKEN_BYTES];
    rand::fill(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The stored form of a token, or `None` when the text cannot be a token at all.
pub fn hash(token: &str) -> Option<String> {
    if token.len() != TOKEN_CHARS {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
    if bytes.len() != TOKEN_BYTES {
        return None;
    }
    Some(hex::encode(Sha256::digest(&bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_tokens_hash_and_differ() {
        let (a, b) = (generate(), generate());
        assert_ne!(a, b);
        assert_eq!(a.len(), TOKEN_CHARS);
        assert_eq!(hash(&a).unwrap().len(), 64);
        assert_ne!(hash(&a), hash(&b));
    }

    #[test]
    fn malformed_tokens_have_no_hash() {
        assert!(hash("").is_none());
        assert!(hash("short").is_none());
        assert!(hash(&"!".repeat(TOKEN_CHARS)).is_none());
    }
}
