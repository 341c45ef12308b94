//! The one error a parse at the edge can produce: which rule a value broke, in words for humans.

/// Why a value was rejected. The server attaches it to the field it came from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    #[error("must be between {min} and {max} characters long")]
    Length { min: usize, max: usize },
    #[error("contains characters that are not allowed: {0}")]
    Charset(&'static str),
    #[error("is reserved")]
    Reserved,
    #[error("must be between {min} and {max}")]
    Range { min: i64, max: i64 },
    #[error("is not valid: {0}")]
    Invalid(&'static str),
}
