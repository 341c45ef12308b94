//! Users as others see them, and as they see themselves.

use serde::{Deserialize, Serialize};

/// A user's public profile.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    /// Snowflake id.
    pub id: String,
    pub username: String,
    /// Display name shown instead of the username, when set (Discord's name for it).
    pub global_name: Option<String>,
    pub bio: String,
    pub pronouns: String,
    /// Avatar hash: the image is `/avatars/{id}/{hash}.png` (`.gif` when the hash starts with `a_`),
    /// `?size=` 64, 128, 256 or 512.
    pub avatar: Option<String>,
    /// Profile banner hash: `/banners/{id}/{hash}.png`.
    #[serde(default)]
    pub banner: Option<String>,
    pub bot: bool,
    /// RFC 3339.
    pub created_at: String,
}

/// The signed-in user: the public profile plus what only they (and admins) see.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CurrentUser {
    #[serde(flatten)]
    pub user: User,
    /// Instance administrator.
    pub admin: bool,
    /// The instance owner (the first account); always an admin.
    pub owner: bool,
    pub mfa_enabled: bool,
}

/// `PATCH /users/@me`: absent fields stay as they are; `global_name: null` clears the display name, and
/// an empty `bio` or `pronouns` clears those.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateCurrentUser {
    #[serde(
        default,
        deserialize_with = "crate::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub global_name: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bio: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pronouns: Option<String>,
    /// A data URI (`data:image/png;base64,…`) of a PNG, JPEG, GIF or WebP image, or `null` to remove it.
    #[serde(
        default,
        deserialize_with = "crate::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub avatar: Option<Option<String>>,
    /// A data URI (`data:image/png;base64,…`) of a PNG, JPEG, GIF or WebP image, or `null` to remove it.
    #[serde(
        default,
        deserialize_with = "crate::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub banner: Option<Option<String>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patch_distinguishes_absent_from_null() {
        let absent: UpdateCurrentUser = serde_json::from_str("{}").unwrap();
        assert_eq!(absent.global_name, None);
        let null: UpdateCurrentUser = serde_json::from_str(r#"{"global_name":null}"#).unwrap();
        assert_eq!(null.global_name, Some(None));
        let set: UpdateCurrentUser = serde_json::from_str(r#"{"global_name":"Ada"}"#).unwrap();
        assert_eq!(set.global_name, Some(Some("Ada".into())));
    }

    #[test]
    fn patch_rejects_unknown_fields() {
        assert!(serde_json::from_str::<UpdateCurrentUser>(r#"{"admin":true}"#).is_err());
    }
}
