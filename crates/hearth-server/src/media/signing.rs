//! Signed download addresses: `?ex=<expiry, unix seconds, hex>&hm=<HMAC-SHA256, hex>` over the
//! channel, the attachment and the expiry (Discord's scheme). A message is serialized once for all its
//! readers, so the signature cannot name the reader: it is a capability, short-lived, handed only to
//! members who can see the channel. Expiries are rounded up to a whole window so that the same
//! address is handed out for a while and browsers can cache it.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use hearth_core::Snowflake;

type HmacSha256 = Hmac<Sha256>;

/// The name of the signing key in the store's shared secrets.
pub const KEY_NAME: &str = "media_url_key";

#[derive(Clone)]
pub struct UrlSigner {
    key: Vec<u8>,
    ttl_secs: u64,
}

impl UrlSigner {
    pub fn new(key: Vec<u8>, ttl_secs: u64) -> Self {
        Self {
            key,
            ttl_secs: ttl_secs.max(60),
        }
    }

    /// The expiry for an address handed out at `now_secs`: at least `ttl` ahead, rounded up to a
    /// multiple of half the ttl.
    pub fn expiry(&self, now_secs: u64) -> u64 {
        let window = (self.ttl_secs / 2).max(1);
        (now_secs + self.ttl_secs).div_ceil(window) * window
    }

    fn mac(&self, channel: Snowflake, attachment: Snowflake, expiry: u64) -> HmacSha256 {
        // Hmac accepts keys of any length.
        let mut mac = HmacSha256::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(format!("{channel}/{attachment}/{expiry}").as_bytes());
        mac
    }

    /// `ex=…&hm=…` for the attachment, valid until `expiry`.
    pub fn query(&self, channel: Snowflake, attachment: Snowflake, expiry: u64) -> String {
        let tag = self
            .mac(channel, attachment, expiry)
            .finalize()
            .into_bytes();
        format!("ex={expiry:x}&hm={}", hex::encode(tag))
    }

    /// Whether `ex` and `hm` (as received) sign this attachment and have not expired at `now_secs`.
    /// The tag is compared in constant time.
    pub fn verify(
        &self,
        channel: Snowflake,
        attachment: Snowflake,
        ex: &str,
        hm: &str,
        now_secs: u64,
    ) -> bool {
        let Ok(expiry) = u64::from_str_radix(ex, 16) else {
            return false;
        };
        if ex.len() > 16 || expiry < now_secs {
            return false;
        }
        let Ok(tag) = hex::decode(hm) else {
            return false;
        };
        self.mac(channel, attachment, expiry)
            .verify_slice(&tag)
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer() -> UrlSigner {
        UrlSigner::new(b"0123456789abcdef0123456789abcdef".to_vec(), 3600)
    }

    fn parts(query: &str) -> (String, String) {
        let mut ex = String::new();
        let mut hm = String::new();
        for pair in query.split('&') {
            match pair.split_once('=') {
                Some(("ex", v)) => ex = v.into(),
                Some(("hm", v)) => hm = v.into(),
                _ => {}
            }
        }
        (ex, hm)
    }

    #[test]
    fn a_signed_address_verifies_until_it_expires() {
        let s = signer();
        let (c, a) = (Snowflake::from_db(1), Snowflake::from_db(2));
        let expiry = s.expiry(1_000_000);
        assert!(expiry >= 1_000_000 + 3600);
        let (ex, hm) = parts(&s.query(c, a, expiry));
        assert!(s.verify(c, a, &ex, &hm, 1_000_000));
        assert!(s.verify(c, a, &ex, &hm, expiry));
        assert!(!s.verify(c, a, &ex, &hm, expiry + 1));
    }

    #[test]
    fn a_signature_is_bound_to_its_attachment_channel_and_expiry() {
        let s = signer();
        let (c, a) = (Snowflake::from_db(1), Snowflake::from_db(2));
        let expiry = s.expiry(0);
        let (ex, hm) = parts(&s.query(c, a, expiry));
        assert!(!s.verify(c, Snowflake::from_db(3), &ex, &hm, 0));
        assert!(!s.verify(Snowflake::from_db(9), a, &ex, &hm, 0));
        let later = format!("{:x}", expiry + 3600);
        assert!(!s.verify(c, a, &later, &hm, 0));
        let other = UrlSigner::new(b"another key".to_vec(), 3600);
        assert!(!other.verify(c, a, &ex, &hm, 0));
    }

    #[test]
    fn malformed_parameters_never_verify() {
        let s = signer();
        let (c, a) = (Snowflake::from_db(1), Snowflake::from_db(2));
        for (ex, hm) in [
            ("", ""),
            ("zz", "00"),
            ("ffffffffffffffffff", "00"),
            ("ffffffff", "not hex"),
            ("ffffffff", ""),
        ] {
            assert!(!s.verify(c, a, ex, hm, 0), "{ex} {hm}");
        }
    }

    #[test]
    fn addresses_are_stable_within_a_window() {
        let s = signer();
        assert_eq!(s.expiry(10_000), s.expiry(10_001));
    }
}
