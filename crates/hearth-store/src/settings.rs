//! Instance-wide settings kept in the database, so that every node and the admin commands agree:
//! the registration mode, the owner slot, and the instance's public profile (name, description,
//! terms of service, privacy policy).

use hearth_core::RegistrationMode;
use hearth_core::instance::{
    InstanceAuditAction, InstanceDescription, InstanceDocument, InstanceName,
};

use crate::StoreError;
use crate::backend::{BeginWrite, Store, on_reader, on_writer};
use crate::moderation::{NewInstanceAuditEntry, insert_instance_audit_in};

pub(crate) const REGISTRATION_MODE_KEY: &str = "registration_mode";
/// Written once, by the transaction that creates the first account.
pub(crate) const OWNER_KEY: &str = "owner_id";
const NAME_KEY: &str = "instance_name";
const DESCRIPTION_KEY: &str = "instance_description";
const TERMS_KEY: &str = "instance_terms";
const PRIVACY_KEY: &str = "instance_privacy";

/// Takes the instance-wide write lock inside `$tx`: a no-op update of the owner slot's row, which every
/// instance with an account has. Changes that read instance-wide state before writing (settings,
/// announcement counts) take it first, so on PostgreSQL they serialise as SQLite's single writer
/// already makes them. A macro because it runs on either driver's transaction.
macro_rules! lock_instance_in {
    ($tx:ident) => {{
        sqlx::query("UPDATE instance_settings SET value = value WHERE key = $1")
            .bind($crate::settings::OWNER_KEY)
            .execute(&mut *$tx)
            .await?;
    }};
}
pub(crate) use lock_instance_in;

/// The settings as stored. Profile texts are empty when never set.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InstanceSettingsRecord {
    pub registration_mode: RegistrationMode,
    /// `None` until an admin names the instance.
    pub name: Option<String>,
    pub description: String,
    pub terms: String,
    pub privacy: String,
}

impl InstanceSettingsRecord {
    /// Fills the record from `(key, value)` rows; unknown keys are ignored.
    fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut record = Self::default();
        for (key, value) in pairs {
            match key.as_str() {
                REGISTRATION_MODE_KEY => {
                    record.registration_mode = RegistrationMode::parse(&value).unwrap_or_default();
                }
                NAME_KEY => record.name = Some(value),
                DESCRIPTION_KEY => record.description = value,
                TERMS_KEY => record.terms = value,
                PRIVACY_KEY => record.privacy = value,
                _ => {}
            }
        }
        record
    }

    /// Whether registering needs the applicant to accept terms of service.
    pub fn has_terms(&self) -> bool {
        !self.terms.is_empty()
    }
}

/// A change to the settings: `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct SettingsUpdate {
    pub registration_mode: Option<RegistrationMode>,
    pub name: Option<InstanceName>,
    pub description: Option<InstanceDescription>,
    pub terms: Option<InstanceDocument>,
    pub privacy: Option<InstanceDocument>,
}

const SELECT_SETTINGS: &str =
    "SELECT key, value FROM instance_settings WHERE key IN ($1, $2, $3, $4, $5)";
const UPSERT_SETTING: &str = "INSERT INTO instance_settings (key, value) VALUES ($1, $2) \
     ON CONFLICT (key) DO UPDATE SET value = excluded.value";

impl Store {
    /// The registration mode; invite-only until someone sets it.
    pub async fn registration_mode(&self) -> Result<RegistrationMode, StoreError> {
        on_reader!(self, |db| {
            let row: Option<(String,)> =
                sqlx::query_as("SELECT value FROM instance_settings WHERE key = $1")
                    .bind(REGISTRATION_MODE_KEY)
                    .fetch_optional(db)
                    .await?;
            Ok(row
                .and_then(|(v,)| RegistrationMode::parse(&v).ok())
                .unwrap_or_default())
        })
    }

    /// Sets the registration mode without an audit entry: for setting up an instance (and tests)
    /// before anyone administers it. Administrators' changes go through
    /// [`Store::update_instance_settings`].
    pub async fn set_registration_mode(&self, mode: RegistrationMode) -> Result<(), StoreError> {
        on_writer!(self, |db| {
            sqlx::query(UPSERT_SETTING)
                .bind(REGISTRATION_MODE_KEY)
                .bind(mode.as_str())
                .execute(db)
                .await?;
        });
        Ok(())
    }

    /// Every setting, in one query.
    pub async fn instance_settings(&self) -> Result<InstanceSettingsRecord, StoreError> {
        on_reader!(self, |db| {
            let pairs: Vec<(String, String)> = sqlx::query_as(SELECT_SETTINGS)
                .bind(REGISTRATION_MODE_KEY)
                .bind(NAME_KEY)
                .bind(DESCRIPTION_KEY)
                .bind(TERMS_KEY)
                .bind(PRIVACY_KEY)
                .fetch_all(db)
                .await?;
            Ok(InstanceSettingsRecord::from_pairs(pairs))
        })
    }

    /// Applies `update` and returns the settings after it. The audit entry (`settings.update`) gets
    /// one change per field whose value actually changed, read inside the transaction under the
    /// instance lock, and is written only when there is at least one: a request that changes nothing
    /// leaves no entry.
    pub async fn update_instance_settings(
        &self,
        update: &SettingsUpdate,
        entry: &NewInstanceAuditEntry,
    ) -> Result<InstanceSettingsRecord, StoreError> {
        debug_assert_eq!(entry.action, InstanceAuditAction::SettingsUpdate);
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            lock_instance_in!(tx);
            let pairs: Vec<(String, String)> = sqlx::query_as(SELECT_SETTINGS)
                .bind(REGISTRATION_MODE_KEY)
                .bind(NAME_KEY)
                .bind(DESCRIPTION_KEY)
                .bind(TERMS_KEY)
                .bind(PRIVACY_KEY)
                .fetch_all(&mut *tx)
                .await?;
            let before = InstanceSettingsRecord::from_pairs(pairs);
            let mut after = before.clone();
            let mut entry = entry.clone();
            let mut writes: Vec<(&str, String)> = Vec::new();
            if let Some(mode) = update.registration_mode {
                entry.push_change(
                    "registration_mode",
                    before.registration_mode.as_str(),
                    mode.as_str(),
                );
                after.registration_mode = mode;
                writes.push((REGISTRATION_MODE_KEY, mode.as_str().to_owned()));
            }
            if let Some(name) = &update.name {
                entry.push_change("name", &before.name, name.as_str());
                after.name = Some(name.as_str().to_owned());
                writes.push((NAME_KEY, name.as_str().to_owned()));
            }
            let texts = [
                (
                    "description",
                    DESCRIPTION_KEY,
                    update.description.as_ref().map(InstanceDescription::as_str),
                    &before.description,
                    &mut after.description,
                ),
                (
                    "terms",
                    TERMS_KEY,
                    update.terms.as_ref().map(InstanceDocument::as_str),
                    &before.terms,
                    &mut after.terms,
                ),
                (
                    "privacy",
                    PRIVACY_KEY,
                    update.privacy.as_ref().map(InstanceDocument::as_str),
                    &before.privacy,
                    &mut after.privacy,
                ),
            ];
            for (field, key, new, old, slot) in texts {
                if let Some(new) = new {
                    // An empty text is recorded as absent, like an unset one.
                    let shown = |t: &str| Some(t.to_owned()).filter(|t| !t.is_empty());
                    entry.push_change(field, shown(old), shown(new));
                    *slot = new.to_owned();
                    writes.push((key, new.to_owned()));
                }
            }
            if entry.changes.is_empty() {
                return Ok(before);
            }
            for (key, value) in &writes {
                sqlx::query(UPSERT_SETTING)
                    .bind(*key)
                    .bind(value.as_str())
                    .execute(&mut *tx)
                    .await?;
            }
            insert_instance_audit_in!(tx, &entry);
            tx.commit().await?;
            Ok(after)
        })
    }
}
