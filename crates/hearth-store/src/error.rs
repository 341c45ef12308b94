//! What can go wrong in the store, in terms the services can act on.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the row was not found")]
    NotFound,
    #[error("a unique constraint was violated: {0}")]
    Conflict(&'static str),
    /// A configured limit (the argument names it) would be exceeded.
    #[error("limit reached: {0}")]
    LimitReached(&'static str),
    /// A row the change refers to (the argument names the field) does not exist.
    #[error("{0} refers to nothing")]
    Missing(&'static str),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("invalid database url: {0}")]
    InvalidUrl(String),
    #[error("snapshot error: {0}")]
    Snapshot(String),
}

/// Why creating an account failed.
#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    #[error("username is taken")]
    UsernameTaken,
    #[error("registration is closed")]
    RegistrationClosed,
    #[error("an invite is required")]
    InviteRequired,
    #[error("the invite is unknown, expired or used up")]
    InviteInvalid,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for CreateUserError {
    fn from(e: sqlx::Error) -> Self {
        Self::Store(StoreError::Database(e))
    }
}

pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}
