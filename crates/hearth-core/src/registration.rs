//! Who may create an account on this instance.

use crate::ValidationError;

/// The instance's registration mode. The first account on an empty instance is always allowed (it becomes
/// the owner); after that this decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RegistrationMode {
    /// Anyone may register.
    Open,
    /// Registration needs a valid instance invite code.
    #[default]
    Invite,
    /// Nobody may register; admins create accounts.
    Closed,
}

impl RegistrationMode {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        match raw {
            "open" => Ok(Self::Open),
            "invite" => Ok(Self::Invite),
            "closed" => Ok(Self::Closed),
            _ => Err(ValidationError::Invalid("expected one of open, invite, closed")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Invite => "invite",
            Self::Closed => "closed",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_its_name() {
        for mode in [RegistrationMode::Open, RegistrationMode::Invite, RegistrationMode::Closed] {
            assert_eq!(RegistrationMode::parse(mode.as_str()), Ok(mode));
        }
        assert!(RegistrationMode::parse("Open").is_err());
    }
}
