//! Instance invite codes and their limits.

use crate::ValidationError;

pub const INVITE_CODE_LEN: usize = 10;
/// Invites cannot outlive a year; "never expires" is expressed as no expiry at all.
pub const INVITE_MAX_AGE_SECS: u64 = 365 * 24 * 3600;
pub const INVITE_MAX_USES: u32 = 100_000;
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

/// A code as it appears in links: 10 characters from an alphabet without look-alikes (0/O, 1/l/I).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InviteCode(String);

impl InviteCode {
    /// Builds a code from random bytes supplied by the caller (who owns the CSPRNG). Rejection sampling
    /// is unnecessary: 57 symbols over 256 byte values bias the distribution by under 0.5%, and a
    /// 10-symbol code still carries more than 58 bits.
    pub fn from_random(bytes: [u8; INVITE_CODE_LEN]) -> Self {
        Self(
            bytes
                .iter()
                .map(|b| CODE_ALPHABET[*b as usize % CODE_ALPHABET.len()] as char)
                .collect(),
        )
    }

    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        if raw.len() != INVITE_CODE_LEN || !raw.bytes().all(|b| CODE_ALPHABET.contains(&b)) {
            return Err(ValidationError::Invalid("not an invite code"));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How long an invite lives and how often it may be used; `None` means unlimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct InviteLimits {
    pub max_uses: Option<u32>,
    pub max_age_secs: Option<u64>,
}

impl InviteLimits {
    /// Both limits at once, for callers with no per-field reporting (the command line).
    pub fn parse(
        max_uses: Option<u64>,
        max_age_secs: Option<u64>,
    ) -> Result<Self, ValidationError> {
        Ok(Self {
            max_uses: Self::parse_max_uses(max_uses)?,
            max_age_secs: Self::parse_max_age(max_age_secs)?,
        })
    }

    /// Discord's convention: absent or 0 means unlimited.
    pub fn parse_max_uses(raw: Option<u64>) -> Result<Option<u32>, ValidationError> {
        match raw {
            None | Some(0) => Ok(None),
            Some(n) if n <= INVITE_MAX_USES as u64 => Ok(Some(n as u32)),
            Some(_) => Err(ValidationError::Range {
                min: 0,
                max: INVITE_MAX_USES as i64,
            }),
        }
    }

    /// Seconds; absent or 0 means the invite never expires.
    pub fn parse_max_age(raw: Option<u64>) -> Result<Option<u64>, ValidationError> {
        match raw {
            None | Some(0) => Ok(None),
            Some(n) if n <= INVITE_MAX_AGE_SECS => Ok(Some(n)),
            Some(_) => Err(ValidationError::Range {
                min: 0,
                max: INVITE_MAX_AGE_SECS as i64,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn every_generated_code_parses(bytes in any::<[u8; INVITE_CODE_LEN]>()) {
            let code = InviteCode::from_random(bytes);
            prop_assert_eq!(InviteCode::parse(code.as_str()), Ok(code));
        }

        #[test]
        fn limits_within_bounds_are_kept(uses in 1u64..=100_000, age in 1u64..=INVITE_MAX_AGE_SECS) {
            let limits = InviteLimits::parse(Some(uses), Some(age)).unwrap();
            prop_assert_eq!(limits.max_uses, Some(uses as u32));
            prop_assert_eq!(limits.max_age_secs, Some(age));
        }
    }

    #[test]
    fn rejects_malformed_codes_and_excessive_limits() {
        for bad in ["", "short", "ABCDEFGHJ0", "ABCDEFGHJK1", "ABCDE/GHJK"] {
            assert!(InviteCode::parse(bad).is_err(), "{bad:?}");
        }
        assert!(InviteLimits::parse(Some(100_001), None).is_err());
        assert!(InviteLimits::parse(None, Some(INVITE_MAX_AGE_SECS + 1)).is_err());
        assert_eq!(
            InviteLimits::parse(Some(0), Some(0)).unwrap(),
            InviteLimits::default()
        );
    }
}
