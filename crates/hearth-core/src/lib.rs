//! Hearth's domain: ids, validated names and secrets, registration rules. No I/O, no async, no serde.
//!
//! Everything a client sends is parsed into one of these types at the edge; code deeper in the server
//! receives the parsed type and never re-validates it.

pub mod id;
pub mod invite;
pub mod profile;
pub mod registration;
pub mod secret;
pub mod username;
pub mod validation;

pub use id::{NodeId, Snowflake, SnowflakeGenerator};
pub use invite::{InviteCode, InviteLimits};
pub use profile::{Bio, DisplayName, Pronouns};
pub use registration::{Admission, Applicant, Refusal, RegistrationMode};
pub use secret::Password;
pub use username::Username;
pub use validation::ValidationError;
