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
            _ => Err(ValidationError::Invalid(
                "expected one of open, invite, closed",
            )),
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
        for mode in [
            RegistrationMode::Open,
            RegistrationMode::Invite,
            RegistrationMode::Closed,
        ] {
            assert_eq!(RegistrationMode::parse(mode.as_str()), Ok(mode));
        }
        assert!(RegistrationMode::parse("Open").is_err());
    }
}

/// How an accepted registration enters the instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// The first account on an empty instance: it becomes the owner and an admin, whatever the mode.
    Owner,
    /// An ordinary account that needs nothing more.
    Member,
    /// An ordinary account that must consume one use of the invite it presented.
    MemberByInvite,
}

/// Why a registration was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Closed,
    InviteRequired,
}

/// Who is asking for the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applicant {
    /// Self-service registration over the API, with or without an invite code.
    Public { has_invite: bool },
    /// An instance administrator (or the command line) creating an account: the mode does not apply.
    Administrator,
}

/// The registration rule in one place. The store calls it inside the transaction that creates the account,
/// after claiming (or failing to claim) the instance owner slot, so that two simultaneous "first"
/// registrations cannot both become owner.
pub fn admit(
    mode: RegistrationMode,
    is_first_account: bool,
    applicant: Applicant,
) -> Result<Admission, Refusal> {
    if is_first_account {
        return Ok(Admission::Owner);
    }
    match (applicant, mode) {
        (Applicant::Administrator, _) | (Applicant::Public { .. }, RegistrationMode::Open) => {
            Ok(Admission::Member)
        }
        (Applicant::Public { has_invite: true }, RegistrationMode::Invite) => {
            Ok(Admission::MemberByInvite)
        }
        (Applicant::Public { has_invite: false }, RegistrationMode::Invite) => {
            Err(Refusal::InviteRequired)
        }
        (Applicant::Public { .. }, RegistrationMode::Closed) => Err(Refusal::Closed),
    }
}

#[cfg(test)]
mod admission_tests {
    use super::*;

    #[test]
    fn the_first_account_is_always_admitted_as_owner() {
        for mode in [
            RegistrationMode::Open,
            RegistrationMode::Invite,
            RegistrationMode::Closed,
        ] {
            assert_eq!(
                admit(mode, true, Applicant::Public { has_invite: false }),
                Ok(Admission::Owner)
            );
        }
    }

    #[test]
    fn later_accounts_follow_the_mode() {
        let public = |has_invite| Applicant::Public { has_invite };
        assert_eq!(
            admit(RegistrationMode::Open, false, public(false)),
            Ok(Admission::Member)
        );
        assert_eq!(
            admit(RegistrationMode::Open, false, public(true)),
            Ok(Admission::Member)
        );
        assert_eq!(
            admit(RegistrationMode::Invite, false, public(true)),
            Ok(Admission::MemberByInvite)
        );
        assert_eq!(
            admit(RegistrationMode::Invite, false, public(false)),
            Err(Refusal::InviteRequired)
        );
        assert_eq!(
            admit(RegistrationMode::Closed, false, public(true)),
            Err(Refusal::Closed)
        );
        assert_eq!(
            admit(RegistrationMode::Closed, false, Applicant::Administrator),
            Ok(Admission::Member)
        );
    }
}
