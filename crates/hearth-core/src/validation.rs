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

/// `raw` when it lies in `min..=max`, for integer fields whose error is their bounds.
pub(crate) fn check_range(raw: i64, min: i64, max: i64) -> Result<i64, ValidationError> {
    if (min..=max).contains(&raw) {
        Ok(raw)
    } else {
        Err(ValidationError::Range { min, max })
    }
}
