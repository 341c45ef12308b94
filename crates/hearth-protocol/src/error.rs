//! The error envelope every failed request answers with.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// `{"error": {"code": "...", "message": "...", "fields": {...}?}}`
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    /// Stable SCREAMING_SNAKE code, listed in docs/api.md; clients branch on this.
    pub code: String,
    /// For humans; may change between versions.
    pub message: String,
    /// Per-field problems for validation errors: field path → what is wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, String>>,
}
